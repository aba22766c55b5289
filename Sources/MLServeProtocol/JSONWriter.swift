import MLFrame
import MLModel

/// Answers written straight to bytes. Doubles are written as the shortest text that reads back
/// to the same double (Swift's `description`), so a Python client gets the very bits `predict`
/// computed; a value that is not finite, which JSON cannot hold, is written as null.
public struct JSONWriter {
    public var bytes: [UInt8] = []

    public init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    public mutating func raw(_ s: String) { bytes.append(contentsOf: s.utf8) }

    public mutating func string(_ s: String) { bytes.append(contentsOf: jsonString(s).utf8) }

    public mutating func number(_ d: Double) {
        guard d.isFinite else { raw("null"); return }
        if d == d.rounded(.towardZero), abs(d) < 1e15 {
            // 3 rather than 3.0: what Python's json writes for an integral float is 3.0, but both read back the same.
            raw(Int64(d).description)
            if d == 0, d.sign == .minus { raw(".0") }
            return
        }
        raw(d.description)
    }

    public mutating func int(_ i: Int64) { raw(i.description) }

    public mutating func key(_ k: String) {
        string(k)
        bytes.append(UInt8(ascii: ":"))
    }

    /// A predicted value in the target's own type: a number, a whole number, true/false or a text.
    public mutating func value(_ v: PredictedValue) {
        switch v {
        case .number(let d): number(d)
        case .int(let i): int(i)
        case .bool(let b): raw(b ? "true" : "false")
        case .text(let s): string(s)
        }
    }

    /// `{"error": "message"}`, the one shape of every error answer.
    public static func error(_ message: String) -> [UInt8] {
        var w = JSONWriter()
        w.raw("{")
        w.key("error")
        w.string(message)
        w.raw("}")
        return w.bytes
    }
}
