import Foundation
import SwiftProtobuf

/// An ONNX graph being built: nodes in order, constants, the graph's inputs and outputs, and
/// fresh names that cannot collide with a column's. The exporter speaks only to this; the
/// protobuf types stay here.
struct ONNXGraph {
    enum ElementType: Int32 {
        case uint8 = 2, int64 = 7, string = 8, bool = 9, double = 11
    }

    private(set) var nodes: [Onnx_NodeProto] = []
    private var initializers: [Onnx_TensorProto] = []
    private var inputs: [Onnx_ValueInfoProto] = []
    private var outputs: [Onnx_ValueInfoProto] = []
    private var taken: Set<String> = []
    private var counter = 0
    /// Which operator-set domains the nodes use ("" and "ai.onnx.ml").
    private var usesML = false

    /// The standard opset the graph targets, and the ai.onnx.ml one (TreeEnsemble is new in 5).
    static let opset: Int64 = 21
    /// The ai.onnx.ml opset: 5 (TreeEnsemble, double throughout; ONNX Runtime 1.21 and later), or
    /// 3 for older runtimes (TreeEnsembleRegressor, whose output is float32).
    var mlOpset: Int64 = 5
    static let irVersion: Int64 = 10

    /// A name no column and no earlier value has.
    mutating func fresh(_ hint: String) -> String {
        while true {
            counter += 1
            let name = "mlsh.\(hint).\(counter)"
            if taken.insert(name).inserted { return name }
        }
    }

    /// A graph input of shape [N, 1] (N left free), named as the column it carries.
    mutating func input(_ name: String, _ type: ElementType) {
        taken.insert(name)
        inputs.append(Self.valueInfo(name, type, [nil, 1]))
    }

    /// A graph output: `shape` with nil for the batch dimension.
    mutating func output(_ name: String, _ type: ElementType, _ shape: [Int?]) {
        outputs.append(Self.valueInfo(name, type, shape))
    }

    /// One node; returns its output names (fresh ones unless given).
    @discardableResult
    mutating func node(_ op: String, _ inputs: [String], _ attributes: [Onnx_AttributeProto] = [], domain: String = "",
                       outputs: [String]? = nil, count: Int = 1) -> [String] {
        var n = Onnx_NodeProto()
        n.opType = op
        n.input = inputs
        n.output = outputs ?? (0..<count).map { _ in fresh(op) }
        n.name = fresh("node." + op)
        n.attribute = attributes
        if !domain.isEmpty { n.domain = domain; usesML = true }
        nodes.append(n)
        return n.output
    }

    /// A node with one output.
    mutating func op(_ op: String, _ inputs: String..., attributes: [Onnx_AttributeProto] = [], domain: String = "", output: String? = nil) -> String {
        node(op, inputs, attributes, domain: domain, outputs: output.map { [$0] })[0]
    }

    mutating func op(_ op: String, _ inputs: [String], attributes: [Onnx_AttributeProto] = [], domain: String = "") -> String {
        node(op, inputs, attributes, domain: domain)[0]
    }

    // MARK: Constants

    mutating func constant(_ values: [Double], shape: [Int]? = nil) -> String {
        add(Self.tensor(values, shape: shape ?? [values.count], name: fresh("const")))
    }

    mutating func constant(int64 values: [Int64], shape: [Int]? = nil) -> String {
        add(Self.tensor(int64: values, shape: shape ?? [values.count], name: fresh("const")))
    }

    mutating func constant(strings values: [String], shape: [Int]? = nil) -> String {
        add(Self.tensor(strings: values, shape: shape ?? [values.count], name: fresh("const")))
    }

    mutating func constant(bools values: [Bool], shape: [Int]? = nil) -> String {
        add(Self.tensor(bools: values, shape: shape ?? [values.count], name: fresh("const")))
    }

    /// A scalar double, shared by every use of the same value.
    mutating func scalar(_ v: Double) -> String {
        let key = v.bitPattern
        if let name = scalars[key] { return name }
        let name = constant([v], shape: [])
        scalars[key] = name
        return name
    }
    private var scalars: [UInt64: String] = [:]

    private mutating func add(_ t: Onnx_TensorProto) -> String {
        initializers.append(t)
        return t.name
    }

