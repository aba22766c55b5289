import MLFrame
import MLModel

/// A model as the protocols describe it: its inputs with tensor datatypes, and its outputs
/// (`predict`, plus `probabilities` for a classifier; `cluster` for k-means).
public struct ModelSignature: Sendable {
    public struct Tensor: Sendable, Equatable {
        public var name: String
        public var datatype: String
        public var shape: [Int]
    }

    public var inputs: [Tensor]
    public var outputs: [Tensor]

    public init(_ model: Model) {
        inputs = model.usedInputs.map { Tensor(name: $0.name, datatype: Self.datatype($0.type), shape: [-1]) }
        if model.task == .clustering {
            outputs = [Tensor(name: "cluster", datatype: "INT64", shape: [-1])]
        } else if let classes = model.classes {
            outputs = [Tensor(name: "predict", datatype: Self.classDatatype(model, classes), shape: [-1]),
                       Tensor(name: "probabilities", datatype: "FP64", shape: [-1, classes.count])]
        } else {
            outputs = [Tensor(name: "predict", datatype: "FP64", shape: [-1])]
        }
    }

    /// The tensor datatype a column of this type is sent as; dates go as "YYYY-MM-DD" texts.
    public static func datatype(_ type: ColumnType) -> String {
        switch type {
        case .float64: return "FP64"
        case .int64: return "INT64"
        case .bool: return "BOOL"
        case .string, .date: return "BYTES"
        }
    }

    /// The classes in the target's own type, as `predict` gives them: numbers stay numbers.
    static func classDatatype(_ model: Model, _ classes: [String]) -> String {
        switch model.targetType {
        case .int64? where classes.allSatisfy({ Int64($0) != nil }): return "INT64"
        case .float64? where classes.allSatisfy({ Double($0) != nil }): return "FP64"
        case .bool? where classes.allSatisfy({ $0 == "true" || $0 == "false" }): return "BOOL"
        default: return "BYTES"
        }
    }
}
