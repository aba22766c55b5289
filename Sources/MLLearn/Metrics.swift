#if canImport(Glibc)
import Glibc
#endif

/// Model metrics with scikit-learn's definitions.
public enum Metrics {
    public struct Regression: Sendable, Equatable {
        public var rmse, mae, r2, mape: Double
    }

    public static func regression(_ y: [Double], _ p: [Double]) -> Regression {
        let n = Double(y.count)
        let mean = y.reduce(0, +) / n
        var sse = 0.0, sae = 0.0, sst = 0.0, ape = 0.0
        for (t, q) in zip(y, p) {
            sse += (t - q) * (t - q)
            sae += abs(t - q)
            sst += (t - mean) * (t - mean)
            // scikit-learn divides by max(|y|, ε) with ε the machine epsilon.
            ape += abs(t - q) / max(abs(t), Double.ulpOfOne)
        }
        return Regression(rmse: (sse / n).squareRoot(), mae: sae / n, r2: sst > 0 ? 1 - sse / sst : (sse == 0 ? 1 : 0), mape: ape / n)
    }

    public struct Classification: Sendable {
        public var classes: [String]
        public var accuracy: Double
        public var precision, recall, f1: [Double]
        public var support: [Int]
        public var macro: (precision: Double, recall: Double, f1: Double)
        public var weighted: (precision: Double, recall: Double, f1: Double)
        public var logLoss: Double?
        public var rocAUC: Double?
        /// confusion[true][predicted]
        public var confusion: [[Int]]
    }

