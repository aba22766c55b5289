#if canImport(Glibc)
import Glibc
#endif

/// Gaussian naive Bayes, as scikit-learn's GaussianNB: per class, a normal distribution for each
/// feature (population variance, plus 1e-9 × the largest feature variance for stability).
public struct BayesFit: Codable, Sendable, Equatable {
    public var classes: [String]
    public var priors: [Double]
    public var means: [[Double]]
    public var variances: [[Double]]

    public func probabilities(_ x: Matrix) -> [[Double]] {
        (0..<x.rows).map { r in
            let row = x.row(r)
            let joint = classes.indices.map { c in
                log(priors[c]) + row.indices.reduce(0.0) { s, j in
                    s - 0.5 * log(2 * Double.pi * variances[c][j]) - (row[j] - means[c][j]) * (row[j] - means[c][j]) / (2 * variances[c][j])
                }
            }
            let m = joint.max()!
            let e = joint.map { exp($0 - m) }
            let s = e.reduce(0, +)
            return e.map { $0 / s }
        }
    }
}

public enum NaiveBayes {
    public static func fit(_ x: Matrix, _ y: [Int], classes: [String]) -> BayesFit {
        let n = x.rows, p = x.cols
        var maxVariance = 0.0
        for j in 0..<p {
            let col = Array(x.column(j))
            let m = col.reduce(0, +) / Double(n)
            maxVariance = max(maxVariance, col.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(n))
        }
        let epsilon = 1e-9 * maxVariance
        var priors: [Double] = [], means: [[Double]] = [], variances: [[Double]] = []
        for c in classes.indices {
            let rows = (0..<n).filter { y[$0] == c }
            priors.append(Double(rows.count) / Double(n))
            var mu: [Double] = [], v: [Double] = []
            for j in 0..<p {
                let vals = rows.map { x[$0, j] }
                let m = vals.reduce(0, +) / Double(max(1, vals.count))
                mu.append(m)
                v.append(vals.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(max(1, vals.count)) + epsilon)
            }
            means.append(mu)
            variances.append(v)
        }
        return BayesFit(classes: classes, priors: priors, means: means, variances: variances)
    }
}
