import MLFrame

/// The first phases of reading: dialect, header and column types, each a pure function of
/// the first rows. Options the user set are never overridden.
enum CSVSniffer {
    static let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: "\t"), UInt8(ascii: ";"), UInt8(ascii: "|")]

    /// Splits up to `maxRows` rows of a sample into fields (quote-aware, "" unescaped).
    /// The last row is dropped unless `complete` (the sample may end mid-row).
    static func rows(_ bytes: ArraySlice<UInt8>, delimiter: UInt8, maxRows: Int, complete: Bool) -> [[[UInt8]]] {
        var rows: [[[UInt8]]] = []
        var row: [[UInt8]] = []
        var field: [UInt8] = []
        var inQuotes = false
        var i = bytes.startIndex
        let quote = UInt8(ascii: "\"")
        var lineHasContent = false
        while i < bytes.endIndex && rows.count < maxRows {
            let c = bytes[i]
            if inQuotes {
                if c == quote {
                    if i + 1 < bytes.endIndex && bytes[i + 1] == quote { field.append(quote); i += 1 } else { inQuotes = false }
                } else {
                    field.append(c)
                }
            } else if c == quote && field.isEmpty {
                inQuotes = true
                lineHasContent = true
            } else if c == delimiter {
                row.append(field); field = []
                lineHasContent = true
            } else if c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") {
                if c == UInt8(ascii: "\r") && i + 1 < bytes.endIndex && bytes[i + 1] == UInt8(ascii: "\n") { i += 1 }
                if lineHasContent || !field.isEmpty {
                    row.append(field)
                    rows.append(row)
                }
                row = []; field = []; lineHasContent = false
            } else {
                field.append(c)
                lineHasContent = true
            }
            i += 1
        }
        if complete && (lineHasContent || !field.isEmpty) && rows.count < maxRows {
            row.append(field)
            rows.append(row)
        }
        return rows
    }

    /// The delimiter that splits the sample's rows into the most consistent number of fields (> 1).
    static func delimiter(_ sample: ArraySlice<UInt8>, complete: Bool, pathHint: String) -> UInt8 {
        var best = UInt8(ascii: pathHint.lowercased().contains(".tsv") ? "\t" : ",")
        var bestScore = (0, 0)
        for d in candidates {
            let r = rows(sample, delimiter: d, maxRows: 50, complete: complete)
            guard !r.isEmpty else { continue }
            var freq: [Int: Int] = [:]
            for row in r { freq[row.count, default: 0] += 1 }
            let (mode, n) = freq.max { $0.value != $1.value ? $0.value < $1.value : $0.key < $1.key }!
            guard mode > 1 else { continue }
            let score = (n, mode)
            if score.0 > bestScore.0 || (score.0 == bestScore.0 && score.1 > bestScore.1) {
                best = d
                bestScore = score
            }
        }
        return best
    }

    static func isMissing(_ field: [UInt8], _ tokens: [[UInt8]]) -> Bool {
        tokens.contains { $0 == field }
    }

    /// The narrowest type every sampled value fits: bool, int64, float64, date, else string.
    /// A column with no values at all is float64, as in pandas.
    static func inferType(_ values: [[UInt8]]) -> ColumnType {
        guard !values.isEmpty else { return .float64 }
        var canBool = true, canInt = true, canFloat = true, canDate = true
        for v in values {
            v.withUnsafeBufferPointer { b in
                let p = b.baseAddress ?? UnsafePointer(bitPattern: 1)!
                if canBool && FieldParsing.bool(p, b.count) == nil { canBool = false }
                if canInt && FieldParsing.int(p, b.count) == nil { canInt = false }
                if canFloat && !canInt && FieldParsing.double(p, b.count) == nil { canFloat = false }
                if canDate && FieldParsing.date(p, b.count) == nil { canDate = false }
            }
            if !canBool && !canInt && !canFloat && !canDate { return .string }
        }
        if canBool { return .bool }
        if canInt { return .int64 }
        if canFloat { return .float64 }
        if canDate { return .date }
        return .string
    }

    /// Whether the first row is a header: it is when some field of it does not fit the type
    /// the rows below give its column, or when every column is text.
    static func hasHeader(_ rows: [[[UInt8]]], missing: [[UInt8]]) -> Bool {
        guard rows.count > 1 else { return true }
        let width = rows[0].count
        var allText = true
        for c in 0..<width {
            let below = rows.dropFirst().compactMap { $0.count > c ? $0[c] : nil }.filter { !isMissing($0, missing) }
            let type = inferType(below)
            if type != .string { allText = false }
            let first = rows[0][c]
            if type != .string && !isMissing(first, missing) && inferType([first]) == .string { return true }
        }
        return allText
    }
}
