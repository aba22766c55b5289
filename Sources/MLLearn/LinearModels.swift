import MLDiagnostics
#if canImport(Glibc)
import Glibc
#endif

/// A fitted linear model: y ≈ intercept + Σ coefficient × feature.
public struct LinearFit: Codable, Sendable, Equatable {
    public var intercept: Double
    public var coefficients: [Double]
    /// For ordinary least squares: standard errors and two-sided p-values (intercept first), as statsmodels' OLS.
    public var standardErrors: [Double]?
    public var pValues: [Double]?
    public var rank: Int
    public var iterations: Int?

    public func predict(_ x: Matrix) -> [Double] {
        x.times(coefficients).map { $0 + intercept }
    }
}

public enum LinearModels {
    /// Ordinary least squares with an intercept, by QR (rank-deficient designs get the minimum-norm
    /// answer and the rank says so). Standard errors from σ²(XᵀX)⁻¹, as statsmodels, when X has full rank.
    public static func ols(_ x: Matrix, _ y: [Double]) throws -> LinearFit {
        let m = x.rows, p = x.cols + 1
        if usesNormalEquations(rows: m, features: x.cols), let fit = ols(RowBlocks(x), y) { return fit.fit }
        var a = x.withIntercept().data
        if m >= p {
            let (beta, rank, rss, inverseDiagonal) = try LinearAlgebra.leastSquaresQR(&a, rows: m, cols: p, y)
            return linearFit(beta, rank: rank, rss: rss, inverseDiagonal: inverseDiagonal, rows: m)
        }
        let (beta, rank) = try LinearAlgebra.leastSquares(Matrix(rows: m, cols: p, data: a), y)
        return linearFit(beta, rank: rank, rss: 0, inverseDiagonal: nil, rows: m)
    }

    /// Whether `ols` solves by the normal equations: tall enough that one pass of BLAS-3 beats QR.
    public static func usesNormalEquations(rows m: Int, features k: Int) -> Bool {
        m >= 10_000 && m >= 20 * (k + 1)
    }

    /// OLS by the normal equations on a design read a block of rows at a time, with the fitted
    /// values; nil when the Gram matrix's spectrum is not clean enough (the caller then builds the
    /// matrix and solves by QR).
    public static func ols(_ x: RowBlocks, _ y: [Double]) -> (fit: LinearFit, fitted: [Double])? {
        guard let s = LinearAlgebra.leastSquaresNormal(x, y, intercept: true) else { return nil }
        return (linearFit(s.solution, rank: s.rank, rss: s.rss, inverseDiagonal: s.inverseGramDiagonal, rows: x.rows), s.fitted)
    }

    /// Coefficients with statsmodels' standard errors and p-values (from σ²(XᵀX)⁻¹) when the design has full rank.
    static func linearFit(_ beta: [Double], rank: Int, rss: Double, inverseDiagonal: [Double]?, rows m: Int) -> LinearFit {
        let p = beta.count
        var fit = LinearFit(intercept: beta[0], coefficients: Array(beta.dropFirst()), rank: rank)
        if let inverseDiagonal, m > p {
            let sigma2 = rss / Double(m - p)
            let se = inverseDiagonal.map { (sigma2 * $0).squareRoot() }
            fit.standardErrors = se
            fit.pValues = zip(beta, se).map { Distributions.tTwoSidedP($0 / $1, df: Double(m - p)) }
        }
        return fit
    }

    /// Ridge: ½‖y − Xw − b‖² + ½α‖w‖², the intercept not penalized (scikit-learn's Ridge): solved on
    /// centred data by Cholesky of XᵀX + αI.
    public static func ridge(_ x: Matrix, _ y: [Double], alpha: Double) throws -> LinearFit {
        let (xc, means, ymean) = center(x, y)
        var g = xc.gram()
        for i in 0..<g.rows { g[i, i] += alpha }
        let rhs = xc.transposeTimes(y.map { $0 - ymean })
        guard let w = LinearAlgebra.solveSPD(g, rhs) else {
            throw Diagnostic(.learnError, .error, "ridge could not solve its system (alpha=0 with collinear features?)", hint: "use alpha > 0")
        }
        let b = ymean - zip(w, means).reduce(0) { $0 + $1.0 * $1.1 }
        return LinearFit(intercept: b, coefficients: w, rank: x.cols)
    }

    /// Elastic net by cyclic coordinate descent, scikit-learn's objective:
    /// (1/2n)‖y − Xw − b‖² + α·ρ‖w‖₁ + α(1−ρ)/2·‖w‖² (ρ = 1 is the lasso).
    public static func elasticNet(_ x: Matrix, _ y: [Double], alpha: Double, l1Ratio: Double,
                                  maxIterations: Int = 100_000, tolerance: Double = 1e-12,
                                  interrupted: () -> Bool = { false },
                                  onIteration: (Int, Double) -> Void = { _, _ in }) throws -> LinearFit {
        let (xc, means, ymean) = center(x, y)
        let n = Double(x.rows), p = x.cols
        var w = [Double](repeating: 0, count: p)
        var r = y.map { $0 - ymean }
        let norms = (0..<p).map { j in xc.column(j).reduce(0) { $0 + $1 * $1 } }
        let l1 = alpha * l1Ratio * n, l2 = alpha * (1 - l1Ratio) * n
        var iterations = 0
        for iteration in 1...maxIterations {
            iterations = iteration
            var maxChange = 0.0, maxW = 0.0
            for j in 0..<p where norms[j] > 0 {
                let col = xc.column(j)
                var rho = 0.0
                var k = 0
                for v in col { rho += v * (r[k] + v * w[j]); k += 1 }
                let new = soft(rho, l1) / (norms[j] + l2)
                let change = new - w[j]
                if change != 0 {
                    k = 0
                    for v in col { r[k] -= v * change; k += 1 }
                    w[j] = new
                }
                maxChange = max(maxChange, abs(change))
                maxW = max(maxW, abs(new))
            }
            if maxW == 0 || maxChange / max(maxW, 1e-300) < tolerance { break }
            let objective = r.reduce(0) { $0 + $1 * $1 } / (2 * n)
                + alpha * l1Ratio * w.reduce(0) { $0 + abs($1) } + alpha * (1 - l1Ratio) / 2 * w.reduce(0) { $0 + $1 * $1 }
            onIteration(iteration, objective)
            if interrupted() { break }
        }
        let b = ymean - zip(w, means).reduce(0) { $0 + $1.0 * $1.1 }
        return LinearFit(intercept: b, coefficients: w, rank: p, iterations: iterations)
    }

    static func soft(_ z: Double, _ t: Double) -> Double { z > t ? z - t : (z < -t ? z + t : 0) }

    /// X with each column's mean removed, the means, and y's mean.
    static func center(_ x: Matrix, _ y: [Double]) -> (Matrix, [Double], Double) {
        var xc = x
        var means: [Double] = []
        for j in 0..<x.cols {
            let m = x.column(j).reduce(0, +) / Double(max(1, x.rows))
            means.append(m)
            for i in 0..<x.rows { xc[i, j] -= m }
        }
        return (xc, means, y.reduce(0, +) / Double(max(1, y.count)))
    }
}
