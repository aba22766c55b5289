import MLModel
import MLDiagnostics

/// A value in the session: what `print` shows, what `as NAME` binds, what options hold.
public enum Value: Equatable {
    case number(Double)
    case string(String)
    case bool(Bool)
    case duration(seconds: Double)
    case list([Value])
    case missing
    case dataset(Dataset)
    case model(Model)
    /// Named results of a command (`evaluate m on test as e`: e.rmse, e.r2, …), in order.
    case record([(name: String, value: Value)])

    public static func == (a: Value, b: Value) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.bool(let x), .bool(let y)): return x == y
        case (.duration(let x), .duration(let y)): return x == y
        case (.list(let x), .list(let y)): return x == y
        case (.missing, .missing): return true
        case (.dataset(let x), .dataset(let y)): return x === y
        case (.model(let x), .model(let y)): return x.name == y.name && x.formula == y.formula && x.lineage == y.lineage && x.estimator == y.estimator
        case (.record(let x), .record(let y)): return x.map(\.name) == y.map(\.name) && x.map(\.value) == y.map(\.value)
        default: return false
        }
    }

    /// The kind, as `vars` and error messages name it.
    public var kindName: String {
        switch self {
        case .number(let d): return d.isFinite && d == d.rounded() && abs(d) < 1e15 ? "integer" : "number"
        case .string: return "string"
        case .bool: return "bool"
        case .duration: return "duration"
        case .list: return "list"
        case .missing: return "missing"
        case .dataset: return "dataset"
        case .model: return "model"
        case .record: return "record"
        }
    }

    /// A record's field, by name.
    public func field(_ name: String) -> Value? {
        guard case .record(let fields) = self else { return nil }
        return fields.first { $0.name == name }?.value
    }

    /// The shape, as `vars` shows it: a list's length, nothing for a scalar.
    public var shape: String {
        if case .list(let items) = self { return "\(items.count)" }
        if case .dataset(let d) = self { return "\(d.frame.rowCount)×\(d.frame.columns.count)" }
        if case .model(let m) = self { return "\(m.features.count) features" }
        if case .record(let fields) = self { return "\(fields.count) fields" }
        return ""
    }

    /// How `print` shows the value: strings bare at top level, quoted inside lists.
    public var display: String { format(topLevel: true) }

    /// How the value is written in source: strings quoted.
    public var literal: String { format(topLevel: false) }

    private func format(topLevel: Bool) -> String {
        switch self {
        case .number(let d): return Value.formatNumber(d)
        case .string(let s): return topLevel ? s : "\"" + s + "\""
        case .bool(let b): return b ? "true" : "false"
        case .duration(let s): return Value.formatDuration(s)
        case .list(let items): return "[" + items.map { $0.format(topLevel: false) }.joined(separator: ", ") + "]"
        case .missing: return "missing"
        case .dataset(let d): return d.name
        case .model(let m): return "\(m.algorithm) \(m.formula)"
        case .record(let fields): return "{" + fields.map { "\($0.name): \($0.value.format(topLevel: false))" }.joined(separator: ", ") + "}"
        }
    }

    /// Whole numbers without a decimal point; others in the shortest form that reads back exactly.
    public static func formatNumber(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d > 0 ? "inf" : "-inf" }
        if d == d.rounded() && abs(d) < 1e16 { return String(Int64(d)) }
        return "\(d)"
    }

    public static func formatDuration(_ seconds: Double) -> String {
        if seconds >= 3600, (seconds / 3600) == (seconds / 3600).rounded() { return formatNumber(seconds / 3600) + "h" }
        if seconds >= 60, (seconds / 60) == (seconds / 60).rounded() { return formatNumber(seconds / 60) + "m" }
        if seconds >= 1 || seconds == 0 { return formatNumber(seconds) + "s" }
        return formatNumber((seconds * 1000 * 1e6).rounded() / 1e6) + "ms"
    }
}
