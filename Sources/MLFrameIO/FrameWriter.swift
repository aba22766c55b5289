import MLFrame

/// Writes a frame as CSV (RFC 4180), TSV or JSON Lines. Missing values are empty fields (null in JSON).
public enum FrameWriter {
    public enum Format: Sendable { case csv, tsv, jsonLines }

    public static func write(_ frame: Frame, format: Format) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(frame.rowCount * frame.columns.count * 8 + 64)
        switch format {
        case .csv, .tsv:
            let sep: UInt8 = format == .csv ? UInt8(ascii: ",") : UInt8(ascii: "\t")
            for (k, c) in frame.columns.enumerated() {
                if k > 0 { out.append(sep) }
                appendField(&out, c.name, sep: sep)
            }
            out.append(10)
            // Text columns: quote each dictionary entry once.
            let encoded: [[[UInt8]]?] = frame.columns.map { c in
                if case .string(_, let d) = c.storage { return d.map { e in var b: [UInt8] = []; appendField(&b, e, sep: sep); return b } }
                return nil
            }
            for i in 0..<frame.rowCount {
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
            for i in 0..<frame.rowCount {
                out.append(UInt8(ascii: "{"))
                for (k, c) in frame.columns.enumerated() {
                    if k > 0 { out.append(UInt8(ascii: ",")) }
                    out.append(contentsOf: keys[k])
                    guard let t = c.text(i) else { out.append(contentsOf: Array("null".utf8)); continue }
                    switch c.type {
                    case .float64:
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
