import MLDiagnostics
import MLFrame

/// `fill COL model`: a least-squares regression of the column on the other numeric columns,
/// fitted on the rows that have all of them, predicts the missing cells. A missing predictor
/// takes its mean.
enum ModelFill {
    static func run(_ frame: Frame, _ column: String) throws -> StepResult {
        let target = try Columns.numeric(column, in: frame, step: "fill model")
        let features = frame.columns.filter { ($0.type.isNumeric || $0.type == .bool) && $0.name != column }.map(\.name)
        guard !features.isEmpty else {
            throw Diagnostic(.prepError, .error, "'fill \(column) model' needs other numeric columns to predict from", hint: "use mean, median or knn")
        }
        let cols = features.map { frame.column($0)! }
        let complete = (0..<frame.rowCount).filter { r in target.isValid(r) && cols.allSatisfy { $0.isValid(r) } }
        guard complete.count > features.count else {
            throw Diagnostic(.prepError, .error, "only \(complete.count) rows have \(column) and every other numeric column: too few to fit \(features.count + 1) coefficients",
                             hint: "fill the other columns first, or use mean or knn")
        }
        let x = complete.map { r in [1.0] + cols.map { $0.double(r)! } }
        let y = complete.map { target.double($0)! }
        let beta = try LeastSquares.solve(x, y)
        let means = cols.map { c in c.validDoubles().reduce(0, +) / Double(max(1, c.count - c.missingCount)) }
        let filled = try apply(frame, column, features, beta[0], Array(beta.dropFirst()), means)
        let formula = zip(features, beta.dropFirst()).map { ($1 < 0 ? "− " : "+ ") + "\(NumberText.compact(abs($1)))·\($0)" }.joined(separator: " ")
        return StepResult(frame: filled, state: .linear(features: features, intercept: beta[0], coefficients: Array(beta.dropFirst()), featureMeans: means),
                          notes: ["filled \(plural(target.missingCount, "missing cell")) in \(column) from \(column) ≈ \(NumberText.compact(beta[0])) \(formula) (fitted on \(complete.count) rows)"])
    }

    static func apply(_ frame: Frame, _ column: String, _ features: [String], _ intercept: Double, _ coefficients: [Double], _ means: [Double]) throws -> Frame {
        try Columns.require(features + [column], in: frame)
        let target = frame.column(column)!
        let cols = features.map { frame.column($0)! }
        var values = Columns.doubles(target)
        for r in 0..<frame.rowCount where !target.isValid(r) {
            var v = intercept
            for (k, c) in cols.enumerated() { v += coefficients[k] * (c.double(r) ?? means[k]) }
            values[r] = v
        }
        var f = frame
        f.setColumn(Columns.float(column, values))
        return f
    }
}

/// Least squares by Householder QR (small problems: a handful of columns).
enum LeastSquares {
    static func solve(_ x: [[Double]], _ y: [Double]) throws -> [Double] {
        let m = x.count, n = x[0].count
        var a = x, b = y
        for j in 0..<n {
            var norm = 0.0
            for i in j..<m { norm += a[i][j] * a[i][j] }
            norm = norm.squareRoot()
            guard norm > 1e-12 else {
                throw Diagnostic(.prepError, .error, "the predictors are linearly dependent, so the regression has no single answer",
                                 hint: "drop a column that repeats another, or use knn")
            }
            let alpha = a[j][j] > 0 ? -norm : norm
            var v = [Double](repeating: 0, count: m)
            v[j] = a[j][j] - alpha
            for i in (j + 1)..<max(j + 1, m) { v[i] = a[i][j] }
            let vv = v[j...].reduce(0) { $0 + $1 * $1 }
            guard vv > 0 else { continue }
            for c in j..<n {
                var s = 0.0
                for i in j..<m { s += v[i] * a[i][c] }
                let f = 2 * s / vv
                for i in j..<m { a[i][c] -= f * v[i] }
            }
            var s = 0.0
            for i in j..<m { s += v[i] * b[i] }
            let f = 2 * s / vv
            for i in j..<m { b[i] -= f * v[i] }
        }
        var beta = [Double](repeating: 0, count: n)
        for j in stride(from: n - 1, through: 0, by: -1) {
            var s = b[j]
            for c in (j + 1)..<max(j + 1, n) { s -= a[j][c] * beta[c] }
            beta[j] = s / a[j][j]
        }
        return beta
    }
}
