import Foundation
import MLDiagnostics
import SwiftProtobuf

/// What an ONNX file says about itself: for `inspect "FILE.onnx"`, an export's or anyone's.
public struct ONNXSummary: Sendable {
    public var irVersion: Int64
    public var opsets: [(domain: String, version: Int64)]
    public var producer: String
    public var inputs: [ONNXExport.Port]
    public var outputs: [ONNXExport.Port]
    public var metadata: [(key: String, value: String)]
    public var nodes: Int
    public var operators: [String]

    /// Reads the model's header and graph; the weights are not interpreted.
    public static func read(_ data: Data) throws -> ONNXSummary {
        let m: Onnx_ModelProto
        do {
            m = try Onnx_ModelProto(serializedBytes: data)
        } catch {
            throw Diagnostic(.exportRefused, .error, "the file is not an ONNX model (its protobuf does not decode: \(error))")
        }
        guard m.hasGraph else { throw Diagnostic(.exportRefused, .error, "the file is not an ONNX model (it holds no graph)") }
        func port(_ v: Onnx_ValueInfoProto) -> ONNXExport.Port {
            guard case .tensorType(let t)? = v.type.value else { return .init(name: v.name, type: "?", shape: "", meaning: "") }
            let names: [Int32: String] = [1: "float", 2: "uint8", 6: "int32", 7: "int64", 8: "string", 9: "bool", 10: "float16", 11: "double"]
            let dims = t.shape.dim.map { d -> String in
                switch d.value {
                case .dimValue(let n)?: return String(n)
                case .dimParam(let p)?: return p
                case nil: return "?"
                }
            }
            return .init(name: v.name, type: names[t.elemType] ?? "type \(t.elemType)", shape: "[" + dims.joined(separator: ", ") + "]", meaning: "")
        }
        let initialized = Set(m.graph.initializer.map(\.name))
        var ops: [String] = []
        for n in m.graph.node where !ops.contains(n.opType) { ops.append(n.opType) }
        return ONNXSummary(
            irVersion: m.irVersion,
            opsets: m.opsetImport.map { ($0.domain.isEmpty ? "ai.onnx" : $0.domain, $0.version) },
            producer: [m.producerName, m.producerVersion].filter { !$0.isEmpty }.joined(separator: " "),
            inputs: m.graph.input.filter { !initialized.contains($0.name) }.map(port),
            outputs: m.graph.output.map(port),
            metadata: m.metadataProps.map { ($0.key, $0.value) },
            nodes: m.graph.node.count,
            operators: ops)
    }
}
