import CLapack
import MLDiagnostics

/// The LAPACK calls the models need.
public enum LinearAlgebra {
    /// Least squares min ‖A x − b‖ by SVD (dgelsd): works when A is rank-deficient; gives the rank.
    public static func leastSquares(_ a: Matrix, _ b: [Double]) throws -> (solution: [Double], rank: Int) {
        var am = a.data
        let m = a.rows, n = a.cols
        let ldb = max(m, n)
        var bm = b + [Double](repeating: 0, count: max(0, ldb - m))
        var s = [Double](repeating: 0, count: min(m, n))
        var rank: Int32 = 0
        // Singular values below ε·max(m, n)·σmax count as zero, as numpy's lstsq: LAPACK's default (ε)
        // keeps round-off directions, so a dummy-variable trap gave a rank too high and huge coefficients.
        let rcond = Double.ulpOfOne * Double(max(m, n))
        let info = LAPACKE_dgelsd(LAPACK_COL_MAJOR, Int32(m), Int32(n), 1, &am, Int32(max(1, m)), &bm, Int32(ldb), &s, rcond, &rank)
        guard info == 0 else { throw Diagnostic(.learnError, .error, "the least-squares solver failed (LAPACK dgelsd info \(info))") }
        return (Array(bm.prefix(n)), Int(rank))
    }

