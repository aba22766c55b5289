import MLFrame

/// A column-shaped value while evaluating an expression over a frame: one entry per row,
/// or a single scalar that stands for every row.
enum Vector {
    /// Numbers; `integer` when they came from whole-number columns and literals only.
    case number([Double], Bitmap?, integer: Bool)
    case bool([Bool], Bitmap?)
    /// Dictionary-encoded text, as text columns are stored.
    case text(codes: [UInt32], dictionary: [String], Bitmap?)
    /// Days since 1970-01-01 (a date column).
    case days([Double], Bitmap?)
    case scalar(Value)

    var validity: Bitmap? {
        switch self {
        case .number(_, let v, _), .bool(_, let v), .text(_, _, let v), .days(_, let v): return v
        case .scalar: return nil
        }
    }

    var isText: Bool {
        switch self {
        case .text, .scalar(.string): return true
        default: return false
        }
    }

    var kindName: String {
        switch self {
        case .number: return "number"
        case .bool: return "bool"
        case .text: return "text"
        case .days: return "date"
        case .scalar(let v): return v.kindName
        }
    }

    /// A frame column as a vector.
    init(_ column: Column) {
        switch column.storage {
        case .float(let v): self = .number(v, column.validity, integer: false)
        case .int(let v): self = .number(v.map(Double.init), column.validity, integer: true)
        case .bool(let v): self = .bool(v, column.validity)
        case .string(let c, let d): self = .text(codes: c, dictionary: d, column.validity)
        case .date(let v): self = .days(v.map(Double.init), column.validity)
        }
    }

    /// The vector as a column of `count` rows.
    func column(named name: String, count: Int) -> Column {
        switch self {
        case .number(let v, let valid, let integer):
            if integer, v.allSatisfy({ $0.isNaN || ($0 == $0.rounded() && abs($0) < 9e18) }) {
                return Column(name: name, storage: .int(v.map { $0.isNaN ? 0 : Int64($0) }), validity: valid)
            }
            return Column(name: name, storage: .float(v), validity: valid)
        case .bool(let v, let valid): return Column(name: name, storage: .bool(v), validity: valid)
        case .text(let c, let d, let valid): return Column(name: name, storage: .string(codes: c, dictionary: d), validity: valid)
        case .days(let v, let valid): return Column(name: name, storage: .date(v.map { Int32(exactly: $0.rounded(.down)) ?? 0 }), validity: valid)
        case .scalar(let value):
            switch value {
            case .number(let d):
                let whole = d == d.rounded() && abs(d) < 9e18
                return whole ? Column(name: name, storage: .int(Array(repeating: Int64(d), count: count)))
                    : Column(name: name, storage: .float(Array(repeating: d, count: count)))
            case .bool(let b): return Column(name: name, storage: .bool(Array(repeating: b, count: count)))
            case .string(let s): return Column(name: name, storage: .string(codes: Array(repeating: 0, count: count), dictionary: [s]))
            default:
                return Column(name: name, storage: .float(Array(repeating: .nan, count: count)),
                              validity: Bitmap(count: count, allValid: false))
            }
        }
    }
}

/// Validity of a result from two operands: valid where both are.
func combine(_ a: Bitmap?, _ b: Bitmap?) -> Bitmap? {
    guard let a else { return b }
    guard let b else { return a }
    var out = a
    for i in 0..<a.count where !b[i] { out[i] = false }
    return out
}
