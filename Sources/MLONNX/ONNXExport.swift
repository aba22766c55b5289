import Foundation
import MLDiagnostics
import MLFrame
import MLModel

/// A fitted model and its fitted recipe as one ONNX graph, computed in double precision so that
/// ONNX Runtime gives mlsh's answers (to the last bits of a sum's order).
///
/// Why not the ai.onnx.ml Imputer, Scaler, Normalizer, LinearRegressor and LinearClassifier:
/// ONNX Runtime runs them in float32 only (Imputer and LinearRegressor have no double kernel;
/// the others output float), and Scaler multiplies where mlsh divides, so their answers differ
/// from mlsh's in the seventh digit and can cross a tree's threshold. The standard operators
/// (Where, Sub, Div, MatMul, Softmax, …) run in double and reproduce mlsh's arithmetic; the
/// ai.onnx.ml operators used are the exact ones: TreeEnsemble (opset 5, double) and
/// LabelEncoder (opset 4, double values).
public enum ONNXExport {
    /// What an export made: the file's bytes, and its inputs and outputs for the report.
    public struct Result: Sendable {
        public var data: Data
        public var inputs: [Port]
        public var outputs: [Port]
        /// The operators used, by name, in first-use order.
        public var operators: [String]
        public var nodes: Int
    }

    /// One graph input or output: its name, ONNX type and shape, and what it carries.
    public struct Port: Sendable, Equatable {
        public var name: String
        public var type: String
        public var shape: String
        public var meaning: String
    }

    /// `mlOpset` 3 writes trees as TreeEnsembleRegressor (ai.onnx.ml 3) for runtimes older than
    /// ONNX Runtime 1.21: their sums come out in float32, so answers agree with mlsh's to about
    /// 1e-7 and a label can differ where two classes are that close.
    public static func export(_ model: Model, mlshVersion: String, mlOpset: Int = 5) throws -> Result {
        var e = Exporter(model: model)
        e.graph.mlOpset = Int64(mlOpset)
        try e.build()
        var metadata: [(String, String)] = [("mlsh.model", model.name), ("mlsh.algorithm", model.algorithm.rawValue),
                                            ("mlsh.formula", model.formula), ("mlsh.task", model.task.rawValue)]
        if let t = model.target { metadata.append(("mlsh.target", t)) }
        if let c = model.classes { metadata.append(("mlsh.classes", c.joined(separator: "\n"))) }
        if let l = model.lineage { metadata.append(("mlsh.source", l.source)) }
        let data = try e.graph.serialized(metadata: metadata, producerVersion: mlshVersion,
                                          docString: "\(model.name): \(model.algorithm.rawValue) \(model.formula), exported by mlsh \(mlshVersion)")
        var ops: [String] = []
        for n in e.graph.nodes where !ops.contains(n.opType) { ops.append(n.opType) }
        return Result(data: data, inputs: e.inputPorts, outputs: e.outputPorts, operators: ops, nodes: e.graph.nodes.count)
    }
}

extension Diagnostic.ID {
    public static let exportRefused = Diagnostic.ID("export-refused")
}

/// A column as the graph carries it: a tensor [N, 1] of doubles (numbers; bools as 0/1; dates as
/// days since 1970-01-01; NaN is missing) or of strings ("" is missing), and what it holds.
struct GraphColumn {
    enum Kind { case number, bool, date, text }
    var value: String
    var kind: Kind
    var isText: Bool { kind == .text }
}

/// The work of one export: the graph and the columns as the recipe's steps change them.
struct Exporter {
    let model: Model
    var graph = ONNXGraph()
    /// The columns at the current step, by name (a column absent here is one the model does not use).
    var columns: [String: GraphColumn] = [:]
    var inputPorts: [ONNXExport.Port] = []
    var outputPorts: [ONNXExport.Port] = []

    init(model: Model) { self.model = model }

    func refuse(_ message: String, hint: String? = nil) -> Diagnostic {
        Diagnostic(.exportRefused, .error, "cannot export \(model.name) to ONNX: \(message)", hint: hint)
    }

    mutating func build() throws {
        guard !model.inputs.isEmpty else {
            throw refuse("the model file does not say which raw columns the model takes (it is older than the input schema)",
                         hint: "fit it again and save it, then export")
        }
        if case .knn = model.estimator {
            throw refuse("knn answers by searching its training rows, and ONNX has no nearest-neighbour search",
                         hint: model.task == .classification ? "fit tree, forest, boost or logistic instead; compare them with compare"
                            : "fit tree, forest, boost or linear instead; compare them with compare")
        }
        let outputs = ["answered", "prediction", "label", "probabilities", "cluster"]
        if let clash = model.usedInputs.first(where: { outputs.contains($0.name) }) {
            throw refuse("the input '\(clash.name)' has the name of one of the graph's outputs (\(outputs.joined(separator: ", ")))",
                         hint: "rename the column before fitting (rename DS \(clash.name)=\(clash.name)_in), fit again, and export")
        }
        try addInputs()
        try addRecipe()
        currentX = try designMatrix()
        try addEstimator(currentX)
    }

    /// One graph input per raw column the answers depend on, named as the column.
    mutating func addInputs() throws {
        for input in model.usedInputs {
            let text = input.type == .string
            if text, input.categories?.contains("") == true {
                throw refuse("'\(input.name)' has the empty text as a value, and in the graph an empty text means missing")
            }
            graph.input(input.name, text ? .string : .double)
            let value = text ? emptyWhereMissing(input.name) : input.name
            let kind: GraphColumn.Kind = switch input.type {
            case .string: .text
            case .bool: .bool
            case .date: .date
            case .float64, .int64: .number
            }
            columns[input.name] = GraphColumn(value: value, kind: kind)
            let meaning: String = switch input.type {
            case .string: "text, \"\" (or NA) for missing"
            case .bool: "bool as 1 or 0, NaN for missing"
            case .date: "date as days since 1970-01-01, NaN for missing"
            case .float64, .int64: "number, NaN for missing"
            }
            inputPorts.append(.init(name: input.name, type: text ? "string" : "double", shape: "[N, 1]", meaning: meaning))
        }
    }

