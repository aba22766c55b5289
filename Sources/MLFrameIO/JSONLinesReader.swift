import MLDiagnostics
import MLFrame

/// Reads JSON Lines: one object per line; columns are the keys in order of first appearance.
/// Nested arrays and objects are kept as their JSON text.
public enum JSONLinesReader {
    enum Cell: Equatable {
        /// A number, and its value as a whole number when it was written as one that fits Int64.
        case null, bool(Bool), number(Double, integer: Int64?), text(String)
    }

    public static func read(path: String, options: CSVOptions) throws(Diagnostic) -> (Frame, LoadReport) {
        let source = try ByteSource(path: path)
        // Read whole (raw memory grown by doubling, no zero-filling), then one copy into an array.
        let whole = ReadBuffer(capacity: max(source.size, 1 << 16) + 1)
        while try whole.read(from: source, count: 16 << 20) > 0 { try options.checkStop() }
        var bytes = Array(whole.bytes)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        var report = LoadReport()
        report.format = "jsonl"
        report.bytes = source.size > 0 ? source.size : source.totalRead
        report.compressed = source.compressed
        report.missing = options.missing
        var names: [String] = []
        var index: [String: Int] = [:]
        var columns: [[Cell]] = []
        var rows = 0
        var line = 1
        var start = 0
        let limit = options.rowLimit ?? Int.max
        while start < bytes.count && rows < limit {
            if line & 0xFFFF == 0 { try options.checkStop() }
            var end = start
            while end < bytes.count && bytes[end] != 10 { end += 1 }
            var parser = JSONParser(bytes: bytes, pos: start, end: end, line: line, lineStart: start, path: path)
            parser.skipSpace()
            if parser.pos < end {
                let object = try parser.object()
                parser.skipSpace()
                if parser.pos < end { throw parser.error("unexpected text after the object") }
                for (key, _) in object {
                    if index[key] == nil {
                        index[key] = names.count
                        names.append(key)
                        columns.append(Array(repeating: .null, count: rows))
                    }
                }
                for c in columns.indices { columns[c].append(.null) }
                for (key, cell) in object { columns[index[key]!][rows] = cell }
                rows += 1
            }
            start = end + 1
            line += 1
        }
        if names.isEmpty {
            throw Diagnostic(.csvEmpty, .error, "'\(path)' has no JSON objects", hint: "JSON Lines holds one {\"key\": value} object per line")
        }
        var result: [Column] = []
        for (c, name) in names.enumerated() {
            result.append(try column(name, columns[c], forced: options.types[name], missing: Set(options.missing), path: path))
        }
        return (Frame(columns: result), report)
    }

    static func isDate(_ s: String) -> Bool {
        let b = Array(s.utf8)
        return b.count == 10 && b.withUnsafeBufferPointer { FieldParsing.date($0.baseAddress!, 10) } != nil
    }

