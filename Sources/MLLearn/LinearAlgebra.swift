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
        // With intercept, A = [1 X] is never built (a second copy of a large X): its Gram matrix is
        // [[m, 1ᵀX], [Xᵀ1, XᵀX]] and A·x = x₀ + X·x₁….
        let o = intercept ? 1 : 0
        let n = k + o
        var g = [Double](repeating: 0, count: n * n)
        var c = [Double](repeating: 0, count: n)
        var xtx = [Double](repeating: 0, count: k * k), xty = [Double](repeating: 0, count: k)
        a.withUnsafeBufferPointer { ap in
            cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, Int32(k), Int32(m), 1, ap.baseAddress, Int32(m), 0, &xtx, Int32(k))
            cblas_dgemv(CblasColMajor, CblasTrans, Int32(m), Int32(k), 1, ap.baseAddress, Int32(m), b, 1, 0, &xty, 1)
        }
        for j in 0..<k {
            for i in 0...j { g[(j + o) * n + i + o] = xtx[j * k + i] }
            c[j + o] = xty[j]
        }
        if intercept {
            let ones = [Double](repeating: 1, count: m)
            var sums = [Double](repeating: 0, count: k)
            a.withUnsafeBufferPointer { ap in
                cblas_dgemv(CblasColMajor, CblasTrans, Int32(m), Int32(k), 1, ap.baseAddress, Int32(m), ones, 1, 0, &sums, 1)
            }
            g[0] = Double(m)
            for j in 0..<k { g[(j + 1) * n] = sums[j] }
            c[0] = b.reduce(0, +)
        }
        func times(_ x: [Double]) -> [Double] {  // A·x
            var out = [Double](repeating: intercept ? x[0] : 0, count: m)
            a.withUnsafeBufferPointer { ap in
                cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(m), Int32(k), 1, ap.baseAddress, Int32(m), Array(x[o...]), 1, 1, &out, 1)
            }
            return out
        }
        func transposeTimes(_ r: [Double]) -> [Double] {  // Aᵀ·r
            var out = [Double](repeating: 0, count: k)
            a.withUnsafeBufferPointer { ap in
                cblas_dgemv(CblasColMajor, CblasTrans, Int32(m), Int32(k), 1, ap.baseAddress, Int32(m), r, 1, 0, &out, 1)
            }
            return intercept ? [r.reduce(0, +)] + out : out
        }
        var lambda = [Double](repeating: 0, count: n)
        guard LAPACKE_dsyevd(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "V")), CChar(UInt8(ascii: "U")), Int32(n), &g, Int32(n), &lambda) == 0,
              let largest = lambda.last, largest > 0 else { return nil }
        var inverse = [Double](repeating: 0, count: n)  // 1/λ on the kept directions, 0 on the dependent ones
        for (i, l) in lambda.enumerated() {
            let ratio = l / largest
            if ratio < 1e-13 { continue }
            if ratio < 1e-8 { return nil }
            inverse[i] = 1 / l
        }
        let rank = inverse.filter { $0 != 0 }.count
        // x = V Λ⁺ Vᵀ v (V: the eigenvectors, in g's columns).
        func pseudoSolve(_ v: [Double]) -> [Double] {
            var t = [Double](repeating: 0, count: n), x = [Double](repeating: 0, count: n)
            cblas_dgemv(CblasColMajor, CblasTrans, Int32(n), Int32(n), 1, g, Int32(n), v, 1, 0, &t, 1)
            for i in 0..<n { t[i] *= inverse[i] }
            cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(n), Int32(n), 1, g, Int32(n), t, 1, 0, &x, 1)
            return x
        }
        var x = pseudoSolve(c)
        var residual = b
        for step in 0...2 {
            let fitted = times(x)
            for r in 0..<m { residual[r] = b[r] - fitted[r] }
            if step == 2 { break }
            let delta = pseudoSolve(transposeTimes(residual))
            for i in 0..<n { x[i] += delta[i] }
        }
        let rss = residual.reduce(0) { $0 + $1 * $1 }
        var diagonal: [Double]? = nil
        if rank == n {
            diagonal = (0..<n).map { i in (0..<n).reduce(0) { $0 + g[$1 * n + i] * g[$1 * n + i] * inverse[$1] } }
        }
        return (x, rank, rss, diagonal)
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
