import MLDiagnostics
import MLFrame
import NIOCore
import PostgresNIO

/// One result column being read: PostgreSQL's binary values decoded into mlsh's column types.
/// The rule: a cell gets the value mlsh's CSV reader gives for the text psql prints for it.
///   int2, int4, int8 → int;  float8 → float (its bits);  float4 → float (its shortest text);
///   numeric → float (its decimal text, read as the CSV reader reads it);
///   bool → bool;  date → date (±infinity missing);  text, varchar, char, name, uuid → string;
///   timestamp, timestamptz → string "YYYY-MM-DD HH:MM:SS[.ffffff][+00]" (mlsh has no time type);
///   NULL → missing. Any other type is an error that names the column and says how to cast it.
final class PostgresColumn {
    enum Kind { case int, float, bool, date, text }

    let name: String
    let kind: Kind
    let decode: Decoder
    private var ints: [Int64] = []
    private var floats: [Double] = []
    private var bools: [Bool] = []
    private var dates: [Int32] = []
    private var codes: [UInt32] = []
    private var dictionary: [String] = []
    private var index: [String: UInt32] = [:]
    private var valid: [Bool] = []
    private(set) var missing = 0
    /// Dates and timestamps at ±infinity, read as missing (for a note).
    private(set) var infiniteDates = 0

    enum Decoder { case int2, int4, int8, float4, float8, numeric, bool, date, text, uuid, timestamp(tz: Bool) }

    /// Nil for a type mlsh does not read.
    init?(name: String, type: PostgresDataType) {
        self.name = name
        switch type {
        case .int2: (kind, decode) = (.int, .int2)
        case .int4: (kind, decode) = (.int, .int4)
        case .int8: (kind, decode) = (.int, .int8)
        case .float4: (kind, decode) = (.float, .float4)
        case .float8: (kind, decode) = (.float, .float8)
        case .numeric: (kind, decode) = (.float, .numeric)
        case .bool: (kind, decode) = (.bool, .bool)
        case .date: (kind, decode) = (.date, .date)
        case .text, .varchar, .bpchar, .name: (kind, decode) = (.text, .text)
        case .uuid: (kind, decode) = (.text, .uuid)
        case .timestamp: (kind, decode) = (.text, .timestamp(tz: false))
        case .timestamptz: (kind, decode) = (.text, .timestamp(tz: true))
        default:
            return nil
        }
    }

