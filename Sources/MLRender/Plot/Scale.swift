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
        // A log scale keeps to normal doubles: 10^⌈log10⌉ of a denormal is 0, of 1.7e308 is inf.
        if log {
            if finite.isEmpty { lo = 1; hi = 10 }
            lo = Swift.min(Swift.max(lo, 1e-300), 1e300)
            hi = Swift.min(Swift.max(hi, lo), 1e300)
        }
        // A spread below the doubles' own precision (noise around one value) is one value.
        if !log && hi - lo <= Swift.max(abs(lo), abs(hi)) * 1e-12 { lo = hi }
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
        let p: Double
        if log {
            guard v > 0 else { return -1 }
            p = (log10(v) - log10(low)) / (log10(high) - log10(low))
        } else {
            p = (v - low) / (high - low)
        }
        // Off the scale when it cannot be placed (callers turn positions into pixel indices).
        return p.isFinite ? p : -1
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
        // Bounded loops: a step below the values' precision would never move on.
        if log {
            var t: [Double] = []
            var v = low
            while v <= high * 1.0000001 && v > 0 && v.isFinite && t.count < 700 { t.append(v); v *= 10 }
            return t
        }
        let step = Scale.niceStep((high - low) / Double(Swift.max(1, count)))
        var t: [Double] = []
        var v = ceil(low / step - 1e-9) * step
        while v <= high + step * 1e-9 && t.count < 1000 {
            t.append(abs(v) < step * 1e-9 ? 0 : v)
            let next = v + step
            if next == v { break }
            v = next
        }
        return t
    }

    /// A tick's label: no more decimals than the step needs.
    public static func label(_ v: Double, step: Double) -> String {
        if v == 0 { return "0" }
        if abs(v) >= 1e6 || abs(v) < 1e-3 { return NumberFormat.c("%.2g", v) }
        // As many decimals as the step needs to be written exactly (2.5 needs one, 0.25 two).
        var decimals = 0
        while decimals < 12 {
            let scaled = step * pow(10, Double(decimals))
            // (A step below 1 at this many decimals needs more of them: 2e-9 is not "0".)
            if scaled.rounded() != 0 && abs(scaled - scaled.rounded()) < 1e-6 * Swift.max(1, scaled) { break }
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