    /// Least squares for a tall A (m ≥ n) by Householder QR, then SVD of the small R (the route dgelsd
    /// takes when m ≫ n, done by hand so that R stays): the minimum-norm solution, the rank (singular
    /// values under ε·max(m, n)·σmax count as zero, as numpy), the residual sum of squares from Qᵀb (at full rank),
    /// and when A has full rank the diagonal of (AᵀA)⁻¹ = R⁻¹R⁻ᵀ for standard errors. A is consumed.
    public static func leastSquaresQR(_ a: inout [Double], rows m: Int, cols n: Int, _ b: [Double])
        throws -> (solution: [Double], rank: Int, rss: Double, inverseGramDiagonal: [Double]?) {
        precondition(m >= n && a.count == m * n && b.count == m)
        var tau = [Double](repeating: 0, count: n)
        var qtb = b
        guard LAPACKE_dgeqrf(LAPACK_COL_MAJOR, Int32(m), Int32(n), &a, Int32(m), &tau) == 0,
              LAPACKE_dormqr(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "L")), CChar(UInt8(ascii: "T")), Int32(m), 1, Int32(n),
                             &a, Int32(m), &tau, &qtb, Int32(m)) == 0 else {
            throw Diagnostic(.learnError, .error, "the least-squares solver failed (LAPACK QR)")
        }
        var r = [Double](repeating: 0, count: n * n)
        for j in 0..<n { for i in 0...j { r[j * n + i] = a[j * m + i] } }
        let rss = qtb[n...].reduce(0) { $0 + $1 * $1 }
        var rCopy = r
        var c = Array(qtb.prefix(n))
        var s = [Double](repeating: 0, count: n)
        var rank: Int32 = 0
        let rcond = Double.ulpOfOne * Double(max(m, n))
        guard LAPACKE_dgelsd(LAPACK_COL_MAJOR, Int32(n), Int32(n), 1, &rCopy, Int32(n), &c, Int32(n), &s, rcond, &rank) == 0 else {
            throw Diagnostic(.learnError, .error, "the least-squares solver failed (LAPACK dgelsd)")
        }
        var diagonal: [Double]? = nil
        if Int(rank) == n && LAPACKE_dtrtri(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "U")), CChar(UInt8(ascii: "N")), Int32(n), &r, Int32(n)) == 0 {
            // (R⁻¹R⁻ᵀ)ᵢᵢ = Σⱼ (R⁻¹)ᵢⱼ², R⁻¹ upper triangular.
            diagonal = (0..<n).map { i in (i..<n).reduce(0) { $0 + r[$1 * n + i] * r[$1 * n + i] } }
        }
        return (c, Int(rank), rss, diagonal)
    }

    /// Least squares for a tall A by the normal equations, made exact: the eigen-decomposition of AᵀA
    /// gives a pseudo-inverse, and two steps of iterative refinement on the true residual b − Ax bring
    /// the answer to the accuracy of QR. One pass of BLAS-3 over A instead of Householder's column by
    /// column: 800,000 × 67 in a fraction of QR's time. Columns that are exact combinations of others
    /// (eigenvalue under 1e-13 of the largest: a dummy-variable trap) drop out and the answer is the
    /// minimum-norm one, as QR's. Returns nil when the spectrum is not clean (condition number over 10⁴,
    /// where squaring it costs digits): the caller then uses QR.
    public static func leastSquaresNormal(_ a: [Double], rows m: Int, cols k: Int, _ b: [Double], intercept: Bool = false)
        -> (solution: [Double], rank: Int, rss: Double, inverseGramDiagonal: [Double]?)? {
        leastSquaresNormal(RowBlocks(Matrix(rows: m, cols: k, data: a)), b, intercept: intercept)
            .map { ($0.solution, $0.rank, $0.rss, $0.inverseGramDiagonal) }
    }

    /// The same, reading A a block of rows at a time (each step is one pass over the rows), and
    /// also giving the fitted values A·x.
    public static func leastSquaresNormal(_ a: RowBlocks, _ b: [Double], intercept: Bool = false)
        -> (solution: [Double], rank: Int, rss: Double, inverseGramDiagonal: [Double]?, fitted: [Double])? {
        // With intercept, A = [1 X] is never built: its Gram matrix is [[m, 1ᵀX], [Xᵀ1, XᵀX]] and
        // A·x = x₀ + X·x₁….
        let m = a.rows, k = a.cols
        let o = intercept ? 1 : 0
        let n = k + o
        guard m > 0, n > 0 else { return nil }
        var g = [Double](repeating: 0, count: n * n)
        var c = [Double](repeating: 0, count: n)
        var xtx = [Double](repeating: 0, count: k * k), xty = [Double](repeating: 0, count: k)
        var sums = [Double](repeating: 0, count: k)
        let ones = [Double](repeating: 1, count: a.blockRows)
        if k > 0 {
            b.withUnsafeBufferPointer { bp in
                a.forEach { start, count, block, ld in
                    cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, Int32(k), Int32(count), 1, block, Int32(ld), 1, &xtx, Int32(k))
                    cblas_dgemv(CblasColMajor, CblasTrans, Int32(count), Int32(k), 1, block, Int32(ld), bp.baseAddress! + start, 1, 1, &xty, 1)
                    if intercept {
                        cblas_dgemv(CblasColMajor, CblasTrans, Int32(count), Int32(k), 1, block, Int32(ld), ones, 1, 1, &sums, 1)
                    }
                }
            }
        }
        for j in 0..<k {
            for i in 0...j { g[(j + o) * n + i + o] = xtx[j * k + i] }
            c[j + o] = xty[j]
        }
        if intercept {
            g[0] = Double(m)
            for j in 0..<k { g[(j + 1) * n] = sums[j] }
            c[0] = b.reduce(0, +)
        }
        // Rank and conditioning are judged on the Gram matrix of unit-length columns, where a
        // column's units (seconds since 1970 beside a ratio) do not look like collinearity.
        // Rounding-level eigenvalues (under 1e-13 of the largest) are exact dependencies (a
        // dummy-variable trap); anything between that and 1e-8 is too ill-conditioned for the
        // normal equations, which square the condition number: the caller uses QR.
        var scale = (0..<n).map { i -> Double in let d = g[i * n + i]; return d > 0 ? d.squareRoot() : 1 }
        var vectors = g
        for j in 0..<n { for i in 0...j { vectors[j * n + i] /= scale[i] * scale[j] } }
        var lambda = [Double](repeating: 0, count: n)
        guard LAPACKE_dsyevd(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "V")), CChar(UInt8(ascii: "U")), Int32(n), &vectors, Int32(n), &lambda) == 0,
              let largest = lambda.last, largest > 0 else { return nil }
        let dependent = lambda.filter { $0 / largest < 1e-13 }.count
        guard !lambda.contains(where: { $0 / largest >= 1e-13 && $0 / largest < 1e-8 }) else { return nil }
        var inverse = lambda.map { $0 / largest < 1e-13 ? 0 : 1 / $0 }
        if dependent > 0 {
            // numpy's answer to a rank-deficient design is the minimum-norm one in the columns' own
            // units: drop the same number of directions from the unscaled spectrum, whose kept part
            // must stand clear of rounding.
            vectors = g
            scale = [Double](repeating: 1, count: n)
            guard LAPACKE_dsyevd(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "V")), CChar(UInt8(ascii: "U")), Int32(n), &vectors, Int32(n), &lambda) == 0,
                  let top = lambda.last, top > 0, lambda[dependent] / top >= 1e-11 else { return nil }
            inverse = lambda.enumerated().map { $0.offset < dependent ? 0 : 1 / $0.element }
        }
        let rank = n - dependent
        // x = S⁻¹ V Λ⁺ Vᵀ S⁻¹ v (V: the eigenvectors, in `vectors`' columns; S: the column scales).
        func pseudoSolve(_ v: [Double]) -> [Double] {
            var t = [Double](repeating: 0, count: n), x = [Double](repeating: 0, count: n)
            let scaled = (0..<n).map { v[$0] / scale[$0] }
            cblas_dgemv(CblasColMajor, CblasTrans, Int32(n), Int32(n), 1, vectors, Int32(n), scaled, 1, 0, &t, 1)
            for i in 0..<n { t[i] *= inverse[i] }
            cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(n), Int32(n), 1, vectors, Int32(n), t, 1, 0, &x, 1)
            return (0..<n).map { x[$0] / scale[$0] }
        }
        // Two rounds of iterative refinement: each is one pass computing the residual r = b − A·x
        // and Aᵀr block by block, then x += pseudo-solve(Aᵀr).
        var x = pseudoSolve(c)
        var fitted = [Double](repeating: 0, count: m)
        var rss = 0.0
        for step in 0...2 {
            let w = Array(x[o...]), x0 = intercept ? x[0] : 0
            var atr = [Double](repeating: 0, count: k)
            var residualSum = 0.0
            rss = 0
            fitted.withUnsafeMutableBufferPointer { f in
                b.withUnsafeBufferPointer { bp in
                    a.forEach { start, count, block, ld in
                        let out = f.baseAddress! + start
                        for r in 0..<count { out[r] = x0 }
                        if k > 0 { cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(count), Int32(k), 1, block, Int32(ld), w, 1, 1, out, 1) }
                        var residual = [Double](repeating: 0, count: count)
                        for r in 0..<count {
                            let e = bp[start + r] - out[r]
                            residual[r] = e
                            residualSum += e
                            rss += e * e
                        }
                        if step < 2 && k > 0 {
                            cblas_dgemv(CblasColMajor, CblasTrans, Int32(count), Int32(k), 1, block, Int32(ld), residual, 1, 1, &atr, 1)
                        }
                    }
                }
            }
            if step == 2 { break }
            let delta = pseudoSolve(intercept ? [residualSum] + atr : atr)
            for i in 0..<n { x[i] += delta[i] }
        }
        var diagonal: [Double]? = nil
        if rank == n {
            diagonal = (0..<n).map { i in (0..<n).reduce(0) { $0 + vectors[$1 * n + i] * vectors[$1 * n + i] * inverse[$1] } / (scale[i] * scale[i]) }
        }
        return (x, rank, rss, diagonal, fitted)
    }

    /// Solves S x = b for a symmetric positive definite S (Cholesky, dposv); nil when S is not.
    public static func solveSPD(_ s: Matrix, _ b: [Double]) -> [Double]? {
        var a = s.data
        var x = b
        let n = s.rows
        let info = LAPACKE_dposv(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "U")), Int32(n), 1, &a, Int32(n), &x, Int32(n))
        return info == 0 ? x : nil
    }

}

extension Diagnostic.ID {
    public static let learnError = Diagnostic.ID("learn-error")
}