    /// A text input with the texts mlsh reads as missing in a request (FieldText.isMissing: NA, and
    /// nan in any case) made "", the graph's missing text.
    mutating func emptyWhereMissing(_ x: String) -> String {
        let nans = (0..<8).map { bits in String("nan".enumerated().map { k, ch in bits >> k & 1 == 1 ? Character(ch.uppercased()) : ch }) }
        var missing = graph.op("Equal", x, graph.constant(strings: ["NA"], shape: []))
        for v in nans { missing = graph.op("Or", missing, graph.op("Equal", x, graph.constant(strings: [v], shape: []))) }
        return graph.op("Where", missing, graph.constant(strings: [""], shape: []), x)
    }

    /// The features as one matrix X [N, p] of doubles, in the model's order, and whether each
    /// row has an answer (every feature a finite number; boost answers every row).
    mutating func designMatrix() throws -> String {
        let boost = model.algorithm.keepsMissing
        var parts: [String] = []
        for f in model.features {
            guard let c = columns[f] else {
                throw refuse("the feature '\(f)' is not made from the model's inputs by steps the graph can express")
            }
            if c.isText {
                guard let categories = model.categories?[f] else {
                    throw refuse("the feature '\(f)' is text, and this model takes numbers")
                }
                // The category's index in the sorted list, −1 for one not seen, NaN for missing (as Design.codes).
                parts.append(labelEncoder(c.value, keys: categories + [""], values: categories.indices.map(Double.init) + [.nan], default: -1))
            } else if boost {
                // Infinities are missing to boost.
                parts.append(graph.op("Where", graph.op("IsInf", c.value), graph.scalar(.nan), c.value))
            } else {
                parts.append(c.value)
            }
        }
        let x = parts.count == 1 ? parts[0] : graph.op("Concat", parts, attributes: [ONNXGraph.attribute("axis", int: 1)])
        if boost {
            // Every row: a [N] of true, shaped from X's first dimension.
            let n = graph.op("Shape", x, attributes: [ONNXGraph.attribute("start", int: 0), ONNXGraph.attribute("end", int: 1)])
            answered = graph.op("ConstantOfShape", n, attributes: [ONNXGraph.attribute("value", tensor: ONNXGraph.tensor(bools: [true], shape: [1]))])
        } else {
            // x − x is 0 for a finite x and NaN for NaN or ±inf: a row sums to NaN when any feature is not finite.
            let sum = graph.op("ReduceSum", graph.op("Sub", x, x), graph.constant(int64: [1]), attributes: [ONNXGraph.attribute("keepdims", int: 0)])
            answered = graph.op("Not", graph.op("IsNaN", sum))
        }
        graph.node("Identity", [answered], outputs: ["answered"])
        graph.output("answered", .bool, [nil])
        outputPorts.append(.init(name: "answered", type: "bool", shape: "[N]", meaning: boost ? "always true: boost answers missing values" : "false if a feature is missing: no answer"))
        return x
    }

    /// The row-has-an-answer vector [N] and the design matrix X [N, p], once made.
    var answered = ""
    var currentX = ""

    /// A value from a matrix, NaN in the rows without an answer.
    mutating func masked(_ v: String) -> String {
        let a = graph.op("Unsqueeze", answered, graph.constant(int64: [1]))
        return graph.op("Where", a, v, graph.scalar(.nan))
    }

    /// ai.onnx.ml LabelEncoder (opset 4): text or number keys to double values.
    mutating func labelEncoder(_ x: String, keys: [String], values: [Double], default d: Double) -> String {
        if graph.mlOpset < 4 {
            // LabelEncoder 2: text to float32 values (small whole numbers here, exact), then double.
            let floats = graph.op("LabelEncoder", x, attributes: [
                ONNXGraph.attribute("keys_strings", strings: keys),
                ONNXGraph.attribute("values_floats", floats: values.map(Float.init)),
                ONNXGraph.attribute("default_float", float: Float(d)),
            ], domain: "ai.onnx.ml")
            return graph.op("Cast", floats, attributes: [ONNXGraph.attribute("to", int: 11)])
        }
        return labelEncoder(x, keys: ONNXGraph.tensor(strings: keys, shape: [keys.count]), values: values, default: d)
    }

    /// Numbers to values by equality, for runtimes without LabelEncoder 4's double keys.
    mutating func lookup(_ x: String, keys: [Double], values: [Double], default d: Double) -> String {
        var v = graph.scalar(d)
        for (k, value) in zip(keys, values).reversed() {
            v = graph.op("Where", graph.op("Equal", x, graph.scalar(k)), graph.scalar(value), v)
        }
        return v
    }

    mutating func labelEncoder(_ x: String, keys: Onnx_TensorProto, values: [Double], default d: Double) -> String {
        graph.op("LabelEncoder", x, attributes: [
            ONNXGraph.attribute("keys_tensor", tensor: keys),
            ONNXGraph.attribute("values_tensor", tensor: ONNXGraph.tensor(values, shape: [values.count])),
            ONNXGraph.attribute("default_tensor", tensor: ONNXGraph.tensor([d], shape: [1])),
        ], domain: "ai.onnx.ml")
    }
}
