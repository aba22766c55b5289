import MLDiagnostics
#if canImport(Glibc)
import Glibc
#endif

/// Logistic regression with an L2 penalty, scikit-learn's objective:
/// Σᵢ log-loss + 1/(2C)·‖W‖² (the intercepts not penalized; C = ∞ for none).
/// Two classes: one weight vector (the second class's log-odds); more: multinomial (softmax).
/// Minimized by L-BFGS to a tight gradient tolerance.
public struct LogisticFit: Codable, Sendable, Equatable {
    public var classes: [String]
    /// One row per class for the multinomial model; one row (the positive class) for two.
    public var weights: [[Double]]
    public var intercepts: [Double]
    public var objective: Double
    public var iterations: Int
    public var lossCurve: [Double]

    /// Class probabilities, one row per input row.
    public func probabilities(_ x: Matrix) -> [[Double]] {
        let scores = weights.enumerated().map { k, w in x.times(w).map { $0 + intercepts[k] } }
        return (0..<x.rows).map { r in
            if weights.count == 1 {
                let p = 1 / (1 + exp(-scores[0][r]))
                return [1 - p, p]
            }
            let z = scores.map { $0[r] }
            let m = z.max()!
            let e = z.map { exp($0 - m) }
            let s = e.reduce(0, +)
            return e.map { $0 / s }
        }
    }
}

public enum Logistic {
    /// `sampleWeights`: each row's weight in the loss (class_weight=balanced), as scikit-learn's.
    public static func fit(_ x: Matrix, _ y: [Int], classes: [String], C: Double, maxIterations: Int = 1000,
                           tolerance: Double = 1e-10, sampleWeights: [Double]? = nil, interrupted: () -> Bool = { false },
                           onIteration: (Int, Double) -> Void = { _, _ in }) throws -> LogisticFit {
        guard classes.count >= 2 else {
            throw Diagnostic(.learnError, .error, "the target has a single class (\(classes.first ?? "")): there is nothing to tell apart",
                             hint: "logistic regression needs at least two classes")
        }
        let p = x.cols, n = x.rows
        let k = classes.count == 2 ? 1 : classes.count
        let penalty = C.isInfinite ? 0 : 1 / C
        // Parameters: k weight rows then k intercepts.
        func unpack(_ theta: [Double]) -> ([[Double]], [Double]) {
            ((0..<k).map { Array(theta[($0 * p)..<(($0 + 1) * p)]) }, Array(theta[(k * p)...]))
        }
        func lossAndGradient(_ theta: [Double]) -> (Double, [Double]) {
            let (w, b) = unpack(theta)
            var grad = [Double](repeating: 0, count: theta.count)
            var loss = 0.0
            let scores = (0..<k).map { c in x.times(w[c]).map { $0 + b[c] } }
            var residual = [[Double]](repeating: [Double](repeating: 0, count: n), count: k)
            for r in 0..<n {
                let weight = sampleWeights?[r] ?? 1
                if k == 1 {
                    let z = scores[0][r]
                    let t = Double(y[r])
                    // log(1 + e^z) − t·z, computed stably.
                    loss += weight * ((z > 0 ? z + log1p(exp(-z)) : log1p(exp(z))) - t * z)
                    residual[0][r] = weight * (1 / (1 + exp(-z)) - t)
                } else {
                    let z = (0..<k).map { scores[$0][r] }
                    let m = z.max()!
                    let lse = m + log(z.reduce(0) { $0 + exp($1 - m) })
                    loss += weight * (lse - z[y[r]])
                    for c in 0..<k { residual[c][r] = weight * (exp(z[c] - lse) - (c == y[r] ? 1 : 0)) }
                }
            }
            for c in 0..<k {
                let g = x.transposeTimes(residual[c])
                for j in 0..<p { grad[c * p + j] = g[j] + penalty * w[c][j] }
                grad[k * p + c] = residual[c].reduce(0, +)
                loss += 0.5 * penalty * w[c].reduce(0) { $0 + $1 * $1 }
            }
            return (loss, grad)
        }
        var curve: [Double] = []
        let (theta, value, iterations) = LBFGS.minimize([Double](repeating: 0, count: k * p + k), lossAndGradient,
                                                        maxIterations: maxIterations, tolerance: tolerance, interrupted: interrupted,
                                                        progress: { curve.append($0); onIteration(curve.count, $0) })
        let (w, b) = unpack(theta)
        return LogisticFit(classes: classes, weights: w, intercepts: b, objective: value, iterations: iterations, lossCurve: curve)
    }
}

/// Limited-memory BFGS with a backtracking (Armijo) line search.
public enum LBFGS {
    public static func minimize(_ x0: [Double], _ f: ([Double]) -> (Double, [Double]), memory: Int = 10,
                                maxIterations: Int, tolerance: Double, interrupted: () -> Bool = { false },
                                progress: (Double) -> Void = { _ in }) -> ([Double], Double, Int) {
        var x = x0
        var (fx, g) = f(x)
        var s: [[Double]] = [], yv: [[Double]] = [], rho: [Double] = []
        var iteration = 0
        func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
        while iteration < maxIterations {
            let gnorm = g.reduce(0) { max($0, abs($1)) }
            if gnorm <= tolerance * max(1, abs(fx)) { break }
            if interrupted() { break }
            iteration += 1
            // Two-loop recursion for the search direction.
            var q = g
            var alphas = [Double](repeating: 0, count: s.count)
            for i in stride(from: s.count - 1, through: 0, by: -1) {
                alphas[i] = rho[i] * dot(s[i], q)
                for j in q.indices { q[j] -= alphas[i] * yv[i][j] }
            }
            let gamma = s.isEmpty ? 1 / max(1, gnorm) : dot(s.last!, yv.last!) / dot(yv.last!, yv.last!)
            var r = q.map { $0 * gamma }
            for i in 0..<s.count {
                let beta = rho[i] * dot(yv[i], r)
                for j in r.indices { r[j] += s[i][j] * (alphas[i] - beta) }
            }
            var d = r.map { -$0 }
            var slope = dot(g, d)
            if slope >= 0 { d = g.map { -$0 }; slope = dot(g, d); s.removeAll(); yv.removeAll(); rho.removeAll() }
            var step = 1.0
            var xNew = x, fNew = fx, gNew = g
            var accepted = false
            for _ in 0..<60 {
                xNew = zip(x, d).map { $0 + step * $1 }
                (fNew, gNew) = f(xNew)
                if fNew <= fx + 1e-4 * step * slope { accepted = true; break }
                step *= 0.5
            }
            if !accepted { break }
            let sk = zip(xNew, x).map { $0 - $1 }, yk = zip(gNew, g).map { $0 - $1 }
            let sy = dot(sk, yk)
            if sy > 1e-300 {
                s.append(sk); yv.append(yk); rho.append(1 / sy)
                if s.count > memory { s.removeFirst(); yv.removeFirst(); rho.removeFirst() }
            }
            let improvement = fx - fNew
            x = xNew; fx = fNew; g = gNew
            progress(fx)
            // scipy's L-BFGS-B stop (its ftol, tighter): once a step gains less than this, what is left is
            // round-off in a sum over every row, and chasing it made the line search spin for minutes.
            if improvement >= 0 && improvement <= 1e-13 * max(1, abs(fx)) { break }
        }
        return (x, fx, iteration)
    }
}
