/// The type of a column, as `schema` and the table's type row show it.
public enum ColumnType: String, Sendable, CaseIterable, Codable {
    case float64, int64, bool, string, date

    /// The names `types={col: …}` and `cast` accept.
    public static func named(_ name: String) -> ColumnType? {
        switch name.lowercased() {
        case "float", "float64", "double", "number": return .float64
        case "int", "int64", "integer": return .int64
        case "bool", "boolean": return .bool
        case "string", "str", "text", "category": return .string
        case "date": return .date
        default: return nil
        }
    }

    public var isNumeric: Bool { self == .float64 || self == .int64 }

    /// The word `cast` takes for this type.
    public var castWord: String {
        switch self {
        case .float64: return "float"
        case .int64: return "int"
        case .bool: return "bool"
        case .string: return "string"
        case .date: return "date"
        }
    }
}

/// A column's values in one typed buffer; missing values are kept apart in `validity`.
public enum ColumnStorage: Sendable, Equatable {
    case float([Double])
    case int([Int64])
    case bool([Bool])
    /// Dictionary-encoded text: each row holds an index into `dictionary`.
    case string(codes: [UInt32], dictionary: [String])
    /// Days since 1970-01-01.
    case date([Int32])
}

/// One named, typed column of a frame.
public struct Column: Sendable, Equatable {
    public var name: String
    public var storage: ColumnStorage
    /// Nil when no value is missing (the fast path).
    public var validity: Bitmap?

    public init(name: String, storage: ColumnStorage, validity: Bitmap? = nil) {
        self.name = name
        self.storage = storage
        self.validity = validity.flatMap { $0.allValid ? nil : $0 }
    }

    public var count: Int {
        switch storage {
        case .float(let v): return v.count
        case .int(let v): return v.count
        case .bool(let v): return v.count
        case .string(let c, _): return c.count
        case .date(let v): return v.count
        }
    }

    public var type: ColumnType {
        switch storage {
        case .float: return .float64
        case .int: return .int64
        case .bool: return .bool
        case .string: return .string
        case .date: return .date
        }
    }

    @inline(__always)
    public func isValid(_ i: Int) -> Bool { validity?[i] ?? true }

    public var missingCount: Int { validity.map { $0.count - $0.validCount } ?? 0 }

    /// The value as a number, for numeric and boolean columns; nil when missing or not a number.
    @inline(__always)
    public func double(_ i: Int) -> Double? {
        guard isValid(i) else { return nil }
        switch storage {
        case .float(let v): return v[i]
        case .int(let v): return Double(v[i])
        case .bool(let v): return v[i] ? 1 : 0
        case .date(let v): return Double(v[i])
        case .string: return nil
        }
    }

    /// The value as text, as a CSV writer writes it; nil when missing.
    public func text(_ i: Int) -> String? {
        guard isValid(i) else { return nil }
        switch storage {
        case .float(let v): return formatDouble(v[i])
        case .int(let v): return String(v[i])
        case .bool(let v): return v[i] ? "true" : "false"
        case .string(let c, let d): return d[Int(c[i])]
        case .date(let v): return formatDate(v[i])
        }
    }

    /// The rows at `indices`, in that order.
    public func take(_ indices: [Int]) -> Column {
        let newValidity = validity.map { $0.taking(indices) }
        switch storage {
        case .float(let v): return Column(name: name, storage: .float(gather(v, indices)), validity: newValidity)
        case .int(let v): return Column(name: name, storage: .int(gather(v, indices)), validity: newValidity)
        case .bool(let v): return Column(name: name, storage: .bool(gather(v, indices)), validity: newValidity)
        case .string(let c, let d): return Column(name: name, storage: .string(codes: gather(c, indices), dictionary: d), validity: newValidity)
        case .date(let v): return Column(name: name, storage: .date(gather(v, indices)), validity: newValidity)
        }
    }

    /// A missing-aware equality of two cells of this column, for duplicates and grouping.
    public func cellKey(_ i: Int) -> CellKey {
        guard isValid(i) else { return .missing }
        switch storage {
        case .float(let v): return .number(v[i])
        case .int(let v): return .number(Double(v[i]))
        case .bool(let v): return .number(v[i] ? 1 : 0)
        case .string(let c, _): return .code(c[i])
        case .date(let v): return .number(Double(v[i]))
        }
    }
}

/// A hashable cell value: grouping and duplicate detection use it.
public enum CellKey: Hashable, Sendable {
    case missing
    case number(Double)
    case code(UInt32)
}

/// Shortest text that reads back as the same double; whole numbers without ".0".
public func formatDouble(_ d: Double) -> String {
    if d.isNaN { return "NaN" }
    if d.isInfinite { return d > 0 ? "inf" : "-inf" }
    if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
    return "\(d)"
}

/// YYYY-MM-DD from days since 1970-01-01 (proleptic Gregorian).
public func formatDate(_ days: Int32) -> String {
    // Howard Hinnant's civil_from_days.
    let z = Int(days) + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let y = yoe + era * 400
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    let year = m <= 2 ? y + 1 : y
    func pad(_ n: Int, _ w: Int) -> String { let s = String(n); return String(repeating: "0", count: max(0, w - s.count)) + s }
    // A year before 1 is written as ISO 8601 does (astronomical: 0 is 1 BC, -43 is 44 BC), the sign before the digits.
    return (year < 0 ? "-" : "") + "\(pad(abs(year), 4))-\(pad(m, 2))-\(pad(d, 2))"
}

/// Days since 1970-01-01 for a valid calendar date, else nil.
public func daysFromCivil(_ y: Int, _ m: Int, _ d: Int) -> Int32? {
    // Years past ±5 million do not fit 32-bit day numbers (and are not dates anyone means).
    guard (1...12).contains(m), d >= 1, abs(y) <= 5_000_000 else { return nil }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
    let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    guard d <= lengths[m - 1] else { return nil }
    let yy = m <= 2 ? y - 1 : y
    let era = (yy >= 0 ? yy : yy - 399) / 400
    let yoe = yy - era * 400
    let mp = m > 2 ? m - 3 : m + 9
    let doy = (153 * mp + 2) / 5 + d - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return Int32(exactly: era * 146_097 + doe - 719_468)
}

/// v[indices] without a bounds check per element (the indices come from the frame's own row
/// numbers): `split` and `fit` gather every column of a million-row frame.
@inline(__always)
func gather<T>(_ v: [T], _ indices: [Int]) -> [T] {
    v.withUnsafeBufferPointer { src in
        [T](unsafeUninitializedCapacity: indices.count) { out, initialized in
            var k = 0
            for i in indices {
                precondition(i >= 0 && i < src.count)
                (out.baseAddress! + k).initialize(to: src[i])
                k &+= 1
            }
            initialized = k
        }
    }
}

extension Column {
    /// A column of `count` missing values of a type.
    public static func missing(named name: String, type: ColumnType, count n: Int) -> Column {
        let storage: ColumnStorage
        switch type {
        case .float64: storage = .float([Double](repeating: .nan, count: n))
        case .int64: storage = .int([Int64](repeating: 0, count: n))
        case .bool: storage = .bool([Bool](repeating: false, count: n))
        case .date: storage = .date([Int32](repeating: 0, count: n))
        case .string: storage = .string(codes: [UInt32](repeating: 0, count: n), dictionary: [""])
        }
        return Column(name: name, storage: storage, validity: Bitmap(count: n, allValid: false))
    }
}
