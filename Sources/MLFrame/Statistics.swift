/// Descriptive statistics with pandas' conventions: sample std (ddof=1), linear-interpolation quantiles.
public enum Statistics {
    /// numpy's linear interpolation between sorted neighbours (its `_lerp`, which is exact at t = 1).
    @inline(__always)
    public static func lerp(_ a: Double, _ b: Double, _ t: Double) -> Double {
        let diff = b - a
        return t >= 0.5 ? b - diff * (1 - t) : a + diff * t
    }

    /// The q-quantile of sorted values, as `numpy.quantile(method="linear")`.
    public static func quantile(sorted v: [Double], _ q: Double) -> Double {
        guard !v.isEmpty else { return .nan }
        let pos = q * Double(v.count - 1)
        let lo = Int(pos.rounded(.down))
        let hi = min(lo + 1, v.count - 1)
        return lerp(v[lo], v[hi], pos - Double(lo))
    }

    /// The median, as `quantile(sorted:, 0.5)` gives it, without sorting every value: one pass
    /// counts the values by the top 16 bits of their order-keeping bit pattern, and only the values
    /// in the bucket (or two) holding the middle are sorted. Reorders nothing; NaN-free values only
    /// take this path (NaN has no order), others are sorted whole.
    public static func median(_ v: inout [Double]) -> Double {
        let n = v.count
        guard n > 0 else { return .nan }
        if n < 4096 || v.contains(where: { $0.isNaN }) {
            RadixSort.sort(&v)
            return quantile(sorted: v, 0.5)
        }
        @inline(__always) func key(_ x: Double) -> UInt64 {
            let b = x.bitPattern
            return b & (1 << 63) != 0 ? ~b : b | (1 << 63)
        }
        let lo = (n - 1) / 2, hi = n % 2 == 0 ? lo + 1 : lo
        var counts = [Int](repeating: 0, count: 1 << 16)
        counts.withUnsafeMutableBufferPointer { c in
            for x in v { c[Int(truncatingIfNeeded: key(x) >> 48)] += 1 }
        }
        // The buckets holding ranks lo and hi, and how many values come before the first of them.
        var before = 0, bucket = 0
        while before + counts[bucket] <= lo { before += counts[bucket]; bucket += 1 }
        var last = bucket, upTo = before + counts[bucket]
        while upTo <= hi { last += 1; upTo += counts[last] }
        var middle: [Double] = []
        middle.reserveCapacity(upTo - before)
        let first = UInt64(bucket), final = UInt64(last)
        for x in v {
            let b = key(x) >> 48
            if b >= first && b <= final { middle.append(x) }
        }
        RadixSort.sort(&middle)
        let a = middle[lo - before], b = middle[hi - before]
        return lo == hi ? a : lerp(a, b, 0.5)
    }

    /// The population standard deviation (ddof 0, numpy's `np.std`), two passes.
    public static func populationStd(_ v: [Double]) -> Double {
        guard !v.isEmpty else { return 0 }
        var sum = 0.0
        for x in v { sum += x }
        let mean = sum / Double(v.count)
        var ss = 0.0
        for x in v { let d = x - mean; ss += d * d }
        return (ss / Double(v.count)).squareRoot()
    }

    /// Mean and sample standard deviation (two passes, as pandas).
    public static func meanStd(_ v: [Double]) -> (mean: Double, std: Double) {
        guard !v.isEmpty else { return (.nan, .nan) }
        var sum = 0.0
        for x in v { sum += x }
        let mean = sum / Double(v.count)
        guard v.count > 1 else { return (mean, .nan) }
        var ss = 0.0
        for x in v { let d = x - mean; ss += d * d }
        return (mean, (ss / Double(v.count - 1)).squareRoot())
    }
}

/// What `describe` shows for a numeric column.
public struct NumericSummary: Sendable, Equatable {
    public var count = 0
    public var missing = 0
    public var distinct = 0
    public var mean = Double.nan
    public var std = Double.nan
    public var min = Double.nan
    public var q25 = Double.nan
    public var q50 = Double.nan
    public var q75 = Double.nan
    public var max = Double.nan
    /// Counts in 8 equal bins from min to max, for the spark histogram.
    public var histogram: [Int] = []
}

/// What `describe` shows for a text, boolean or date column.
public struct TextSummary: Sendable, Equatable {
    public var count = 0
    public var missing = 0
    public var distinct = 0
    /// The most frequent values, most frequent first (ties by value).
    public var top: [(value: String, count: Int)] = []

    public static func == (a: TextSummary, b: TextSummary) -> Bool {
        a.count == b.count && a.missing == b.missing && a.distinct == b.distinct
            && a.top.map(\.value) == b.top.map(\.value) && a.top.map(\.count) == b.top.map(\.count)
    }
}

public enum ColumnSummary: Sendable, Equatable {
    case numeric(NumericSummary)
    case text(TextSummary)
}

extension Column {
    /// The valid values as doubles (numeric columns).
    public func validDoubles() -> [Double] {
        var out: [Double] = []
        out.reserveCapacity(count - missingCount)
        switch storage {
        case .float(let v):
            if validity == nil { return v }
            for i in 0..<v.count where isValid(i) { out.append(v[i]) }
        case .int(let v):
            for i in 0..<v.count where isValid(i) { out.append(Double(v[i])) }
        default:
            for i in 0..<count { if let d = double(i) { out.append(d) } }
        }
        return out
    }

    /// The summary `describe` prints.
    public func summarize(topCount: Int = 5) -> ColumnSummary {
        if type.isNumeric {
            var s = NumericSummary()
            // NaN (read as "nan", or made by a computation) has no place in statistics: it counts as missing.
            var values = validDoubles()
            if values.contains(where: { $0.isNaN }) { values.removeAll { $0.isNaN } }
            s.count = values.count
            s.missing = count - values.count
            guard !values.isEmpty else { return .numeric(s) }
            (s.mean, s.std) = Statistics.meanStd(values)
            RadixSort.sort(&values)
            s.min = values[0]
            s.max = values[values.count - 1]
            s.q25 = Statistics.quantile(sorted: values, 0.25)
            s.q50 = Statistics.quantile(sorted: values, 0.5)
            s.q75 = Statistics.quantile(sorted: values, 0.75)
            var distinct = 1
            for i in 1..<values.count where values[i] != values[i - 1] { distinct += 1 }
            s.distinct = distinct
            var bins = [Int](repeating: 0, count: 8)
            let width = (s.max - s.min) / 8
            // With an infinite end there are no equal bins to draw.
            if width.isFinite {
                for x in values {
                    let b = width > 0 ? Swift.min(7, Swift.max(0, Int((x - s.min) / width))) : 0
                    bins[b] += 1
                }
                s.histogram = bins
            }
            return .numeric(s)
        }
        var s = TextSummary()
        var counts: [String: Int] = [:]
        switch storage {
        case .string(let codes, let dictionary):
            var byCode = [Int](repeating: 0, count: dictionary.count)
            for i in 0..<codes.count where isValid(i) { byCode[Int(codes[i])] += 1 }
            for (code, n) in byCode.enumerated() where n > 0 { counts[dictionary[code], default: 0] += n }
        default:
            for i in 0..<count { if let t = text(i) { counts[t, default: 0] += 1 } }
        }
        s.missing = missingCount
        s.count = count - s.missing
        s.distinct = counts.count
        s.top = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(topCount).map { (value: $0.key, count: $0.value) }
        return .text(s)
    }
}