    /// y and predictions are class indices; probabilities (optional) one row per sample.
    public static func classification(_ y: [Int], _ p: [Int], classes: [String], probabilities: [[Double]]?) -> Classification {
        let k = classes.count
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: k), count: k)
        for (t, q) in zip(y, p) { confusion[t][q] += 1 }
        let support = (0..<k).map { c in confusion[c].reduce(0, +) }
        let predicted = (0..<k).map { c in (0..<k).reduce(0) { $0 + confusion[$1][c] } }
        // A zero denominator gives 0, as scikit-learn's zero_division default (with a warning there).
        let precision = (0..<k).map { c in predicted[c] == 0 ? 0 : Double(confusion[c][c]) / Double(predicted[c]) }
        let recall = (0..<k).map { c in support[c] == 0 ? 0 : Double(confusion[c][c]) / Double(support[c]) }
        let f1 = (0..<k).map { c in precision[c] + recall[c] == 0 ? 0 : 2 * precision[c] * recall[c] / (precision[c] + recall[c]) }
        let n = Double(y.count)
        // Macro averages run over the classes that occur, as true or predicted: scikit-learn's
        // default labels (a class absent from both would count as a zero otherwise).
        let occurring = (0..<k).filter { support[$0] > 0 || predicted[$0] > 0 }
        func avg(_ v: [Double]) -> Double { occurring.reduce(0) { $0 + v[$1] } / Double(max(1, occurring.count)) }
        func wavg(_ v: [Double]) -> Double { zip(v, support).reduce(0) { $0 + $1.0 * Double($1.1) } / n }
        var result = Classification(classes: classes, accuracy: Double((0..<k).reduce(0) { $0 + confusion[$1][$1] }) / n,
                                    precision: precision, recall: recall, f1: f1, support: support,
                                    macro: (avg(precision), avg(recall), avg(f1)), weighted: (wavg(precision), wavg(recall), wavg(f1)),
                                    logLoss: nil, rocAUC: nil, confusion: confusion)
        if let probabilities {
            // scikit-learn clips probabilities to [ε, 1 − ε] with ε the machine epsilon.
            let eps = Double.ulpOfOne
            result.logLoss = zip(y, probabilities).reduce(0) { $0 - log(min(max($1.1[$1.0], eps), 1 - eps)) } / n
            if k == 2 {
                result.rocAUC = auc(y.map { $0 == 1 }, probabilities.map { $0[1] })
            } else {
                // One-vs-rest, macro average.
                let aucs = (0..<k).compactMap { c in auc(y.map { $0 == c }, probabilities.map { $0[c] }) }
                result.rocAUC = aucs.count == k ? aucs.reduce(0, +) / Double(k) : nil
            }
        }
        return result
    }

    /// scikit-learn's balanced accuracy: the mean recall over the classes that occur as true ones.
    public static func balancedAccuracy(_ c: Classification) -> Double {
        let present = c.support.indices.filter { c.support[$0] > 0 }
        guard !present.isEmpty else { return .nan }
        return present.reduce(0) { $0 + c.recall[$1] } / Double(present.count)
    }

    /// Average precision (scikit-learn's `average_precision_score`): Σ (Rₙ − Rₙ₋₁)·Pₙ over the
    /// distinct scores from the highest down; nil without a positive row.
    public static func averagePrecision(_ positive: [Bool], _ score: [Double]) -> Double? {
        let total = positive.filter { $0 }.count
        guard total > 0 else { return nil }
        let order = score.indices.sorted { score[$0] > score[$1] }
        var tp = 0, fp = 0, ap = 0.0, lastRecall = 0.0
        var i = 0
        while i < order.count {
            // Every row that shares this score is taken in at once (one threshold).
            var j = i
            while j < order.count && score[order[j]] == score[order[i]] {
                if positive[order[j]] { tp += 1 } else { fp += 1 }
                j += 1
            }
            let recall = Double(tp) / Double(total), precision = Double(tp) / Double(tp + fp)
            ap += (recall - lastRecall) * precision
            lastRecall = recall
            i = j
        }
        return ap
    }

    /// The area under the ROC curve (the Mann–Whitney statistic, ties counted half); nil with one class.
    public static func auc(_ positive: [Bool], _ score: [Double]) -> Double? {
        let pos = positive.filter { $0 }.count, neg = positive.count - pos
        guard pos > 0 && neg > 0 else { return nil }
        let order = score.indices.sorted { score[$0] < score[$1] }
        var rankSum = 0.0
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && score[order[j + 1]] == score[order[i]] { j += 1 }
            let rank = Double(i + j) / 2 + 1
            for t in i...j where positive[order[t]] { rankSum += rank }
            i = j + 1
        }
        return (rankSum - Double(pos) * Double(pos + 1) / 2) / (Double(pos) * Double(neg))
    }

    /// The mean silhouette over all rows (Euclidean), for clustering; a row alone in its cluster
    /// scores 0, as in scikit-learn. O(n²·d): flat arrays, since the caller runs it up to 5,000 rows.
    public static func silhouette(_ rows: [[Double]], _ labels: [Int]) -> Double {
        let n = rows.count
        let ids = Dictionary(Set(labels).sorted().enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let k = ids.count
        guard n > 1, k > 1 else { return 0 }
        let d = rows[0].count
        let flat = rows.flatMap { $0 }
        let cluster = labels.map { ids[$0]! }
        var sizes = [Int](repeating: 0, count: k)
        for c in cluster { sizes[c] += 1 }
        var sums = [Double](repeating: 0, count: k)
        var total = 0.0
        flat.withUnsafeBufferPointer { x in
            for i in 0..<n {
                for c in 0..<k { sums[c] = 0 }
                let xi = i * d
                for j in 0..<n where j != i {
                    let xj = j * d
                    var s = 0.0
                    for t in 0..<d { let v = x[xi + t] - x[xj + t]; s += v * v }
                    sums[cluster[j]] += s.squareRoot()
                }
                let own = cluster[i]
                guard sizes[own] > 1 else { continue }
                let a = sums[own] / Double(sizes[own] - 1)
                var b = Double.infinity
                for c in 0..<k where c != own && sizes[c] > 0 { b = min(b, sums[c] / Double(sizes[c])) }
                total += max(a, b) > 0 ? (b - a) / max(a, b) : 0
            }
        }
        return total / Double(n)
    }
}
