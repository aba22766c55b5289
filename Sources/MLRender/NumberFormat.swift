#if canImport(Glibc)
import Glibc
#endif

/// Numbers as tables and summaries show them.
public enum NumberFormat {
    /// printf-style formatting without Foundation.
    public static func c(_ format: String, _ value: Double) -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        _ = withVaList([value]) { vsnprintf(&buffer, 64, format, $0) }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A cell: whole numbers as integers, others in their shortest exact form when short,
    /// else to `significant` digits; very large or small magnitudes in exponent form.
    public static func cell(_ d: Double, significant: Int = 7) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d > 0 ? "inf" : "-inf" }
        if d == d.rounded() && abs(d) < 1e15 { return String(Int64(d)) }
        let shortest = "\(d)"
        if shortest.count <= significant + 2 && !shortest.contains("e") { return shortest }
        let magnitude = abs(d)
        if magnitude >= 1e15 || magnitude < 1e-4 { return c("%.\(max(1, significant - 3))e", d) }
        return trimZeros(c("%.\(significant)g", d))
    }

    /// The most precise form of `d` within `width` characters (down to one significant digit), or nil.
    public static func fitting(_ d: Double, width: Int) -> String? {
        for significant in stride(from: 7, through: 1, by: -1) {
            for text in [cell(d, significant: significant), compact(d, significant: significant)] where text.count <= width {
                return text
            }
        }
        return nil
    }

    /// To `significant` digits, for summaries (describe): 43.92, 0.0012, 1.235e+06.
    public static func compact(_ d: Double, significant: Int = 4) -> String {
        if d.isNaN { return "NA" }
        if d.isInfinite { return d > 0 ? "inf" : "-inf" }
        if d == d.rounded() && abs(d) < 1e7 { return String(Int64(d)) }
        let magnitude = abs(d)
        if magnitude >= 1e7 || (magnitude < 1e-3 && magnitude > 0) { return c("%.\(max(0, significant - 1))e", d) }
        // Past the significant digits and below 1e7 (money-sized errors, counts): the whole number,
        // as its neighbours print, not 5.891e+04 beside 4794.
        if magnitude >= pow(10, Double(significant)) { return String(Int64(d.rounded())) }
        return trimZeros(c("%.\(significant)g", d))
    }

    public static func trimZeros(_ s: String) -> String {
        guard s.contains("."), !s.contains("e") else { return s }
        var t = Substring(s)
        while t.hasSuffix("0") { t = t.dropLast() }
        if t.hasSuffix(".") { t = t.dropLast() }
        return String(t)
    }
}

/// "15 KiB", "117 MiB".
public func formatBytes(_ n: Int) -> String {
    if n < 1024 { return "\(n) B" }
    if n < 1 << 20 { return "\(Int((Double(n) / 1024).rounded())) KiB" }
    if n < 1 << 30 { return NumberFormat.compact(Double(n) / Double(1 << 20), significant: 3) + " MiB" }
    return NumberFormat.compact(Double(n) / Double(1 << 30), significant: 3) + " GiB"
}
