import MLDiagnostics
import MLFrame
#if canImport(Glibc)
import Glibc
#endif

/// Reading the raw bytes around the parse: newlines and row ends, the header, and the line and
/// column numbers (and cell text) that error messages point at.
extension CSVReader {
    static func countNewlines(_ base: UnsafePointer<UInt8>, _ from: Int, _ to: Int) -> Int {
        var n = 0, p = from
        while p < to, let q = memchrPointer(base + p, UInt8(ascii: "\n"), to - p) {
            n += 1
            p = q - base + 1
        }
        return n
    }

    static func countNewlines(_ buffer: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        return countNewlines(base, from, min(to, buffer.count))
    }

    /// Just past the n-th newline, or nil when the buffer holds fewer (it stops there: cheap).
    static func endOfLines(_ buffer: UnsafeBufferPointer<UInt8>, _ n: Int) -> Int? {
        guard let base = buffer.baseAddress else { return nil }
        var seen = 0, p = 0
        while p < buffer.count, let q = memchrPointer(base + p, UInt8(ascii: "\n"), buffer.count - p) {
            seen += 1
            p = q - base + 1
            if seen == n { return p }
        }
        return nil
    }

    /// Where the last newline in [from, to) is.
    static func lastNewline(_ base: UnsafePointer<UInt8>, from: Int, to: Int) -> Int? {
        var p = to - 1
        while p >= from {
            if base[p] == UInt8(ascii: "\n") { return p }
            p -= 1
        }
        return nil
    }

    /// Line ends in [from, to): LF, CR LF (one), and a lone CR (old Mac files).
    static func countLineEnds(_ base: UnsafePointer<UInt8>, _ from: Int, _ to: Int) -> Int {
        var n = countNewlines(base, from, to), p = from
        while p < to, let q = memchrPointer(base + p, UInt8(ascii: "\r"), to - p) {
            let i = q - base
            if i + 1 >= to || base[i + 1] != UInt8(ascii: "\n") { n += 1 }
            p = i + 1
        }
        return n
    }

    /// The 1-based line of a byte offset within the current block.
    static func lineNumber(in buffer: UnsafeBufferPointer<UInt8>, offset: Int) -> Int {
        guard let base = buffer.baseAddress else { return 1 }
        return countLineEnds(base, 0, min(offset, buffer.count)) + 1
    }

    /// The 1-based character column of a byte offset within its line.
    static func columnNumber(in buffer: UnsafeBufferPointer<UInt8>, offset: Int) -> Int {
        var p = min(offset, buffer.count)
        while p > 0 && buffer[p - 1] != UInt8(ascii: "\n") && buffer[p - 1] != UInt8(ascii: "\r") { p -= 1 }
        return String(decoding: buffer[p..<min(offset, buffer.count)], as: UTF8.self).count + 1
    }

    /// Reads the quoting of [from, to) as the parser does: returns the first row start at or after
    /// each of `pieces` equal steps (for splitting), and the end of the last complete row.
    static func scanRows(_ base: UnsafePointer<UInt8>, from: Int, to: Int, delimiter: UInt8, eof: Bool, pieces: Int) -> (starts: [Int], lastEnd: Int?) {
        let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        var starts: [Int] = []
        var nextTarget = 1
        let size = to - from
        var lastEnd: Int? = nil
        var pos = from
        while pos < to {
            // At a row start.
            if nextTarget < pieces && pos >= from + size * nextTarget / pieces {
                starts.append(pos)
                while nextTarget < pieces && pos >= from + size * nextTarget / pieces { nextTarget += 1 }
            }
            var rowDone = false
            while !rowDone {
                if pos < to && base[pos] == quote {
                    pos += 1
                    while true {
                        guard let q = memchrPointer(base + pos, quote, to - pos) else { return (starts, lastEnd) }
                        let qi = q - base
                        if qi + 1 < to && base[qi + 1] == quote { pos = qi + 2; continue }
                        pos = qi + 1
                        break
                    }
                }
                while pos < to && base[pos] != delimiter && base[pos] != lf && base[pos] != cr { pos += 1 }
                if pos >= to { return (starts, eof ? to : lastEnd) }
                if base[pos] == delimiter { pos += 1; continue }
                if base[pos] == cr { pos += 1 }
                if pos < to && base[pos] == lf { pos += 1 }
                rowDone = true
            }
            lastEnd = pos
        }
        return (starts, lastEnd)
    }

    /// Just past the header row (quote-aware).
    static func endOfFirstRow(_ buffer: UnsafeBufferPointer<UInt8>) -> Int {
        // (Blank lines before the header were dropped when the file was opened.)
        var inQuotes = false
        for (i, c) in buffer.enumerated() {
            if c == UInt8(ascii: "\"") { inQuotes.toggle() }
            else if c == UInt8(ascii: "\n") && !inQuotes { return i + 1 }
            else if c == UInt8(ascii: "\r") && !inQuotes {
                // CR LF, or a lone CR (old Mac line ends).
                return i + 1 < buffer.count && buffer[i + 1] == UInt8(ascii: "\n") ? i + 2 : i + 1
            }
        }
        return buffer.count
    }

