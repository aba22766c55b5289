#if canImport(Glibc)
import Glibc
#endif

/// Distances between two samples or two distributions, as scipy defines them.
public enum Distance {
    /// The first Wasserstein distance between two samples (`scipy.stats.wasserstein_distance`):
    /// the area between their empirical distribution functions.
    public static func wasserstein(_ u: [Double], _ v: [Double]) -> Double {
        guard !u.isEmpty, !v.isEmpty else { return .nan }
        let us = u.sorted(), vs = v.sorted()
        let all = (us + vs).sorted()
        var total = 0.0, i = 0, j = 0
        for k in 0..<(all.count - 1) {
            let x = all[k]
            // searchsorted(..., side: right): how many values are ≤ x.
            while i < us.count && us[i] <= x { i += 1 }
            while j < vs.count && vs[j] <= x { j += 1 }
            total += abs(Double(i) / Double(us.count) - Double(j) / Double(vs.count)) * (all[k + 1] - x)
        }
        return total
    }

    /// The Jensen–Shannon distance (`scipy.spatial.distance.jensenshannon`, natural log): the
    /// square root of the mean of the two Kullback–Leibler divergences from their midpoint.
    /// The inputs are normalized to sum to one first.
    public static func jensenShannon(_ p: [Double], _ q: [Double]) -> Double {
        precondition(p.count == q.count)
        let ps = p.reduce(0, +), qs = q.reduce(0, +)
        var sum = 0.0
        for k in p.indices {
            let a = p[k] / ps, b = q[k] / qs, m = (a + b) / 2
            sum += relativeEntropy(a, m) + relativeEntropy(b, m)
        }
        return (sum / 2).squareRoot()
    }

    /// `scipy.special.rel_entr`: x log(x/y), 0 when x is 0, infinite when only y is 0.
    static func relativeEntropy(_ x: Double, _ y: Double) -> Double {
        if x == 0 && y >= 0 { return 0 }
        if x > 0 && y > 0 { return x * log(x / y) }
        return .infinity
    }
}
