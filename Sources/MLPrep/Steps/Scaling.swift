import MLDiagnostics
import MLFrame

/// `scale`: x ↦ (x − centre) / scale per column, as scikit-learn's scalers: zscore (mean and
/// population std), minmax (min and range), robust (median and IQR). A constant column has
/// scale 1, so it becomes 0 (zscore, minmax) — and a note says so. Missing values stay missing.
enum Scaling {
    static func run(_ frame: Frame, _ columns: [String], _ method: ScaleMethod) throws -> StepResult {
        var centers: [Double] = [], scales: [Double] = []
        var notes: [String] = []
        var constant: [String] = []
        for name in columns {
            let c = try Columns.numeric(name, in: frame, step: "scale")
            var v = c.validDoubles()
            guard !v.isEmpty else { throw Diagnostic(.prepError, .error, "'\(name)' has no values to scale") }
            var center = 0.0, scale = 1.0
            switch method {
            case .zscore:
                center = v.reduce(0, +) / Double(v.count)
                let variance = v.reduce(0) { $0 + ($1 - center) * ($1 - center) } / Double(v.count)
                scale = variance.squareRoot()
            case .minmax:
                center = v.min()!
                scale = v.max()! - center
            case .robust:
                RadixSort.sort(&v)
                center = Statistics.quantile(sorted: v, 0.5)
                scale = Statistics.quantile(sorted: v, 0.75) - Statistics.quantile(sorted: v, 0.25)
            }
            if !center.isFinite || !scale.isFinite {
                throw Diagnostic(.prepError, .error, "'\(name)' holds infinite or too large values, so its \(method.rawValue) scale is not a number",
                                 hint: "drop or clip them first (where \(name) > -1e300 and \(name) < 1e300)")
            }
            if scale == 0 { scale = 1; constant.append(name) }
            centers.append(center)
            scales.append(scale)
        }
        let what = ["zscore": "(x − mean) / std", "minmax": "(x − min) / (max − min)", "robust": "(x − median) / IQR"][method.rawValue]!
        notes.append("scaled \(plural(columns.count, "column")) by \(what): " + zip(columns, zip(centers, scales)).prefix(4).map {
            "\($0) \(NumberText.compact($1.0))/\(NumberText.compact($1.1))"
        }.joined(separator: ", ") + (columns.count > 4 ? ", …" : ""))
        if !constant.isEmpty {
            notes.append("note: " + constant.joined(separator: ", ") + (method == .robust
                ? (constant.count == 1 ? " has an IQR of 0, so it is only centred" : " have an IQR of 0, so they are only centred")
                : (constant.count == 1 ? " is constant, so it scales to 0" : " are constant, so they scale to 0")))
        }
        return StepResult(frame: try apply(frame, columns, centers, scales), state: .affine(centers: centers, scales: scales), notes: notes)
    }

    static func apply(_ frame: Frame, _ columns: [String], _ centers: [Double], _ scales: [Double]) throws -> Frame {
        var f = frame
        for (k, name) in columns.enumerated() {
            let c = try Columns.numeric(name, in: frame, step: "scale")
            let values = (0..<c.count).map { r in c.double(r).map { ($0 - centers[k]) / scales[k] } ?? .nan }
            f.setColumn(Columns.float(name, values))
        }
        return f
    }
}

/// `normalize`: each row's values over the columns divided by its l1, l2 or max norm, as
/// scikit-learn's Normalizer. A row of zeros stays zeros; a row with a missing value stays missing.
enum Normalizing {
    static func apply(_ frame: Frame, _ columns: [String], _ norm: Norm) throws -> StepResult {
        let cols = try columns.map { try Columns.numeric($0, in: frame, step: "normalize") }
        var out = [[Double]](repeating: [Double](repeating: .nan, count: frame.rowCount), count: cols.count)
        var incomplete = 0
        for r in 0..<frame.rowCount {
            let x = cols.map { $0.double(r) }
            guard x.allSatisfy({ $0 != nil }) else {
                // A row with a missing value has no norm: its values are left as they are.
                incomplete += 1
                for k in 0..<cols.count { out[k][r] = x[k] ?? .nan }
                continue
            }
            let v = x.map { $0! }
            var n: Double
            switch norm {
            case .l1: n = v.reduce(0) { $0 + abs($1) }
            case .l2: n = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            case .max: n = v.map { abs($0) }.max() ?? 0
            }
            if n == 0 { n = 1 }
            for k in 0..<cols.count { out[k][r] = v[k] / n }
        }
        var f = frame
        for (k, name) in columns.enumerated() { f.setColumn(Columns.float(name, out[k])) }
        var notes = ["normalized each row of \(columns.joined(separator: ", ")) to unit \(norm.rawValue) norm"]
        if incomplete > 0 { notes.append("note: \(plural(incomplete, "row")) with a missing value \(incomplete == 1 ? "is" : "are") left as \(incomplete == 1 ? "it is" : "they are") (no norm without all values)") }
        return StepResult(frame: f, notes: notes)
    }
}
