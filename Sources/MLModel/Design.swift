import MLDiagnostics
import MLFrame
import MLLearn

/// The numbers a model is fitted on: features as a matrix, the target, and which rows made it.
public struct Design {
    /// The features as a matrix; empty (0 × 0) when the design is read in blocks instead.
    public var x: Matrix
    /// The features read from the columns a block of rows at a time (linear fits and predictions
    /// take one pass at a time and need no whole matrix); nil when `x` holds them.
    public var blocks: RowBlocks?
    public var y: [Double]
    public var classes: [String]?
    public var rows: [Int]
    public var dropped: Int
    public var rowCount: Int { rows.count }

    /// Builds X (and y) from a frame; rows with a missing value in a used column are left out.
    /// `keepsMissing` (boost, which learns where missing values go): rows missing a feature stay,
    /// the cell NaN; only a missing target leaves a row out. `categories` (boost's features of
    /// categories): a text feature named there becomes the index of its value in the list, −1
    /// for a value not in it, NaN where missing.
    public static func build(_ frame: Frame, features: [String], target: String?, classes known: [String]? = nil,
                             classification: Bool, inBlocks: Bool = false, keepsMissing: Bool = false, categories: [String: [String]] = [:],
                             file: SourceFile? = nil, range: SourceRange? = nil) throws -> Design {
        for f in features where categories[f] == nil {
            let c = frame.column(f)!
            guard c.type.isNumeric || c.type == .bool else {
                throw Diagnostic(.wrongArgumentType, .error, "the feature '\(f)' is \(c.type.rawValue); models need numbers", file: file, range: range,
                                 hint: c.type == .date ? "make it a number first: cast \(f) float (days since 1970), or leave it out: ~ . - \(f)"
                                    : "encode it first: encode onehot \(f) (or leave it out: ~ . - \(f))")
            }
        }
        let cols = features.map { f in categories[f].map { codes(frame.column(f)!, $0) } ?? frame.column(f)! }
        let t = target.flatMap { frame.column($0) }
        let rows = usableRows(keepsMissing ? [] : cols, target: t, count: frame.rowCount)
        let all = rows.count == frame.rowCount
        var x = inBlocks ? Matrix(rows: 0, cols: 0, data: []) : matrix(cols, rows: rows, all: all)
        if keepsMissing && !inBlocks {
            for (j, c) in cols.enumerated() {
                for (k, r) in rows.enumerated() where !c.isValid(r) || !x[k, j].isFinite { x[k, j] = .nan }
            }
        }
        let blocks = inBlocks ? RowBlocks(rows: rows.count, cols: cols.count) { start, count, out in
            fill(out, cols, rows: rows, all: all, from: start, count: count)
        } : nil
        var y: [Double] = []
        var classes = known
        if let t {
            if classification {
                let labels = rows.map { t.text($0)! }
                if classes == nil { classes = Array(Set(labels)).sorted { t.type.isNumeric ? (Double($0) ?? 0) < (Double($1) ?? 0) : $0 < $1 } }
                let index = Dictionary(uniqueKeysWithValues: classes!.enumerated().map { ($1, Double($0)) })
                y = labels.map { index[$0] ?? -1 }
            } else {
                guard t.type.isNumeric || t.type == .bool else {
                    throw Diagnostic(.wrongArgumentType, .error, "the target '\(t.name)' is \(t.type.rawValue), but this algorithm predicts numbers",
                                     file: file, range: range, hint: "for classes use logistic, knn, tree, forest, boost, bayes or mlp")
                }
                y = rows.map { t.double($0)! }
            }
        }
        return Design(x: x, blocks: blocks, y: y, classes: classes, rows: rows, dropped: frame.rowCount - rows.count)
    }

    /// A text column as the indices of its values in `categories` (−1 for others), NaN where missing.
    static func codes(_ c: Column, _ categories: [String]) -> Column {
        let index = Dictionary(categories.enumerated().map { ($1, Double($0)) }, uniquingKeysWith: { a, _ in a })
        let n = c.count
        guard case .string(let codes, let dictionary) = c.storage else {
            return Column(name: c.name, storage: .float((0..<n).map { r in c.text(r).map { index[$0] ?? -1 } ?? .nan }))
        }
        let byCode = dictionary.map { index[$0] ?? -1 }
        return Column(name: c.name, storage: .float((0..<n).map { r in c.isValid(r) ? byCode[Int(codes[r])] : .nan }))
    }

    /// The rows where every feature is a finite number and the target is present. One pass per
    /// column over its storage: a million-row design is built in milliseconds, not by cell lookups.
    public static func usableRows(_ cols: [Column], target: Column?, count n: Int) -> [Int] {
        var keep = [Bool](repeating: true, count: n)
        for c in cols {
            if let v = c.validity { for r in 0..<n where !v[r] { keep[r] = false } }
            if case .float(let v) = c.storage { for r in 0..<n where !v[r].isFinite { keep[r] = false } }
        }
        if let v = target?.validity { for r in 0..<n where !v[r] { keep[r] = false } }
        if !keep.contains(false) { return Array(0..<n) }
        return keep.indices.filter { keep[$0] }
    }

    /// X in column-major order, written once into one buffer.
    public static func matrix(_ cols: [Column], rows: [Int], all: Bool) -> Matrix {
        let m = rows.count
        let data = [Double](unsafeUninitializedCapacity: m * cols.count) { buffer, initialized in
            if let base = buffer.baseAddress { fill(base, cols, rows: rows, all: all, from: 0, count: m) }
            initialized = m * cols.count
        }
        return Matrix(rows: m, cols: cols.count, data: data)
    }

    /// Design rows start..<start+count (of `rows`, or of all rows when `all`), column j at out + j * count.
    static func fill(_ out: UnsafeMutablePointer<Double>, _ cols: [Column], rows: [Int], all: Bool, from start: Int, count: Int) {
        for (j, c) in cols.enumerated() {
            let o = out + j * count
            func copy<T>(_ v: [T], _ convert: (T) -> Double) {
                v.withUnsafeBufferPointer { p in
                    if all {
                        for k in 0..<count { o[k] = convert(p[start + k]) }
                    } else {
                        rows.withUnsafeBufferPointer { r in for k in 0..<count { o[k] = convert(p[r[start + k]]) } }
                    }
                }
            }
            switch c.storage {
            case .float(let v): copy(v) { $0 }
            case .int(let v): copy(v) { Double($0) }
            case .bool(let v): copy(v) { $0 ? 1 : 0 }
            case .date(let v): copy(v) { Double($0) }
            case .string: for k in 0..<count { o[k] = .nan }  // refused before: features are numeric
            }
        }
    }
}
