#if canImport(Glibc)
import Glibc
#endif

/// Maps data values to positions in [0, 1], linearly or by log10, with "nice" ticks
/// (1, 2, 2.5 or 5 times a power of ten) that the text and the SVG renderers share.
public struct Scale: Sendable, Equatable {
    public var low: Double
    public var high: Double
    public var log: Bool

    /// A scale that covers the values with nice ends; a single value gets a unit around it.
    public init(covering values: [Double], log: Bool = false, includeZero: Bool = false) {
        let finite = values.filter { $0.isFinite && (!log || $0 > 0) }
        var lo = finite.min() ?? 0, hi = finite.max() ?? 1
        if includeZero && !log { lo = Swift.min(lo, 0); hi = Swift.max(hi, 0) }
        if lo == hi {
            if log { lo /= 10; hi *= 10 } else { lo -= lo == 0 ? 1 : abs(lo) * 0.1; hi += hi == 0 ? 1 : abs(hi) * 0.1 }
        }
        self.log = log
        if log {
            self.low = pow(10, floor(log10(lo)))
            self.high = pow(10, ceil(log10(hi)))
        } else {
            let step = Scale.niceStep((hi - lo) / 5)
            self.low = floor(lo / step) * step
            self.high = ceil(hi / step) * step
        }
    }

    public init(low: Double, high: Double, log: Bool = false) {
        self.low = low
        self.high = high
        self.log = log
    }

    /// 0 at `low`, 1 at `high`.
    public func position(_ v: Double) -> Double {
        if log {
            guard v > 0 else { return -1 }
            return (log10(v) - log10(low)) / (log10(high) - log10(low))
        }
        return (v - low) / (high - low)
    }

    /// 1, 2, 2.5 or 5 times a power of ten, the nearest to `raw`.
    public static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let exp = floor(log10(raw))
        let base = pow(10, exp)
        let f = raw / base
        let nice: Double = f < 1.5 ? 1 : f < 2.25 ? 2 : f < 3.5 ? 2.5 : f < 7.5 ? 5 : 10
        return nice * base
    }

    /// About `count` ticks at nice values inside the scale (powers of ten for a log scale).
    public func ticks(count: Int = 5) -> [Double] {
        if log {
            var t: [Double] = []
            var v = low
            while v <= high * 1.0000001 { t.append(v); v *= 10 }
            return t
        }
        let step = Scale.niceStep((high - low) / Double(Swift.max(1, count)))
        var t: [Double] = []
        var v = ceil(low / step - 1e-9) * step
        while v <= high + step * 1e-9 {
            t.append(abs(v) < step * 1e-9 ? 0 : v)
            v += step
        }
        return t
    }

    /// A tick's label: no more decimals than the step needs.
    public static func label(_ v: Double, step: Double) -> String {
        if v == 0 { return "0" }
        if abs(v) >= 1e6 || abs(v) < 1e-3 { return NumberFormat.c("%.2g", v) }
        // As many decimals as the step needs to be written exactly (2.5 needs one, 0.25 two).
        var decimals = 0
        while decimals < 6 {
            let scaled = step * pow(10, Double(decimals))
            if abs(scaled - scaled.rounded()) < 1e-6 * Swift.max(1, scaled) { break }
            decimals += 1
        }
        return NumberFormat.trimZeros(NumberFormat.c("%.\(decimals)f", v))
    }

    /// The labels of `ticks()`.
    public func tickLabels(count: Int = 5) -> [(value: Double, label: String)] {
        let t = ticks(count: count)
        let step = t.count > 1 ? abs(t[1] - t[0]) : 1
        return t.map { ($0, log ? Scale.label($0, step: $0) : Scale.label($0, step: step)) }
    }
}
