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
    /// values under ε·max(m, n)·σmax count as zero, as numpy), the residual sum of squares from Qᵀb,
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

    /// Solves S x = b for a symmetric positive definite S (Cholesky, dposv); nil when S is not.
    public static func solveSPD(_ s: Matrix, _ b: [Double]) -> [Double]? {
        var a = s.data
        var x = b
        let n = s.rows
        let info = LAPACKE_dposv(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "U")), Int32(n), 1, &a, Int32(n), &x, Int32(n))
        return info == 0 ? x : nil
    }

    /// The inverse of a symmetric positive definite matrix; nil when it is singular.
    public static func inverseSPD(_ s: Matrix) -> Matrix? {
        var a = s.data
        let n = s.rows
        guard LAPACKE_dpotrf(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "U")), Int32(n), &a, Int32(n)) == 0,
              LAPACKE_dpotri(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "U")), Int32(n), &a, Int32(n)) == 0 else { return nil }
        var m = Matrix(rows: n, cols: n, data: a)
        for i in 0..<n { for j in 0..<i { m[i, j] = m[j, i] } }
        return m
    }
}

extension Diagnostic.ID {
    public static let learnError = Diagnostic.ID("learn-error")
}
