#if canImport(Glibc)
import Glibc
#endif

/// The Student t distribution's two-sided p-value, through the regularized incomplete beta
/// function (continued fraction, Numerical Recipes' betacf).
public enum Distributions {
    public static func tTwoSidedP(_ t: Double, df: Double) -> Double {
        guard t.isFinite, df > 0 else { return .nan }
        let x = df / (df + t * t)
        return incompleteBeta(x, a: df / 2, b: 0.5)
    }

    /// I_x(a, b)
    public static func incompleteBeta(_ x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let lnBeta = lgamma(a + b) - lgamma(a) - lgamma(b)
        let front = exp(lnBeta + a * log(x) + b * log(1 - x))
        if x < (a + 1) / (a + b + 2) { return front * continuedFraction(x, a, b) / a }
        return 1 - front * continuedFraction(1 - x, b, a) / b
    }

    static func continuedFraction(_ x: Double, _ a: Double, _ b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0, d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...1000 {
            let m2 = Double(2 * m)
            var aa = Double(m) * (b - Double(m)) * x / ((a - 1 + m2) * (a + m2))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + Double(m)) * (a + b + Double(m)) * x / ((a + m2) * (a + 1 + m2))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-15 { break }
        }
        return h
    }
}
