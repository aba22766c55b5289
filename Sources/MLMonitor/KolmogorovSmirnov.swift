#if canImport(Glibc)
import Glibc
#endif

/// The two-sample Kolmogorov–Smirnov test as `scipy.stats.ks_2samp(x, y)` computes it (two-sided,
/// method "auto"): the exact p-value when neither sample has more than 10,000 values, the finite-n
/// Kolmogorov distribution otherwise (and where scipy's exact sum overflows 1, as scipy does).
public enum KolmogorovSmirnov {
    public struct Result: Sendable, Equatable {
        public var statistic: Double
        public var pValue: Double
    }

    public static func test(_ x: [Double], _ y: [Double]) -> Result {
        let a = x.sorted(), b = y.sorted()
        let n1 = a.count, n2 = b.count
        guard n1 > 0, n2 > 0 else { return Result(statistic: .nan, pValue: .nan) }
        let d = statistic(a, b)
        let g = gcd(n1, n2)
        if max(n1, n2) <= 10_000 {
            let lcm = (n1 / g) * n2
            let h = Int((d * Double(lcm)).rounded(.toNearestOrEven))
            let lattice = Double(h) / Double(lcm)
            if h == 0 { return Result(statistic: d, pValue: 1) }
            let p = n1 == n2 ? outsideSquare(n1, h) : outsideInside(n1, n2, g, h)
            if p >= 0 && p <= 1 { return Result(statistic: d, pValue: p) }
            return Result(statistic: d, pValue: asymptotic(lattice, n1, n2))
        }
        return Result(statistic: d, pValue: asymptotic(d, n1, n2))
    }

    /// The largest distance between the two empirical distribution functions, each evaluated at
    /// every value of both samples (counting ties fully, as searchsorted's side "right").
    static func statistic(_ a: [Double], _ b: [Double]) -> Double {
        var maxS = -Double.infinity, minS = Double.infinity
        func at(_ v: Double) {
            let diff = Double(upper(a, v)) / Double(a.count) - Double(upper(b, v)) / Double(b.count)
            maxS = max(maxS, diff)
            minS = min(minS, diff)
        }
        for v in a { at(v) }
        for v in b { at(v) }
        let low = min(max(-minS, 0), 1)
        return low > maxS ? low : maxS
    }

    /// How many values of the sorted `s` are ≤ v.
    static func upper(_ s: [Double], _ v: Double) -> Int {
        var lo = 0, hi = s.count
        while lo < hi { let mid = (lo + hi) / 2; if s[mid] <= v { lo = mid + 1 } else { hi = mid } }
        return lo
    }

