/// Turns bytes from a file or a terminal into text, refusing invalid UTF-8 with its position.
public enum TextDecoding {
    /// The position of the first invalid UTF-8 sequence, as (line, column, byte), or nil when the bytes are valid.
    public static func firstInvalidUTF8(_ bytes: [UInt8]) -> (line: Int, column: Int, byte: UInt8)? {
        var line = 1, column = 1
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let length: Int
            if b < 0x80 { length = 1 }
            else if b & 0xE0 == 0xC0, b >= 0xC2 { length = 2 }
            else if b & 0xF0 == 0xE0 { length = 3 }
            else if b & 0xF8 == 0xF0, b <= 0xF4 { length = 4 }
            else { return (line, column, b) }
            if i + length > bytes.count { return (line, column, b) }
            for k in 1..<length where bytes[i + k] & 0xC0 != 0x80 { return (line, column, b) }
            if length == 3 {
                let cp = (UInt32(b & 0x0F) << 12) | (UInt32(bytes[i + 1] & 0x3F) << 6)
                if cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF) { return (line, column, b) }
            }
            if length == 4 {
                let cp = (UInt32(b & 0x07) << 18) | (UInt32(bytes[i + 1] & 0x3F) << 12)
                if cp < 0x10000 || cp > 0x10FFFF { return (line, column, b) }
            }
            if b == UInt8(ascii: "\n") { line += 1; column = 1 } else { column += 1 }
            i += length
        }
        return nil
    }

    /// Decodes UTF-8 text, or throws a diagnostic naming the first invalid byte.
    public static func decode(_ bytes: [UInt8], name: String, firstLine: Int = 1) throws(Diagnostic) -> String {
        if let bad = firstInvalidUTF8(bytes) {
            let hex = String(bad.byte, radix: 16, uppercase: true)
            throw Diagnostic(
                .invalidUTF8, .error, "invalid UTF-8 byte 0x\(hex.count == 1 ? "0" + hex : hex)",
                externalLocation: "\(name):\(bad.line + firstLine - 1):\(bad.column)",
                hint: "mlsh reads UTF-8 text; re-save the file as UTF-8 (iconv -f LATIN1 -t UTF-8 can convert it)")
        }
        // A byte-order mark is not part of the text.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return String(decoding: bytes.dropFirst(3), as: UTF8.self) }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension Diagnostic.ID {
    public static let invalidUTF8 = Diagnostic.ID("invalid-utf8")
}
