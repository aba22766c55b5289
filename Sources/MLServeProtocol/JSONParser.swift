/// RFC 8259 JSON from bytes to a `JSONValue`, for request bodies: strict (no trailing commas, no
/// comments, one value), with two allowances Python clients need: `NaN` (what `json.dumps` writes
/// for pandas' missing values) reads as a number that is not one, and nesting is limited to 64
/// levels so that a body of `[[[[…` cannot exhaust the stack.
public struct JSONParser {
    public static let maxDepth = 64

    let bytes: [UInt8]
    var i = 0
    var depth = 0

    public static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONValue {
        var p = JSONParser(bytes: bytes)
        p.skipSpace()
        let v = try p.value()
        p.skipSpace()
        if p.i < bytes.count { throw p.error("expected the end of the body after the value") }
        return v
    }

    func error(_ expected: String, at offset: Int? = nil) -> JSONSyntaxError {
        let at = min(offset ?? i, bytes.count)
        var line = 1, lineStart = 0
        for k in 0..<at where bytes[k] == UInt8(ascii: "\n") {
            line += 1
            lineStart = k + 1
        }
        return JSONSyntaxError(offset: at, line: line, column: at - lineStart + 1, expected: expected)
    }

    mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
    }

    var found: String {
        guard i < bytes.count else { return "the end of the body" }
        let b = bytes[i]
        if b >= 0x21 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        return "byte 0x" + String(b, radix: 16)
    }

    mutating func value() throws(JSONSyntaxError) -> JSONValue {
        guard i < bytes.count else { throw error("expected a value, found the end of the body") }
        switch bytes[i] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try word("true"); return .bool(true)
        case UInt8(ascii: "f"): try word("false"); return .bool(false)
        case UInt8(ascii: "n"): try word("null"); return .null
        case UInt8(ascii: "N"): try word("NaN"); return .number(.nan, integer: false)
        case UInt8(ascii: "I"):
            throw error("Infinity is not a value a model can take; send a number or null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw error("expected a value, found \(found)")
        }
    }

    mutating func word(_ w: String) throws(JSONSyntaxError) {
        let start = i
        for b in w.utf8 {
            guard i < bytes.count, bytes[i] == b else { i = start; throw error("expected a value, found \(found)") }
            i += 1
        }
    }

    mutating func enter() throws(JSONSyntaxError) {
        depth += 1
        if depth > Self.maxDepth { throw error("nested deeper than \(Self.maxDepth) levels") }
    }

    mutating func object() throws(JSONSyntaxError) -> JSONValue {
        try enter()
        i += 1
        var o = JSONObject()
        var seen = Set<String>()
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
            i += 1
            depth -= 1
            return .object(o)
        }
        while true {
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw error("expected a key in quotes, found \(found)") }
            let keyStart = i
            let key = try string()
            guard seen.insert(key).inserted else { throw error("the key \"\(key)\" is given twice in one object", at: keyStart) }
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw error("expected ':' after the key, found \(found)") }
            i += 1
            skipSpace()
            o.keys.append(key)
            o.values.append(try value())
            skipSpace()
            guard i < bytes.count else { throw error("expected ',' or '}', found the end of the body") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "}") { i += 1; break }
            throw error("expected ',' or '}', found \(found)")
        }
        depth -= 1
        return .object(o)
    }

    mutating func array() throws(JSONSyntaxError) -> JSONValue {
        try enter()
        i += 1
        var a: [JSONValue] = []
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
            i += 1
            depth -= 1
            return .array(a)
        }
        while true {
            skipSpace()
            a.append(try value())
            skipSpace()
            guard i < bytes.count else { throw error("expected ',' or ']', found the end of the body") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "]") { i += 1; break }
            throw error("expected ',' or ']', found \(found)")
        }
        depth -= 1
        return .array(a)
    }

    mutating func number() throws(JSONSyntaxError) -> JSONValue {
        let start = i
        var integer = true
        if bytes[i] == UInt8(ascii: "-") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "I") {
                throw error("-Infinity is not a value a model can take; send a number or null", at: start)
            }
        }
        func digits(_ p: inout JSONParser) -> Int {
            let s = p.i
            while p.i < p.bytes.count, p.bytes[p.i] >= UInt8(ascii: "0"), p.bytes[p.i] <= UInt8(ascii: "9") { p.i += 1 }
            return p.i - s
        }
        let intStart = i
        let n = digits(&self)
        guard n > 0 else { throw error("expected a digit, found \(found)") }
        if n > 1, bytes[intStart] == UInt8(ascii: "0") { throw error("a number cannot start with 0", at: intStart) }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            integer = false
            i += 1
            guard digits(&self) > 0 else { throw error("expected a digit after '.', found \(found)") }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            integer = false
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard digits(&self) > 0 else { throw error("expected a digit in the exponent, found \(found)") }
        }
        if let d = fastDouble(start, i) { return .number(d, integer: integer) }
        let text = String(decoding: bytes[start..<i], as: UTF8.self)
        guard let d = Double(text), d.isFinite else { throw error("the number \(text) is too large for a double", at: start) }
        return .number(d, integer: integer)
    }

    static let powersOf10: [Double] = (0...22).map { k in (0..<k).reduce(1.0) { r, _ in r * 10 } }

    /// The common number exactly, without strtod: at most 15 significant digits and a power of
    /// ten up to 22, where one multiplication or division of two exact doubles is correctly
    /// rounded (Clinger's fast path). Anything else returns nil and goes to `Double(String)`.
    func fastDouble(_ start: Int, _ end: Int) -> Double? {
        var k = start
        var negative = false
        if bytes[k] == UInt8(ascii: "-") { negative = true; k += 1 }
        var mantissa: UInt64 = 0
        var digits = 0, exponent = 0
        var seenNonZero = false
        while k < end, bytes[k] >= UInt8(ascii: "0"), bytes[k] <= UInt8(ascii: "9") {
            let d = bytes[k] - UInt8(ascii: "0")
            if d != 0 || seenNonZero { seenNonZero = true; digits += 1 }
            mantissa = mantissa &* 10 &+ UInt64(d)
            k += 1
        }
        if k < end, bytes[k] == UInt8(ascii: ".") {
            k += 1
            while k < end, bytes[k] >= UInt8(ascii: "0"), bytes[k] <= UInt8(ascii: "9") {
                let d = bytes[k] - UInt8(ascii: "0")
                if d != 0 || seenNonZero { seenNonZero = true; digits += 1 }
                mantissa = mantissa &* 10 &+ UInt64(d)
                exponent -= 1
                k += 1
            }
        }
        if k < end {
            // An exponent part: e or E, a sign, digits.
            k += 1
            var sign = 1
            if bytes[k] == UInt8(ascii: "-") { sign = -1; k += 1 } else if bytes[k] == UInt8(ascii: "+") { k += 1 }
            var e = 0
            while k < end {
                e = e * 10 + Int(bytes[k] - UInt8(ascii: "0"))
                if e > 1000 { return nil }
                k += 1
            }
            exponent += sign * e
        }
        guard digits <= 15 else { return nil }
        var d = Double(mantissa)
        if exponent < 0 {
            guard exponent >= -22 else { return nil }
            d /= Self.powersOf10[-exponent]
        } else if exponent > 0 {
            guard exponent <= 22 else { return nil }
            d *= Self.powersOf10[exponent]
        }
        return negative ? -d : d
    }

    mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        guard i + 4 <= bytes.count else { throw error("expected 4 hex digits after \\u, found the end of the body") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[i]
            let d: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(b - UInt8(ascii: "A") + 10)
            default: throw error("expected a hex digit after \\u, found \(found)")
            }
            v = v << 4 | d
            i += 1
        }
        return v
    }

    mutating func string() throws(JSONSyntaxError) -> String {
        let open = i
        i += 1
        // The common case, no escapes: one copy of the bytes, checked as UTF-8.
        var k = i
        while k < bytes.count, bytes[k] != UInt8(ascii: "\""), bytes[k] != UInt8(ascii: "\\"), bytes[k] >= 0x20 { k += 1 }
        if k < bytes.count, bytes[k] == UInt8(ascii: "\"") {
            guard let s = String(validating: bytes[i..<k], as: UTF8.self) else { throw error("the text is not valid UTF-8", at: open) }
            i = k + 1
            return s
        }
        var out: [UInt8] = Array(bytes[i..<k])
        i = k
        while true {
            guard i < bytes.count else { throw error("the text that starts here has no closing quote", at: open) }
            let b = bytes[i]
            if b == UInt8(ascii: "\"") { i += 1; break }
            if b < 0x20 { throw error("a control character (byte 0x\(String(b, radix: 16))) must be escaped inside a text") }
            if b != UInt8(ascii: "\\") { out.append(b); i += 1; continue }
            i += 1
            guard i < bytes.count else { throw error("the text that starts here has no closing quote", at: open) }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                        throw error("a \\u escape of a high surrogate must be followed by its low surrogate")
                    }
                    i += 2
                    let low = try hex4()
                    guard low >= 0xDC00 && low < 0xE000 else { throw error("a \\u escape of a high surrogate must be followed by its low surrogate") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if scalar >= 0xDC00 && scalar < 0xE000 {
                    throw error("a lone low surrogate in a \\u escape")
                }
                out.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar)!)).utf8))
            default:
                throw error("unknown escape '\\\(Character(Unicode.Scalar(e)))'", at: i - 2)
            }
        }
        guard let s = String(validating: out, as: UTF8.self) else { throw error("the text is not valid UTF-8", at: open) }
        return s
    }
}
