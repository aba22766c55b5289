import MLFrame

/// One value typed as text (at the prompt, or by an HTTP client), read as the CSV reader reads a
/// cell of a column of that type: the same numbers, bools and dates, and the same missing markers.
public enum FieldText {
    public enum Parsed: Equatable, Sendable {
        case missing
        case float(Double)
        case int(Int64)
        case bool(Bool)
        case date(Int32)
        case text(String)
    }

    /// What the reader takes as missing by default ("", NA, and nan as pandas reads it).
    public static func isMissing(_ s: String) -> Bool { s.isEmpty || s == "NA" || s.lowercased() == "nan" }

    /// The text as a value of `type`; nil when it is not one.
    public static func parse(_ s: String, as type: ColumnType) -> Parsed? {
        if isMissing(String(s.trimmingSpaces)) { return .missing }
        if type == .string { return .text(s) }
        return Array(s.utf8).withUnsafeBufferPointer { b -> Parsed? in
            guard let p = b.baseAddress, let (start, end) = FieldParsing.trimmed(p, b.count) else { return .missing }
            let q = p + start, n = end - start
            switch type {
            case .float64: return FieldParsing.double(q, n).map { .float($0) }
            case .int64: return FieldParsing.int(q, n).map { .int($0) }
            case .bool: return FieldParsing.bool(q, n).map { .bool($0) }
            case .date: return FieldParsing.date(q, n).map { .date($0) }
            case .string: return .text(s)
            }
        }
    }
}

extension String {
    var trimmingSpaces: Substring {
        var s = Substring(self)
        while s.first == " " || s.first == "\t" { s.removeFirst() }
        while s.last == " " || s.last == "\t" { s.removeLast() }
        return s
    }
}
