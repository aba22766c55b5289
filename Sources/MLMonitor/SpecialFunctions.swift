#if canImport(Glibc)
import Glibc
#endif

/// The tails the drift tests need, as scipy computes them (`scipy.stats.chi2.sf`, `norm.sf`).
public enum Tail {
    /// P(X ≥ x) for a chi-square variable with `df` degrees of freedom: the regularized upper
    /// incomplete gamma Q(df/2, x/2).
    public static func chiSquare(_ x: Double, df: Double) -> Double {
        guard x > 0 else { return 1 }
        return upperGamma(df / 2, x / 2)
    }

    /// P(Z ≥ z) for a standard normal Z, through erfc so the far tail keeps its digits.
    public static func normal(_ z: Double) -> Double {
        0.5 * erfc(z / 2.0.squareRoot())
    }

    /// Φ(a) as scipy's `ndtr` computes it (erf near 0, erfc further out), so that 1 − Φ loses
    /// the same digits it loses in Evidently's Z-test.
    public static func normalCDF(_ a: Double) -> Double {
        let x = a * (0.5).squareRoot(), z = abs(x)
        if z < (0.5).squareRoot() { return 0.5 + 0.5 * erf(x) }
        let y = 0.5 * erfc(z)
        return x > 0 ? 1 - y : y
    }

    /// Q(a, x) = Γ(a, x) / Γ(a): the series of P below a + 1, Lentz's continued fraction above
    /// (Numerical Recipes, 6.2), each to full double precision.
    static func upperGamma(_ a: Double, _ x: Double) -> Double {
        if x < a + 1 { return 1 - lowerSeries(a, x) }
        return upperFraction(a, x)
    }

    static func lowerSeries(_ a: Double, _ x: Double) -> Double {
        var term = 1 / a, sum = term, n = a
        for _ in 0..<10_000 {
            n += 1
            term *= x / n
            sum += term
            if abs(term) < abs(sum) * 1e-17 { break }
        }
        return sum * exp(-x + a * log(x) - lgamma(a))
    }

    static func upperFraction(_ a: Double, _ x: Double) -> Double {
        let tiny = 1e-300
        var b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d
        for i in 1...10_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let step = d * c
            h *= step
            if abs(step - 1) < 1e-17 { break }
        }
        return exp(-x + a * log(x) - lgamma(a)) * h
    }
}