    func append(_ bytes: ByteBuffer?) throws {
        guard var b = bytes else { appendMissing(); return }
        switch decode {
        case .int2: push(int: Int64(try read(&b, Int16.self)))
        case .int4: push(int: Int64(try read(&b, Int32.self)))
        case .int8: push(int: try read(&b, Int64.self))
        case .float8: push(float: Double(bitPattern: try read(&b, UInt64.self)))
        case .float4:
            let f = Float(bitPattern: try read(&b, UInt32.self))
            push(float: f.isFinite ? Double("\(f)")! : Double(f))
        case .numeric: push(float: try Self.numeric(&b))
        case .bool: push(bool: try read(&b, UInt8.self) != 0)
        case .date:
            let d = try read(&b, Int32.self)
            // PostgreSQL counts days from 2000-01-01; ±infinity are Int32's ends.
            if d == .max || d == .min { infiniteDates += 1; appendMissing(); return }
            let days = Int64(d) + 10_957
            guard let v = Int32(exactly: days) else { appendMissing(); return }
            dates.append(v); valid.append(true)
        case .text: push(text: b.readString(length: b.readableBytes) ?? "")
        case .uuid:
            guard let raw = b.readBytes(length: 16) else { throw short() }
            let hex = raw.map { String($0, radix: 16).leftPadded(2) }.joined()
            let parts = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4), hex.dropFirst(20)]
            push(text: parts.joined(separator: "-"))
        case .timestamp(let tz):
            let micros = try read(&b, Int64.self)
            if micros == .max || micros == .min { infiniteDates += 1; appendMissing(); return }
            push(text: Self.timestamp(micros) + (tz ? "+00" : ""))
        }
    }

    private func read<T: FixedWidthInteger>(_ b: inout ByteBuffer, _: T.Type) throws -> T {
        guard let v = b.readInteger(endianness: .big, as: T.self) else { throw short() }
        return v
    }

    private func short() -> Diagnostic {
        Diagnostic(.databaseError, .error, "the server sent a value of '\(name)' shorter than its type")
    }

    private func appendMissing() {
        missing += 1
        valid.append(false)
        switch kind {
        case .int: ints.append(0)
        case .float: floats.append(.nan)
        case .bool: bools.append(false)
        case .date: dates.append(0)
        case .text: codes.append(0)
        }
    }

    private func push(int v: Int64) { ints.append(v); valid.append(true) }
    private func push(float v: Double) {
        // NaN is missing in mlsh's numbers, as the CSV reader reads "NaN".
        if v.isNaN { appendMissing(); return }
        floats.append(v); valid.append(true)
    }
    private func push(bool v: Bool) { bools.append(v); valid.append(true) }
    private func push(text s: String) {
        if let c = index[s] { codes.append(c) } else {
            let c = UInt32(dictionary.count)
            index[s] = c
            dictionary.append(s)
            codes.append(c)
        }
        valid.append(true)
    }

    func column() -> Column {
        let validity = missing == 0 ? nil : Bitmap(valid)
        switch kind {
        case .int: return Column(name: name, storage: .int(ints), validity: validity)
        case .float: return Column(name: name, storage: .float(floats), validity: validity)
        case .bool: return Column(name: name, storage: .bool(bools), validity: validity)
        case .date: return Column(name: name, storage: .date(dates), validity: validity)
        case .text: return Column(name: name, storage: .string(codes: codes, dictionary: dictionary.isEmpty ? [""] : dictionary), validity: validity)
        }
    }

    /// numeric's binary form (ndigits, weight, sign, dscale, then base-10000 digits) as the
    /// decimal text PostgreSQL prints, read as a double.
    static func numeric(_ b: inout ByteBuffer) throws -> Double {
        guard let n = b.readInteger(as: Int16.self), let weight = b.readInteger(as: Int16.self),
              let sign = b.readInteger(as: UInt16.self), b.readInteger(as: Int16.self) != nil else {
            throw Diagnostic(.databaseError, .error, "the server sent a numeric value shorter than its header")
        }
        switch sign {
        case 0xC000: return .nan
        case 0xD000: return .infinity
        case 0xF000: return -.infinity
        default: break
        }
        var digits: [Int16] = []
        for _ in 0..<max(0, Int(n)) {
            guard let d = b.readInteger(as: Int16.self) else { throw Diagnostic(.databaseError, .error, "the server sent a numeric value shorter than its digits") }
            digits.append(d)
        }
        var text = sign == 0x4000 ? "-" : ""
        if digits.isEmpty { return 0 }
        let w = Int(weight)
        if w < 0 {
            text += "0." + String(repeating: "0000", count: -w - 1)
            for d in digits { text += String(d).leftPadded(4) }
        } else {
            for i in 0...w { text += i == 0 ? String(i < digits.count ? digits[i] : 0) : String(i < digits.count ? digits[i] : 0).leftPadded(4) }
            if digits.count > w + 1 { text += "." + digits[(w + 1)...].map { String($0).leftPadded(4) }.joined() }
        }
        return Double(text) ?? .nan
    }

    /// Microseconds since 2000-01-01 00:00:00 as "YYYY-MM-DD HH:MM:SS[.ffffff]", trailing zeros of
    /// the fraction dropped, as PostgreSQL prints it.
    static func timestamp(_ micros: Int64) -> String {
        let perDay: Int64 = 86_400_000_000
        var day = micros / perDay, rest = micros % perDay
        if rest < 0 { rest += perDay; day -= 1 }
        let seconds = rest / 1_000_000, fraction = rest % 1_000_000
        var s = formatDate(Int32(clamping: day + 10_957)) + " " + String(seconds / 3600).leftPadded(2) + ":" + String(seconds / 60 % 60).leftPadded(2)
            + ":" + String(seconds % 60).leftPadded(2)
        if fraction != 0 {
            var f = String(fraction).leftPadded(6)
            while f.hasSuffix("0") { f.removeLast() }
            s += "." + f
        }
        return s
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