    static func column(_ name: String, _ cells: [Cell], forced: ColumnType?, missing: Set<String>, path: String) throws(Diagnostic) -> Column {
        // In JSON only null is missing: a string is text as written, "" and "NA" included.
        var valid = cells.map { c -> Bool in
            if case .null = c { return false }
            return true
        }
        let present = cells.enumerated().filter { valid[$0.offset] }.map(\.element)
        var type: ColumnType = .float64
        if let forced { type = forced }
        else if present.allSatisfy({ if case .bool = $0 { return true }; return false }) && !present.isEmpty { type = .bool }
        else if present.allSatisfy({ if case .number(_, let whole) = $0 { return whole != nil }; return false }) && !present.isEmpty { type = .int64 }
        // NaN and ±inf have no JSON number: write (and other tools) put them in strings.
        else if present.allSatisfy({ c in
            if case .number = c { return true }
            if case .text(let t) = c, let d = Double(t) { return !d.isFinite }
            return false
        }) && present.contains(where: { if case .number = $0 { return true }; return false }) { type = .float64 }
        else if present.allSatisfy({ if case .text(let s) = $0 { return isDate(s) }; return false }) { type = .date }
        else { type = .string }
        func text(_ c: Cell) -> String {
            switch c {
            case .null: return ""
            case .bool(let b): return b ? "true" : "false"
            case .number(let d, let whole): return whole.map(String.init) ?? formatDouble(d)
            case .text(let s): return s
            }
        }
        switch type {
        case .int64:
            var out = [Int64](repeating: 0, count: cells.count)
            for (i, c) in cells.enumerated() where valid[i] {
                let whole: Int64?
                switch c {
                case .number(let d, let w): whole = w ?? (d == d.rounded() && abs(d) < 9.2e18 ? Int64(d) : nil)
                case .bool(let b): whole = b ? 1 : 0
                case .text(let t): whole = Int64(t)
                case .null: whole = 0
                }
                guard let whole else {
                    throw Diagnostic(.csvBadValue, .error, "column '\(name)' was set to int64, but row \(i + 1) holds \(text(c)), which is not a whole number that fits",
                                     externalLocation: "\(path):\(i + 1)", hint: "read it as a number: types={\(name): float}")
                }
                out[i] = whole
            }
            return Column(name: name, storage: .int(out), validity: Bitmap(valid))
        case .float64:
            var out = [Double](repeating: .nan, count: cells.count)
            for (i, c) in cells.enumerated() where valid[i] {
                switch c {
                case .number(let d, _): out[i] = d
                case .bool(let b): out[i] = b ? 1 : 0
                case .text(let s):
                    guard let d = Double(s) else {
                        throw Diagnostic(.csvBadValue, .error, "column '\(name)' was set to \(type.rawValue), but row \(i + 1) holds \"\(s)\"",
                                         externalLocation: "\(path):\(i + 1)", hint: "read it as text: types={\(name): string}")
                    }
                    out[i] = d
                    // "nan" is a missing value, as in CSV files.
                    if d.isNaN { valid[i] = false }
                case .null: valid[i] = false
                }
            }
            return Column(name: name, storage: .float(out), validity: Bitmap(valid))
        case .bool:
            return Column(name: name, storage: .bool(cells.map { if case .bool(let b) = $0 { return b }; return false }), validity: Bitmap(valid))
        case .date:
            var days = [Int32](repeating: 0, count: cells.count)
            for (i, c) in cells.enumerated() where valid[i] {
                let s = text(c)
                guard let d = Array(s.utf8).withUnsafeBufferPointer({ FieldParsing.date($0.baseAddress!, $0.count) }) else {
                    throw Diagnostic(.csvBadValue, .error, "column '\(name)' holds dates, but row \(i + 1) holds \"\(s)\"",
                                     externalLocation: "\(path):\(i + 1)", hint: "write dates as YYYY-MM-DD, or read the column as text: types={\(name): string}")
                }
                days[i] = d
            }
            return Column(name: name, storage: .date(days), validity: Bitmap(valid))
        case .string:
            var dictionary: [String] = []
            var codes: [UInt32] = []
            var lookup: [String: UInt32] = [:]
            for (i, c) in cells.enumerated() {
                guard valid[i] else { codes.append(0); continue }
                let s = text(c)
                if let k = lookup[s] { codes.append(k) } else {
                    lookup[s] = UInt32(dictionary.count); codes.append(UInt32(dictionary.count)); dictionary.append(s)
                }
            }
            return Column(name: name, storage: .string(codes: codes, dictionary: dictionary.isEmpty ? [""] : dictionary), validity: Bitmap(valid))
        }
    }
}

/// A small JSON parser for one line of JSON Lines.
struct JSONParser {
    let bytes: [UInt8]
    var pos: Int
    let end: Int
    let line: Int
    let lineStart: Int
    let path: String

    func error(_ message: String) -> Diagnostic {
        let column = String(decoding: bytes[lineStart..<min(pos, end)], as: UTF8.self).count + 1
        return Diagnostic(.jsonSyntax, .error, "invalid JSON: \(message)", externalLocation: "\(path):\(line):\(column)",
                          hint: "each line must be one JSON object, e.g. {\"a\": 1, \"b\": \"x\"}")
    }

    mutating func skipSpace() {
        while pos < end, bytes[pos] == 32 || bytes[pos] == 9 || bytes[pos] == 13 { pos += 1 }
    }

    mutating func object() throws(Diagnostic) -> [(String, JSONLinesReader.Cell)] {
        guard pos < end, bytes[pos] == UInt8(ascii: "{") else { throw error("expected '{' to start an object") }
        pos += 1
        var out: [(String, JSONLinesReader.Cell)] = []
        skipSpace()
        if pos < end && bytes[pos] == UInt8(ascii: "}") { pos += 1; return out }
        while true {
            skipSpace()
            let key = try string()
            skipSpace()
            guard pos < end, bytes[pos] == UInt8(ascii: ":") else { throw error("expected ':' after the key \"\(key)\"") }
            pos += 1
            skipSpace()
            out.append((key, try value()))
            skipSpace()
            guard pos < end else { throw error("the object is not closed with '}'") }
            if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
            if bytes[pos] == UInt8(ascii: "}") { pos += 1; return out }
            throw error("expected ',' or '}'")
        }
    }

