import CLapack

/// A dense matrix of doubles in column-major order (as LAPACK wants it).
public struct Matrix: Sendable, Equatable {
    public let rows: Int
    public let cols: Int
    public var data: [Double]

    public init(rows: Int, cols: Int, data: [Double]) {
        precondition(data.count == rows * cols)
        self.rows = rows
        self.cols = cols
        self.data = data
    }

    public init(rows: Int, cols: Int) {
        self.init(rows: rows, cols: cols, data: [Double](repeating: 0, count: rows * cols))
    }

    /// From columns (each of length `rows`).
    public init(columns: [[Double]]) {
        let rows = columns.first?.count ?? 0
        var d: [Double] = []
        d.reserveCapacity(rows * columns.count)
        for c in columns { d += c }
        self.init(rows: rows, cols: columns.count, data: d)
    }

    @inline(__always)
    public subscript(r: Int, c: Int) -> Double {
        get { data[c * rows + r] }
        set { data[c * rows + r] = newValue }
    }

    public func column(_ c: Int) -> ArraySlice<Double> { data[(c * rows)..<((c + 1) * rows)] }

    public func row(_ r: Int) -> [Double] { (0..<cols).map { self[r, $0] } }

    /// The rows at these indices.
    public func rows(_ indices: [Int]) -> Matrix {
        var m = Matrix(rows: indices.count, cols: cols)
        for c in 0..<cols {
            for (k, r) in indices.enumerated() { m[k, c] = self[r, c] }
        }
        return m
    }

    /// A column of ones in front (the intercept).
    public func withIntercept() -> Matrix {
        Matrix(rows: rows, cols: cols + 1, data: [Double](repeating: 1, count: rows) + data)
    }

    /// self · v, in plain loops with a fixed order of additions: the same bits on every processor
    /// (BLAS kernels differ in their order between processors, and an iterative fit that reads
    /// these products then takes a different path).
    public func times(_ v: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: rows)
        data.withUnsafeBufferPointer { a in
            out.withUnsafeMutableBufferPointer { y in
                for j in 0..<cols {
                    let w = v[j], column = a.baseAddress! + j * rows
                    if w == 0 { continue }
                    for i in 0..<rows { y[i] += column[i] * w }
                }
            }
        }
        return out
    }

    /// selfᵀ · v: one dot product per column, over four running sums (a fixed order, as above).
    public func transposeTimes(_ v: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: cols)
        data.withUnsafeBufferPointer { a in
            v.withUnsafeBufferPointer { x in
                for j in 0..<cols {
                    let column = a.baseAddress! + j * rows
                    var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
                    var i = 0
                    while i + 4 <= rows {
                        s0 += column[i] * x[i]
                        s1 += column[i + 1] * x[i + 1]
                        s2 += column[i + 2] * x[i + 2]
                        s3 += column[i + 3] * x[i + 3]
                        i += 4
                    }
                    while i < rows { s0 += column[i] * x[i]; i += 1 }
                    out[j] = (s0 + s1) + (s2 + s3)
                }
            }
        }
        return out
    }

    /// selfᵀ · self
    public func gram() -> Matrix {
        var g = Matrix(rows: cols, cols: cols)
        data.withUnsafeBufferPointer { a in
            g.data.withUnsafeMutableBufferPointer { c in
                cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, Int32(cols), Int32(rows), 1, a.baseAddress, Int32(max(1, rows)), 0, c.baseAddress, Int32(cols))
            }
        }
        for i in 0..<cols { for j in 0..<i { g[i, j] = g[j, i] } }
        return g
    }
}
