import Dispatch
import MLFrame

/// Writes a frame as CSV (RFC 4180), TSV or JSON Lines. Missing values are empty fields (null in JSON).
public enum FrameWriter {
    public enum Format: Sendable { case csv, tsv, jsonLines }

    public static func write(_ frame: Frame, format: Format) -> [UInt8] {
        Array((parts(frame, format: format) ?? []).joined())
    }

    /// The file in consecutive parts, each a range of rows encoded on its own core (a million
    /// rows of 14 columns are 112 MB of text); nil when `shouldStop` said so between parts.
    public static func parts(_ frame: Frame, format: Format, shouldStop: (@Sendable () -> Bool)? = nil) -> [[UInt8]]? {
        let n = frame.rowCount
        let pieces = max(1, min(64, n / 16_384))
        // A piece left nil was stopped by shouldStop.
        let out = WorkerSlots<[UInt8]?>(pieces, nil)
        let encoded = textColumns(frame, format: format)
        DispatchQueue.concurrentPerform(iterations: pieces) { k in
            if shouldStop?() == true { return }
            out.values[k] = rows(frame, n * k / pieces ..< n * (k + 1) / pieces, format: format, encoded: encoded)
        }
        let body = out.values.prefix(pieces)
        guard body.allSatisfy({ $0 != nil }) else { return nil }
        return [header(frame, format: format)] + body.map { $0! }
    }

    static func header(_ frame: Frame, format: Format) -> [UInt8] {
        guard format != .jsonLines else { return [] }
        let sep: UInt8 = format == .csv ? UInt8(ascii: ",") : UInt8(ascii: "\t")
        var out: [UInt8] = []
        for (k, c) in frame.columns.enumerated() {
            if k > 0 { out.append(sep) }
            appendField(&out, c.name, sep: sep)
        }
        out.append(10)
        return out
    }

    /// Text columns, each dictionary entry encoded once (quoted for CSV, a JSON string for JSON).
    static func textColumns(_ frame: Frame, format: Format) -> [[[UInt8]]?] {
        let sep: UInt8 = format == .tsv ? UInt8(ascii: "\t") : UInt8(ascii: ",")
        return frame.columns.map { c in
            guard case .string(_, let d) = c.storage else { return nil }
            return d.map { e in
                if format == .jsonLines { return Array(jsonString(e).utf8) }
                var b: [UInt8] = []
                appendField(&b, e, sep: sep)
                return b
            }
        }
    }

    static func rows(_ frame: Frame, _ range: Range<Int>, format: Format, encoded: [[[UInt8]]?]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(range.count * frame.columns.count * 9 + 64)
        switch format {
        case .csv, .tsv:
            let sep: UInt8 = format == .csv ? UInt8(ascii: ",") : UInt8(ascii: "\t")
            for i in range {
                for (k, c) in frame.columns.enumerated() {
                    if k > 0 { out.append(sep) }
                    guard c.isValid(i) else { continue }
                    if case .string(let codes, _) = c.storage, let enc = encoded[k] {
                        out.append(contentsOf: enc[Int(codes[i])])
                    } else if let t = c.text(i) {
                        out.append(contentsOf: t.utf8)
                    }
                }
                out.append(10)
            }
        case .jsonLines:
            let keys = frame.columns.map { Array((jsonString($0.name) + ":").utf8) }
            for i in range {
                out.append(UInt8(ascii: "{"))
                for (k, c) in frame.columns.enumerated() {
                    if k > 0 { out.append(UInt8(ascii: ",")) }
                    out.append(contentsOf: keys[k])
                    guard c.isValid(i) else { out.append(contentsOf: Array("null".utf8)); continue }
                    if case .string(let codes, _) = c.storage, let enc = encoded[k] {
                        out.append(contentsOf: enc[Int(codes[i])])
                        continue
                    }
                    let t = c.text(i)!
                    switch c.type {
                    case .float64:
                        // JSON has no NaN or infinity: they are written as strings, and read back so.
                        out.append(contentsOf: (c.double(i)!.isFinite ? t : jsonString(t)).utf8)
                    case .int64, .bool: out.append(contentsOf: t.utf8)
                    case .string, .date: out.append(contentsOf: jsonString(t).utf8)
                    }
                }
                out.append(contentsOf: [UInt8(ascii: "}"), 10])
            }
        }
        return out
    }

    /// A field, quoted when it holds the delimiter, a quote, a line break, or edge spaces
    /// (or would read back as missing: the empty text is written as "").
    static func appendField(_ out: inout [UInt8], _ s: String, sep: UInt8) {
        let bytes = Array(s.utf8)
        let needs = bytes.isEmpty || bytes.contains { $0 == sep || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
            || bytes.first == 32 || bytes.last == 32 || s == "NA"
        guard needs else { out.append(contentsOf: bytes); return }
        out.append(UInt8(ascii: "\""))
        for b in bytes {
            if b == UInt8(ascii: "\"") { out.append(b) }
            out.append(b)
        }
        out.append(UInt8(ascii: "\""))
    }
}