    mutating func value() throws(Diagnostic) -> JSONLinesReader.Cell {
        guard pos < end else { throw error("expected a value") }
        let c = bytes[pos]
        if c == UInt8(ascii: "\"") { return .text(try string()) }
        if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
            // Nested: keep the raw JSON text.
            let start = pos
            var depth = 0
            var inString = false
            while pos < end {
                let b = bytes[pos]
                if inString {
                    if b == UInt8(ascii: "\\") { pos += 1 } else if b == UInt8(ascii: "\"") { inString = false }
                } else if b == UInt8(ascii: "\"") { inString = true }
                else if b == UInt8(ascii: "{") || b == UInt8(ascii: "[") { depth += 1 }
                else if b == UInt8(ascii: "}") || b == UInt8(ascii: "]") { depth -= 1; if depth == 0 { pos += 1; break } }
                pos += 1
            }
            if depth != 0 { throw error("a nested value is not closed") }
            return .text(String(decoding: bytes[start..<pos], as: UTF8.self))
        }
        // true, false, null: compared in place (this runs for every value of a large file).
        func word(_ w: StaticString) -> Bool {
            let n = w.utf8CodeUnitCount
            guard pos + n <= end else { return false }
            for k in 0..<n where bytes[pos + k] != w.utf8Start[k] { return false }
            pos += n
            return true
        }
        if c == UInt8(ascii: "t"), word("true") { return .bool(true) }
        if c == UInt8(ascii: "f"), word("false") { return .bool(false) }
        if c == UInt8(ascii: "n"), word("null") { return .null }
        let start = pos
        var whole = true
        while pos < end {
            let ch = bytes[pos]
            if ch >= 48 && ch <= 57 || ch == UInt8(ascii: "-") || ch == UInt8(ascii: "+") { pos += 1; continue }
            if ch == UInt8(ascii: ".") || ch == UInt8(ascii: "e") || ch == UInt8(ascii: "E") { whole = false; pos += 1; continue }
            break
        }
        let value: Double? = bytes.withUnsafeBufferPointer { b in
            pos > start ? FieldParsing.double(b.baseAddress! + start, pos - start) : nil
        }
        guard let d = value else { pos = start; throw error("expected a value") }
        let integer: Int64? = whole ? bytes.withUnsafeBufferPointer { FieldParsing.int($0.baseAddress! + start, pos - start) } : nil
        return .number(d, integer: integer)
    }

    mutating func string() throws(Diagnostic) -> String {
        guard pos < end, bytes[pos] == UInt8(ascii: "\"") else { throw error("expected a string in double quotes") }
        pos += 1
        // Most strings have no escapes: read them straight from the line.
        var scan = pos
        while scan < end && bytes[scan] != UInt8(ascii: "\"") && bytes[scan] != UInt8(ascii: "\\") { scan += 1 }
        if scan < end && bytes[scan] == UInt8(ascii: "\"") {
            let text = String(decoding: bytes[pos..<scan], as: UTF8.self)
            pos = scan + 1
            return text
        }
        var out: [UInt8] = []
        while pos < end {
            let b = bytes[pos]
            if b == UInt8(ascii: "\"") { pos += 1; return String(decoding: out, as: UTF8.self) }
            if b == UInt8(ascii: "\\") && pos + 1 < end {
                let e = bytes[pos + 1]
                pos += 2
                switch e {
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "t"): out.append(9)
                case UInt8(ascii: "r"): out.append(13)
                case UInt8(ascii: "b"): out.append(8)
                case UInt8(ascii: "f"): out.append(12)
                case UInt8(ascii: "u"):
                    guard pos + 4 <= end, let code = UInt32(String(decoding: bytes[pos..<(pos + 4)], as: UTF8.self), radix: 16) else {
                        throw error("bad \\u escape")
                    }
                    pos += 4
                    var scalar = code
                    // A UTF-16 surrogate pair (\ud83d\ude00) is one character beyond the BMP.
                    if (0xD800..<0xDC00).contains(code), pos + 6 <= end, bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u"),
                       let low = UInt32(String(decoding: bytes[(pos + 2)..<(pos + 6)], as: UTF8.self), radix: 16), (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        pos += 6
                    }
                    out.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")).utf8))
                default: out.append(e)
                }
                continue
            }
            out.append(b)
            pos += 1
        }
        throw error("a string is not closed")
    }
}
