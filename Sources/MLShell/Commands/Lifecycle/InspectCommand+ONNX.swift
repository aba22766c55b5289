import Foundation
import MLDiagnostics
import MLONNX
import MLRender

/// `inspect "FILE.onnx"`: an ONNX file's inputs, outputs, opsets and metadata, whoever wrote it.
extension InspectCommand {
    static func inspectONNX(_ call: CommandCall, _ path: String, in session: Session) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw call.error(at: "FILE", exists ? "cannot read '\(path)'" : "no file \(path)",
                             hint: exists ? "check its permissions" : "check the path; export MODEL onnx \"\(path)\" writes one")
        }
        let s: ONNXSummary
        do { s = try ONNXSummary.read(data) } catch let d as Diagnostic { throw call.error(at: "FILE", d.message) }
        // Texts from the file are shown with control characters written out (VisibleText).
        let out = VisibleText(session)
        out.print("\(path): ONNX model, IR version \(s.irVersion), \(formatBytes(data.count))" + (s.producer.isEmpty ? "" : ", from \(s.producer)"))
        out.print("  opsets: " + s.opsets.map { "\($0.domain) \($0.version)" }.joined(separator: ", "))
        out.print("  graph: \(plural(s.nodes, "node")) (\(s.operators.joined(separator: ", ")))")
        ExportCommand.printPorts(s.inputs, s.outputs) { out.print($0) }
        for (k, v) in s.metadata { out.print("  \(k): " + v.replacingOccurrences(of: "\n", with: ", ")) }
    }
}