    static func tensor(_ values: [Double], shape: [Int], name: String = "") -> Onnx_TensorProto {
        var t = Onnx_TensorProto()
        t.name = name
        t.dataType = ElementType.double.rawValue
        t.dims = shape.map(Int64.init)
        // Raw little-endian bytes: the doubles exactly, a tenth of the size of a varint-free field list.
        t.rawData = values.withUnsafeBufferPointer { Data(buffer: $0) }
        return t
    }

    static func tensor(int64 values: [Int64], shape: [Int], name: String = "") -> Onnx_TensorProto {
        var t = Onnx_TensorProto()
        t.name = name
        t.dataType = ElementType.int64.rawValue
        t.dims = shape.map(Int64.init)
        t.int64Data = values
        return t
    }

    static func tensor(strings values: [String], shape: [Int], name: String = "") -> Onnx_TensorProto {
        var t = Onnx_TensorProto()
        t.name = name
        t.dataType = ElementType.string.rawValue
        t.dims = shape.map(Int64.init)
        t.stringData = values.map { Data($0.utf8) }
        return t
    }

    static func tensor(bools values: [Bool], shape: [Int], name: String = "") -> Onnx_TensorProto {
        var t = Onnx_TensorProto()
        t.name = name
        t.dataType = ElementType.bool.rawValue
        t.dims = shape.map(Int64.init)
        t.int32Data = values.map { $0 ? 1 : 0 }
        return t
    }

    static func tensor(uint8 values: [UInt8], name: String = "") -> Onnx_TensorProto {
        var t = Onnx_TensorProto()
        t.name = name
        t.dataType = ElementType.uint8.rawValue
        t.dims = [Int64(values.count)]
        t.rawData = Data(values)
        return t
    }

    // MARK: Attributes

    static func attribute(_ name: String, int v: Int64) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .int
        a.i = v
        return a
    }

    static func attribute(_ name: String, ints v: [Int64]) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .ints
        a.ints = v
        return a
    }

    static func attribute(_ name: String, string v: String) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .string
        a.s = Data(v.utf8)
        return a
    }

    static func attribute(_ name: String, strings v: [String]) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .strings
        a.strings = v.map { Data($0.utf8) }
        return a
    }

    static func attribute(_ name: String, floats v: [Float]) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .floats
        a.floats = v
        return a
    }

    static func attribute(_ name: String, float v: Float) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .float
        a.f = v
        return a
    }

    static func attribute(_ name: String, tensor v: Onnx_TensorProto) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .tensor
        a.t = v
        return a
    }

    // MARK: The model

    /// The finished model, as bytes.
    func serialized(metadata: [(String, String)], producerVersion: String, docString: String) throws -> Data {
        var g = Onnx_GraphProto()
        g.name = "mlsh"
        g.node = nodes
        g.initializer = initializers
        g.input = inputs
        g.output = outputs
        var m = Onnx_ModelProto()
        m.irVersion = Self.irVersion
        m.producerName = "mlsh"
        m.producerVersion = producerVersion
        m.docString = docString
        var standard = Onnx_OperatorSetIdProto()
        standard.domain = ""
        standard.version = Self.opset
        var ml = Onnx_OperatorSetIdProto()
        ml.domain = "ai.onnx.ml"
        ml.version = mlOpset
        m.opsetImport = usesML ? [standard, ml] : [standard]
        m.metadataProps = metadata.map { k, v in
            var e = Onnx_StringStringEntryProto()
            e.key = k
            e.value = v
            return e
        }
        m.graph = g
        return try m.serializedData()
    }

    static func valueInfo(_ name: String, _ type: ElementType, _ shape: [Int?]) -> Onnx_ValueInfoProto {
        var v = Onnx_ValueInfoProto()
        v.name = name
        var t = Onnx_TypeProto.Tensor()
        t.elemType = type.rawValue
        var s = Onnx_TensorShapeProto()
        s.dim = shape.map { d in
            var dim = Onnx_TensorShapeProto.Dimension()
            if let d { dim.dimValue = Int64(d) } else { dim.dimParam = "N" }
            return dim
        }
        t.shape = s
        var tp = Onnx_TypeProto()
        tp.tensorType = t
        v.type = tp
        return v
    }
}
