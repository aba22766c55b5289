import CLapack

/// A tall matrix read a block of rows at a time, for algorithms that need one pass over the rows
/// at a time (the normal equations, predictions): a design can then be read straight from its
/// columns into a small buffer, block by block, instead of being copied whole into a matrix first
/// (800,000 × 66 doubles are 420 MB of fresh memory, and the page faults cost more than the fit).
/// Each block is column-major with leading dimension `ld`: X[start + r, j] = block[j * ld + r].
public struct RowBlocks {
    public let rows: Int
    public let cols: Int
    let blockRows: Int
    private let source: Source

    private enum Source {
        case matrix([Double])
        case fill((_ start: Int, _ count: Int, _ out: UnsafeMutablePointer<Double>) -> Void)
    }

    /// Blocks that point into a matrix (no copy).
    public init(_ m: Matrix, blockRows: Int = 8192) {
        rows = m.rows
        cols = m.cols
        self.blockRows = max(1, blockRows)
        source = .matrix(m.data)
    }

    /// Blocks written by `fill(start, count, out)`: rows start..<start+count, column j at out + j * count.
    public init(rows: Int, cols: Int, blockRows: Int = 4096,
                fill: @escaping (_ start: Int, _ count: Int, _ out: UnsafeMutablePointer<Double>) -> Void) {
        self.rows = rows
        self.cols = cols
        self.blockRows = max(1, blockRows)
        source = .fill(fill)
    }

    /// Calls `body(start, count, block, ld)` for consecutive blocks of rows, in order.
    public func forEach(_ body: (_ start: Int, _ count: Int, _ block: UnsafePointer<Double>, _ ld: Int) -> Void) {
        switch source {
        case .matrix(let data):
            data.withUnsafeBufferPointer { p in
                let base = p.baseAddress ?? UnsafePointer(bitPattern: 8)!
                for start in stride(from: 0, to: rows, by: blockRows) {
                    body(start, min(blockRows, rows - start), base + start, rows)
                }
            }
        case .fill(let fill):
            let buffer = UnsafeMutablePointer<Double>.allocate(capacity: max(1, blockRows * cols))
            defer { buffer.deallocate() }
            for start in stride(from: 0, to: rows, by: blockRows) {
                let count = min(blockRows, rows - start)
                fill(start, count, buffer)
                body(start, count, UnsafePointer(buffer), count)
            }
        }
    }

    /// X·w + b for every row.
    public func times(_ w: [Double], plus b: Double = 0) -> [Double] {
        var out = [Double](repeating: b, count: rows)
        guard cols > 0 else { return out }
        out.withUnsafeMutableBufferPointer { o in
            forEach { start, count, block, ld in
                cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(count), Int32(cols), 1, block, Int32(ld), w, 1, 1, o.baseAddress! + start, 1)
            }
        }
        return out
    }
}
