import MLDiagnostics
import MLFrame

/// Outlier bounds from the fitted rows: q1 − k·IQR … q3 + k·IQR (iqr), or mean ± k·std with the
/// population std (zscore). `drop` removes rows outside them; `clip` moves values to them.
enum Outliers {
    static func bounds(_ c: Column, _ method: OutlierMethod, _ k: Double) throws -> (Double, Double) {
        var v = c.validDoubles()
        guard !v.isEmpty else {
            throw Diagnostic(.prepError, .error, "'\(c.name)' has no values, so it has no outliers to find")
        }
        try Columns.requireFinite(v, c.name, learning: "outlier bounds")
        switch method {
        case .iqr:
            RadixSort.sort(&v)
            let q1 = Statistics.quantile(sorted: v, 0.25), q3 = Statistics.quantile(sorted: v, 0.75)
            return (q1 - k * (q3 - q1), q3 + k * (q3 - q1))
        case .zscore:
            let mean = v.reduce(0, +) / Double(v.count)
            let sd = (v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(v.count)).squareRoot()
            return (mean - k * sd, mean + k * sd)
        }
    }

    static func drop(_ frame: Frame, _ column: String, _ method: OutlierMethod, _ k: Double) throws -> StepResult {
        let c = try Columns.numeric(column, in: frame, step: "clean outliers")
        let (lo, hi) = try bounds(c, method, k)
        // Missing values are not outliers: they stay.
        let rows = (0..<frame.rowCount).filter { r in c.double(r).map { $0 >= lo && $0 <= hi } ?? true }
        return StepResult(frame: frame.take(rows), kept: rows, state: .bounds(low: lo, high: hi),
                          notes: ["dropped \(plural(frame.rowCount - rows.count, "row")) with \(column) outside [\(NumberText.compact(lo)), \(NumberText.compact(hi))] (\(method.rawValue), k=\(NumberText.compact(k))); \(rows.count) left"])
    }

    static func clip(_ frame: Frame, _ column: String, _ method: OutlierMethod, _ k: Double) throws -> StepResult {
        let c = try Columns.numeric(column, in: frame, step: "clean outliers")
        let (lo, hi) = try bounds(c, method, k)
        let moved = (0..<frame.rowCount).filter { r in c.double(r).map { $0 < lo || $0 > hi } ?? false }.count
        return StepResult(frame: try applyClip(frame, column, lo, hi), state: .bounds(low: lo, high: hi),
                          notes: ["clipped \(plural(moved, "value")) of \(column) to [\(NumberText.compact(lo)), \(NumberText.compact(hi))] (\(method.rawValue), k=\(NumberText.compact(k)))"])
    }

    static func applyClip(_ frame: Frame, _ column: String, _ lo: Double, _ hi: Double) throws -> Frame {
        let c = try Columns.numeric(column, in: frame, step: "clip")
        var f = frame
        let values = (0..<c.count).map { r in c.double(r).map { Swift.min(Swift.max($0, lo), hi) } ?? .nan }
        f.setColumn(Columns.float(column, values))
        return f
    }
}
