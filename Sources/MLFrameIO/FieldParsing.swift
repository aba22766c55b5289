#if canImport(Glibc)
import Glibc
#endif

/// Parsers for one field's bytes. Each returns nil when the bytes are not a value of its type.
enum FieldParsing {
    /// 10^e for 0 ≤ e ≤ 22, all exact doubles. A switch, not a global table: a global's lazy
    /// initialisation check would run on every cell.
    @inline(__always)
    static func powerOf10(_ e: Int) -> Double {
        switch e {
        case 0: return 1e0; case 1: return 1e1; case 2: return 1e2; case 3: return 1e3; case 4: return 1e4
        case 5: return 1e5; case 6: return 1e6; case 7: return 1e7; case 8: return 1e8; case 9: return 1e9
        case 10: return 1e10; case 11: return 1e11; case 12: return 1e12; case 13: return 1e13; case 14: return 1e14
        case 15: return 1e15; case 16: return 1e16; case 17: return 1e17; case 18: return 1e18; case 19: return 1e19
        case 20: return 1e20; case 21: return 1e21; default: return 1e22
        }
    }

    @inline(__always)
    static func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 9 }

    /// The field without its surrounding spaces, as [start, end); nil when nothing is left.
    @inline(__always)
    static func trimmed(_ p: UnsafePointer<UInt8>, _ n: Int) -> (Int, Int)? {
        var i = 0, end = n
        while i < end && isSpace(p[i]) { i += 1 }
        while end > i && isSpace(p[end - 1]) { end -= 1 }
        return i < end ? (i, end) : nil
    }

    /// A leading + or −: whether it was −, and where the digits start.
    @inline(__always)
    static func sign(_ p: UnsafePointer<UInt8>, _ i: Int) -> (negative: Bool, next: Int) {
        p[i] == UInt8(ascii: "-") ? (true, i + 1) : p[i] == UInt8(ascii: "+") ? (false, i + 1) : (false, i)
    }

    /// A whole number, optionally signed, with optional surrounding spaces.
    @inline(__always)
    static func int(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int64? {
        guard let (start, end) = trimmed(p, n) else { return nil }
        let (negative, digitsStart) = sign(p, start)
        var i = digitsStart
        guard i < end else { return nil }
        // Accumulated on the sign's side, so that −2⁶³ (which has no positive twin) reads too.
        var value: Int64 = 0
        while i < end {
            let d = p[i] &- 48
            guard d < 10 else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = negative ? m.subtractingReportingOverflow(Int64(d)) : m.addingReportingOverflow(Int64(d))
            if o1 || o2 { return nil }
            value = a
            i += 1
        }
        return value
    }

    /// A decimal number: exact fast path (Clinger) for up to 15 significant digits and small
    /// exponents, otherwise the C library's correctly rounded strtod.
    @inline(__always)
    static func double(_ p: UnsafePointer<UInt8>, _ n: Int) -> Double? {
        guard let (start, end) = trimmed(p, n) else { return nil }
        let (negative, digitsStart) = sign(p, start)
        var i = digitsStart
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        var sawDigit = false
        while i < end, p[i] &- 48 < 10 {
            if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(p[i] &- 48); if mantissa != 0 { digits += 1 } } else { exponent += 1 }
            sawDigit = true
            i += 1
        }
        if i < end && p[i] == UInt8(ascii: ".") {
            i += 1
            while i < end, p[i] &- 48 < 10 {
                if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(p[i] &- 48); if mantissa != 0 { digits += 1 }; exponent -= 1 }
                sawDigit = true
                i += 1
            }
        }
        guard sawDigit else { return slow(p + start, end - start) }
        if i < end && (p[i] == UInt8(ascii: "e") || p[i] == UInt8(ascii: "E")) {
            i += 1
            var expNegative = false
            if i < end && (p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+")) {
                expNegative = p[i] == UInt8(ascii: "-")
                i += 1
            }
            var e = 0
            var expDigits = 0
            while i < end, p[i] &- 48 < 10 {
                if e < 100_000 { e = e * 10 + Int(p[i] &- 48) }
                expDigits += 1
                i += 1
            }
            guard expDigits > 0 else { return nil }
            exponent += expNegative ? -e : e
        }
        guard i == end else { return nil }
        if digits <= 15 && mantissa < (1 << 53) && exponent >= -22 && exponent <= 22 {
            var v = Double(mantissa)
            if exponent < 0 { v /= powerOf10(-exponent) } else { v *= powerOf10(exponent) }
            return negative ? -v : v
        }
        return slow(p + start, end - start)
    }

    /// 10^n for 0 ≤ n ≤ 8, as an integer: the scale of one run of up to eight digits.
    @inline(__always)
    static func integerPowerOf10(_ n: Int) -> UInt64 {
        switch n {
        case 0: return 1; case 1: return 10; case 2: return 100; case 3: return 1000; case 4: return 10_000
        case 5: return 100_000; case 6: return 1_000_000; case 7: return 10_000_000; default: return 100_000_000
        }
    }

    /// The ASCII digits at p[i...] (not past `end`) appended to `value`: the new value and how many
    /// digits there were. Reads eight bytes at a time: finds where the digits stop with a few bit
    /// operations and converts up to eight digits with three multiplications, instead of a branch
    /// per byte. The value wraps past 19 digits; callers check the digit count.
    @inline(__always)
    static func digitRun(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ value: UInt64) -> (UInt64, Int) {
        var i = start, value = value
        while i &+ 8 <= end {
            // Little-endian: the first character is the lowest byte.
            let v = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) ^ 0x3030_3030_3030_3030
            let n = nonDigits(v).trailingZeroBitCount >> 3
            if n == 0 { return (value, i - start) }
            value = value &* integerPowerOf10(n) &+ eightDigits(v, n)
            i &+= n
            if n < 8 { return (value, i - start) }
        }
        while i < end {
            let d = p[i] &- 48
            if d >= 10 { break }
            value = value &* 10 &+ UInt64(d)
            i &+= 1
        }
        return (value, i - start)
    }

    /// 10^0 … 10^22 (all exact doubles) in raw memory: the parse loop reads it without the
    /// initialisation check of a global array. Made once, never freed.
    nonisolated(unsafe) static let powersOfTen: UnsafePointer<Double> = {
        let table = UnsafeMutablePointer<Double>.allocate(capacity: 23)
        for e in 0...22 { table[e] = powerOf10(e) }
        return UnsafePointer(table)
    }()

    /// A number that ends at a delimiter, a line end or the chunk's end, read in one pass; nil
    /// when the field is anything else (empty, quoted, too many digits, text), so that the
    /// general path looks at it. `powers` is `powersOfTen`, read once by the caller.
    ///
    /// The common shape, `[-]digits.digits` with at most 8 digits in all, takes a branch-light path:
    /// two 8-byte loads find the integer and fraction digits, the point is squeezed out, and one
    /// SWAR conversion reads all the digits. Everything else goes to `scanDoubleGeneral`.
    @inline(__always)
    static func scanDouble(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ delim: UInt8,
                           _ powers: UnsafePointer<Double>) -> (Double, Int)? {
        let negative = p[start] == UInt8(ascii: "-")
        let i = start &+ (negative ? 1 : 0)
        if i &+ 17 <= end {
            let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) ^ 0x3030_3030_3030_3030
            let a = nonDigits(w).trailingZeroBitCount >> 3  // integer digits
            // A point ('.' is 0x2E, 0x1E once 0x30 is taken away) right after 1…7 digits.
            if a > 0 && a < 8 && (w >> UInt64(8 * a)) & 0xFF == 0x1E {
                let f = UnsafeRawPointer(p + i + a + 1).loadUnaligned(as: UInt64.self) ^ 0x3030_3030_3030_3030
                let b = nonDigits(f).trailingZeroBitCount >> 3  // fraction digits
                let next = i &+ a &+ 1 &+ b
                let c = p[next]
                if a + b <= 8 && (c == delim || c == 10 || c == 13) {
                    // The integer digits, then the fraction digits, as one run of a + b digits.
                    let digits = (w & ((1 << UInt64(8 * a)) &- 1)) | (f << UInt64(8 * a))
                    var v = Double(eightDigits(digits, a + b))
                    v /= powers[b]
                    return (negative ? -v : v, next)
                }
            }
        }
        return scanDoubleGeneral(p, start, end, delim, powers)
    }

    /// The bytes of `v` (digits minus 0x30) that are not 0…9, as their top bits.
    @inline(__always)
    static func nonDigits(_ v: UInt64) -> UInt64 {
        // Adding 0x76 sets a byte's top bit unless it is 0…9. A carry out of a non-digit byte can
        // only spoil the bytes after it, which are not used.
        ((v &+ 0x7676_7676_7676_7676) | v) & 0x8080_8080_8080_8080
    }

    /// The number written by the first n (1…8) bytes of `v` (digits minus 0x30, first digit lowest).
    @inline(__always)
    static func eightDigits(_ v: UInt64, _ n: Int) -> UInt64 {
        // Keep the n digits as the low end of an eight-digit number with leading zeros, then add
        // pairs, quads and halves with three multiplications.
        var d = v << UInt64(64 - 8 * n)
        d = (d &* 10 &+ (d >> 8)) & 0x00FF_00FF_00FF_00FF
        d = (d &* 100 &+ (d >> 16)) & 0x0000_FFFF_0000_FFFF
        d = (d &* 10_000 &+ (d >> 32)) & 0xFFFF_FFFF
        return d
    }

    /// `scanDouble` for every other shape of number: signs, no fraction, long digit runs, exponents.
    @inline(never)
    static func scanDoubleGeneral(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ delim: UInt8,
                           _ powers: UnsafePointer<Double>) -> (Double, Int)? {
        var i = start
        let negative = p[i] == UInt8(ascii: "-")
        if negative || p[i] == UInt8(ascii: "+") { i += 1 }
        var (mantissa, digits) = digitRun(p, i, end, 0)
        i += digits
        var exponent = 0
        if i < end && p[i] == UInt8(ascii: ".") {
            let (m, fraction) = digitRun(p, i + 1, end, mantissa)
            mantissa = m
            digits += fraction
            exponent = -fraction
            i += 1 + fraction
        }
        // Up to 19 digits the mantissa has not wrapped; it is exact below 2^53 (checked below).
        guard digits > 0, digits <= 19 else { return nil }
        if i < end {
            let c = p[i]
            if c != delim && c != 10 && c != 13 {
                guard let (e, next) = scanExponent(p, i, end, delim) else { return nil }
                exponent += e
                i = next
            }
        }
        // Clinger's fast path: an exact mantissa and an exact power of ten give a correctly rounded
        // result in one multiplication or division.
        guard mantissa <= 1 << 53, exponent >= -22 && exponent <= 22 else { return nil }
        var v = Double(mantissa)
        if exponent < 0 { v /= powers[-exponent] } else if exponent > 0 { v *= powers[exponent] }
        return (negative ? -v : v, i)
    }

    /// The exponent part of a number (`e-5`, `E+07`) up to the field's end; nil if the field
    /// holds anything else. Out of line: rare, and it keeps `scanDouble` small enough to inline.
    @inline(never)
    static func scanExponent(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ delim: UInt8) -> (Int, Int)? {
        var i = start
        guard (p[i] | 0x20) == UInt8(ascii: "e") else { return nil }
        i += 1
        var negative = false
        if i < end && (p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+")) { negative = p[i] == UInt8(ascii: "-"); i += 1 }
        var e = 0, digits = 0
        while i < end {
            let d = p[i] &- 48
            if d >= 10 { break }
            e = e * 10 + Int(d)
            digits += 1
            i += 1
            if digits > 4 { return nil }
        }
        guard digits > 0 else { return nil }
        guard i == end || p[i] == delim || p[i] == 10 || p[i] == 13 else { return nil }
        return (negative ? -e : e, i)
    }

    /// A whole number that ends at a delimiter or line end, in one pass; nil for anything else.
    @inline(__always)
    static func scanInt(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ delim: UInt8) -> (Int64, Int)? {
        var i = start
        var negative = false
        if p[i] == UInt8(ascii: "-") { negative = true; i += 1 } else if p[i] == UInt8(ascii: "+") { i += 1 }
        let (value, n) = digitRun(p, i, end, 0)
        i += n
        guard n > 0, n <= 18 else { return nil }
        guard i == end || p[i] == delim || p[i] == 10 || p[i] == 13 else { return nil }
        return (negative ? -Int64(value) : Int64(value), i)
    }

    /// strtod on a NUL-terminated copy; also reads inf and nan.
    static func slow(_ p: UnsafePointer<UInt8>, _ n: Int) -> Double? {
        guard n < 512 else { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: n + 1) { buf -> Double? in
            for k in 0..<n { buf[k] = CChar(bitPattern: p[k]) }
            buf[n] = 0
            var endPtr: UnsafeMutablePointer<CChar>? = nil
            let v = strtod(buf.baseAddress!, &endPtr)
            guard let endPtr, endPtr - buf.baseAddress! == n else { return nil }
            return v
        }
    }

    /// true/false in any letter case.
    @inline(__always)
    static func bool(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool? {
        if n == 4 && (p[0] | 0x20) == UInt8(ascii: "t") && (p[1] | 0x20) == UInt8(ascii: "r") && (p[2] | 0x20) == UInt8(ascii: "u") && (p[3] | 0x20) == UInt8(ascii: "e") { return true }
        if n == 5 && (p[0] | 0x20) == UInt8(ascii: "f") && (p[1] | 0x20) == UInt8(ascii: "a") && (p[2] | 0x20) == UInt8(ascii: "l") && (p[3] | 0x20) == UInt8(ascii: "s") && (p[4] | 0x20) == UInt8(ascii: "e") { return false }
        return nil
    }

    /// An ISO date, YYYY-MM-DD.
    @inline(__always)
    static func date(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int32? {
        guard n == 10, p[4] == UInt8(ascii: "-"), p[7] == UInt8(ascii: "-") else { return nil }
        func digits(_ a: Int, _ b: Int) -> Int? {
            var v = 0
            for k in a..<b {
                let d = p[k] &- 48
                guard d < 10 else { return nil }
                v = v * 10 + Int(d)
            }
            return v
        }
        guard let y = digits(0, 4), let m = digits(5, 7), let d = digits(8, 10) else { return nil }
        return daysFromCivil(y, m, d)
    }
}

import MLFrame
