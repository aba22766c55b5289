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
        let info = LAPACKE_dgelsd(LAPACK_COL_MAJOR, Int32(m), Int32(n), 1, &am, Int32(max(1, m)), &bm, Int32(ldb), &s, -1, &rank)
        guard info == 0 else { throw Diagnostic(.learnError, .error, "the least-squares solver failed (LAPACK dgelsd info \(info))") }
        return (Array(bm.prefix(n)), Int(rank))
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