    static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }

    /// scipy's `_compute_prob_outside_square(n, h)`, its operations in its order (so that the
    /// same sums overflow 1 and fall back).
    static func outsideSquare(_ n: Int, _ h: Int) -> Double {
        var p = 0.0
        var k = n / h
        while k >= 0 {
            var p1 = 1.0
            for j in 0..<h {
                p1 = Double(n - k * h - j) * p1 / Double(n + k * h + j + 1)
            }
            p = p1 * (1.0 - p)
            k -= 1
        }
        return 2 * p
    }

    /// scipy's `_compute_outer_prob_inside_method(m, n, g, h)`: Viehmann's recursion over the
    /// lattice paths, a window of it at a time.
    static func outsideInside(_ m0: Int, _ n0: Int, _ g: Int, _ h: Int) -> Double {
        let m = max(m0, n0), n = min(m0, n0)
        let mg = m / g, ng = n / g
        func floorDiv(_ a: Int, _ b: Int) -> Int { Int((Double(a) / Double(b)).rounded(.down)) }
        func ceilDiv(_ a: Int, _ b: Int) -> Int { Int((Double(a) / Double(b)).rounded(.up)) }
        var minj = 0, maxj = min(ceilDiv(h, mg), n + 1)
        var curlen = maxj - minj
        let lenA = min(2 * maxj + 2, n + 1)
        var A = [Double](repeating: 1, count: lenA)
        for j in minj..<maxj { A[j] = 0 }
        for i in 1...m {
            let lastminj = minj, lastlen = curlen
            minj = max(floorDiv(ng * i - h, mg) + 1, 0)
            minj = min(minj, n)
            maxj = min(ceilDiv(ng * i + h, mg), n + 1)
            if maxj <= minj { return 1.0 }
            var val = minj == 0 ? 0.0 : 1.0
            for jj in 0..<(maxj - minj) {
                let j = jj + minj
                val = (A[jj + minj - lastminj] * Double(i) + val * Double(j)) / Double(i + j)
                A[jj] = val
            }
            curlen = maxj - minj
            if lastlen > curlen {
                for k in (maxj - minj)..<min(lenA, maxj - minj + (lastlen - curlen)) { A[k] = 1 }
            }
        }
        return A[maxj - minj - 1]
    }

    /// `kstwo.sf(d, round(m·n/(m+n)))`: the two-sided one-sample Kolmogorov distribution for N
    /// values. The closed forms at both ends as scipy has them; between them the Durbin matrix
    /// (Marsaglia–Tsang–Wang), where scipy also uses Pomeranz's recursion or Smirnov's one-sided
    /// sum (they agree to about 1e-13).
    static func asymptotic(_ d: Double, _ n1: Int, _ n2: Int) -> Double {
        let m = Double(max(n1, n2)), n = Double(min(n1, n2))
        let en = (m * n / (m + n)).rounded(.toNearestOrEven)
        let N = Int(en)
        if d <= 0.5 / en { return 1 }
        if d >= 1 { return 0 }
        let t = en * d
        if t <= 1 {
            if t <= 0.5 { return 1 }
            var prob: Double
            if N <= 140 {
                prob = 1
                for i in 1...N { prob *= (Double(i) * (1.0 / en)) * (2 * t - 1) }
            } else {
                prob = exp(logFactorialOverPower(en) + en * log(2 * t - 1))
            }
            return clip(1 - prob)
        }
        if t >= en - 1 { return clip(2 * pow(1 - d, en)) }
        if en * d * d >= 370 { return 0 }
        return clip(1 - durbin(N, d))
    }

    static func clip(_ p: Double) -> Double { min(1, max(0, p)) }

    /// log(n!/nⁿ), Stirling's series as scipy's `_log_nfactorial_div_n_pow_n`.
    static func logFactorialOverPower(_ n: Double) -> Double {
        let c = [-2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3,
                 8.4175084175084175084e-4, -5.952380952380952381e-4, 7.9365079365079365079e-4,
                 -2.7777777777777777778e-3, 8.3333333333333333333e-2]
        let rn = 1 / n
        var poly = 0.0
        for k in c { poly = poly * (rn / n) + k }
        return log(n) / 2 - n + log(2 * Double.pi) / 2 + rn * poly
    }

    /// P(D_n < d) by the Durbin matrix: the (k,k) entry of Hⁿ, scaled by n!/nⁿ, with the
    /// exponent kept apart so that large n neither overflows nor underflows.
    static func durbin(_ n: Int, _ d: Double) -> Double {
        let nd = Double(n) * d
        if nd <= 0.5 { return 0 }
        let k = Int(nd.rounded(.up)), h = Double(k) - nd, m = 2 * k - 1
        // Past a few hundred the matrix is costly; the limit distribution is then close.
        if m > 601 { return 1 - kolmogorovLimit(d * Double(n).squareRoot()) }
        var v = [Double](repeating: 0, count: m), w = [Double](repeating: 0, count: m)
        var fac = 1.0
        for j in 1...m {
            w[j - 1] = fac
            fac /= Double(j)
            v[j - 1] = (1 - pow(h, Double(j))) * fac
        }
        let tt = pow(max(2 * h - 1, 0), Double(m)) - 2 * pow(h, Double(m))
        v[m - 1] = (1 + tt) * fac
        var H = [Double](repeating: 0, count: m * m)
        for c in 1..<max(m, 1) { for r in (c - 1)..<m where r - c + 1 < m { H[r * m + c] = w[r - c + 1] } }
        for r in 0..<m { H[r * m] = v[r] }
        for c in 0..<m { H[(m - 1) * m + c] = v[m - 1 - c] }
        var P = [Double](repeating: 0, count: m * m)
        for i in 0..<m { P[i * m + i] = 1 }
        var nn = n, exponent = 0, hExponent = 0
        let E = 0x1p128
        while nn > 0 {
            if nn & 1 == 1 { P = multiply(P, H, m); exponent += hExponent }
            H = multiply(H, H, m)
            hExponent *= 2
            if abs(H[(k - 1) * m + k - 1]) > E { for i in H.indices { H[i] /= E }; hExponent += 128 }
            nn /= 2
        }
        var p = P[(k - 1) * m + k - 1]
        for i in 1...n {
            p = Double(i) * p / Double(n)
            if abs(p) < 1 / E { p *= E; exponent -= 128 }
        }
        return scalbn(p, Int32(exponent))
    }

    static func multiply(_ a: [Double], _ b: [Double], _ m: Int) -> [Double] {
        var c = [Double](repeating: 0, count: m * m)
        for i in 0..<m {
            for k in 0..<m {
                let aik = a[i * m + k]
                if aik == 0 { continue }
                for j in 0..<m { c[i * m + j] += aik * b[k * m + j] }
            }
        }
        return c
    }

    /// P(√n·D > x) in the limit: 2 Σ (−1)^(k−1) exp(−2k²x²).
    static func kolmogorovLimit(_ x: Double) -> Double {
        guard x > 0 else { return 1 }
        var sum = 0.0
        for k in 1...100 {
            let term = exp(-2 * Double(k * k) * x * x)
            sum += (k % 2 == 1 ? term : -term)
            if term < 1e-18 { break }
        }
        return clip(2 * sum)
    }
}