    /// Where field `field` of the row starting at `rowStart` begins, read with the quoting as the
    /// parser reads it (a quoted field may hold delimiters and line breaks).
    static func fieldOffset(_ buffer: UnsafeBufferPointer<UInt8>, rowStart: Int, field: Int, delimiter: UInt8) -> Int {
        var p = rowStart, k = 0, inQuotes = false
        while p < buffer.count && k < field {
            let c = buffer[p]
            if c == UInt8(ascii: "\"") { inQuotes.toggle() }
            else if !inQuotes && (c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r")) { break }
            else if c == delimiter && !inQuotes { k += 1 }
            p += 1
        }
        return p
    }

    /// The text of field `column` in the row starting at `rowStart` (cut at 40 characters).
    static func cellText(_ buffer: UnsafeBufferPointer<UInt8>, rowStart: Int, column: Int, delimiter: UInt8) -> String {
        // Enough of the file for any row an error points at; a quoted field may span lines.
        let end = min(buffer.count, rowStart + (4 << 20))
        let rows = CSVSniffer.rows(Array(buffer[rowStart..<end])[...], delimiter: delimiter, maxRows: 1, complete: true)
        guard let row = rows.first, column < row.count else { return "" }
        let text = String(decoding: row[column], as: UTF8.self)
        return text.count > 40 ? String(text.prefix(40)) + "…" : text
    }

    /// Column names made unique: a repeated name gets "_2", "_3"…, with a warning; an empty one a number.
    static func uniqueNames(_ names: [String], path: String, report: inout LoadReport) -> [String] {
        var seen = Set<String>()
        let given = Set(names)
        var out: [String] = []
        var times: [String: Int] = [:]
        // The next suffix to try for each repeated name: a header of one name repeated thousands of
        // times would otherwise try 2, 3, 4… afresh for each copy (quadratic; the fuzzer found it).
        var nextSuffix: [String: Int] = [:]
        for (i, raw) in names.enumerated() {
            var name = raw.isEmpty ? "column_\(i + 1)" : raw
            if raw.isEmpty, given.contains(name) { name = "column_\(i + 1)_" }
            times[name, default: 0] += 1
            if seen.contains(name) {
                var k = nextSuffix[name] ?? 2
                // The new name must not take the name of a later column either.
                while seen.contains("\(name)_\(k)") || given.contains("\(name)_\(k)") { k += 1 }
                nextSuffix[name] = k + 1
                let nth = ["", "first", "second", "third", "fourth", "fifth"]
                let which = times[name]! < nth.count ? "the \(nth[times[name]!])" : "number \(times[name]!)"
                report.warnings.append(Diagnostic(.csvDuplicateColumn, .warning,
                    "the header names '\(name)' more than once; \(which) (column \(i + 1)) is now '\(name)_\(k)'",
                    externalLocation: "\(path):1"))
                name = "\(name)_\(k)"
            }
            seen.insert(name)
            out.append(name)
        }
        return out
    }

    // MARK: - Errors that point into the file

    /// A cell that does not parse as the type the user forced on its column.
    static func forcedTypeError(_ buffer: UnsafeBufferPointer<UInt8>, offset: Int, linesBefore: Int, column: Int, name: String,
                                type: ColumnType, delimiter: UInt8, path: String) -> Diagnostic {
        // The line and column of the cell itself: a quoted line break before it moves it down.
        let start = fieldOffset(buffer, rowStart: offset, field: column, delimiter: delimiter)
        let line = linesBefore + lineNumber(in: buffer, offset: start)
        let cell = cellText(buffer, rowStart: offset, column: column, delimiter: delimiter)
        let at = columnNumber(in: buffer, offset: start)
        let typeName = ["float64": "a number", "int64": "a whole number", "bool": "true or false", "date": "a date (YYYY-MM-DD)"][type.rawValue] ?? type.rawValue
        let wider = type == .int64 && Double(cell) != nil ? "float" : "string"
        return Diagnostic(.csvBadValue, .error,
                          "column '\(name)' was set to \(type.rawValue), but the value \"\(cell)\" on line \(line) is not \(typeName)",
                          externalLocation: "\(path):\(line):\(at)",
                          hint: "fix the value, or read the column as \(wider): types={\(name): \(wider)}")
    }

    /// A quoted field that opens at `offset` and never closes.
    static func unterminatedQuoteError(_ buffer: UnsafeBufferPointer<UInt8>, offset: Int, linesBefore: Int, path: String) -> Diagnostic {
        let line = linesBefore + lineNumber(in: buffer, offset: offset)
        let column = buffer.count > offset ? columnNumber(in: buffer, offset: offset) : 1
        return Diagnostic(.csvUnterminatedQuote, .error, "a quoted field opens on line \(line) and is never closed",
                          externalLocation: "\(path):\(line):\(column)",
                          hint: "add the closing \" (inside a quoted field, write a quote as \"\")")
    }
}
