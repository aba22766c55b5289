#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import MLFrame

/// The loss boosting descends: squared error for numbers (classes 0), log-loss for two classes,
/// softmax cross-entropy for more. Its gradients and its mean are computed over two halves of the
/// rows at once (both cores): with the histograms faster, these row loops had become a third of a fit.
final class BoostLoss: @unchecked Sendable {
    let y: [Double], weight: [Double], classes: Int
    let score: WorkerSlots<Double>
    var outputs: Int { classes > 2 ? classes : 1 }

    init(y: [Double], weight: [Double], classes: Int, score: WorkerSlots<Double>) {
        self.y = y
        self.weight = weight
        self.classes = classes
        self.score = score
    }

    /// Runs `body` on the halves of `count` items, in parallel when there are enough of them.
    static func inHalves(_ count: Int, _ body: @Sendable (Range<Int>) -> Void) {
        guard count > 20_000 else { body(0..<count); return }
        DispatchQueue.concurrentPerform(iterations: 2) { half in body(half == 0 ? 0..<(count / 2) : (count / 2)..<count) }
    }

    func gradients(_ rows: [Int], into gradients: [WorkerSlots<Double>], _ hessians: [WorkerSlots<Double>]) {
        let k = classes, outputs = self.outputs
        Self.inHalves(rows.count) { [self] range in
            let s = score.values, y = self.y, weight = self.weight
            var q = [Double](repeating: 0, count: outputs)
            for i in range {
                let r = rows[i], w = weight[r]
                if k == 0 {
                    gradients[0].values[r] = s[r] - y[r]
                } else if k == 2 {
                    let p = 1 / (1 + exp(-s[r]))
                    gradients[0].values[r] = w * (p - y[r])
                    hessians[0].values[r] = w * max(p * (1 - p), 1e-16)
                } else {
                    var m = -Double.infinity
                    for c in 0..<k { m = max(m, s[r * k + c]) }
                    var total = 0.0
                    for c in 0..<k { q[c] = exp(s[r * k + c] - m); total += q[c] }
                    let truth = Int(y[r])
                    for c in 0..<k {
                        let p = q[c] / total
                        gradients[c].values[r] = w * (p - (truth == c ? 1 : 0))
                        hessians[c].values[r] = w * max(p * (1 - p), 1e-16)
                    }
                }
            }
        }
    }

    /// The weighted mean loss over `rows` (squared error halved, as scikit-learn's).
    func mean(_ rows: [Int]) -> Double {
        let k = classes
        let parts = WorkerSlots<(Double, Double)>(2, (0, 0))
        Self.inHalves(rows.count) { [self] range in
            let s = score.values, y = self.y, weight = self.weight
            var total = 0.0, weights = 0.0
            for i in range {
                let r = rows[i], w = weight[r]
                weights += w
                if k == 0 { total += (y[r] - s[r]) * (y[r] - s[r]) / 2 }
                else if k == 2 { let z = s[r]; total += w * ((z > 0 ? z + log1p(exp(-z)) : log1p(exp(z))) - y[r] * z) }
                else {
                    var m = -Double.infinity
                    for c in 0..<k { m = max(m, s[r * k + c]) }
                    var e = 0.0
                    for c in 0..<k { e += exp(s[r * k + c] - m) }
                    total += w * (m + log(e) - s[r * k + Int(y[r])])
                }
            }
            parts.values[range.lowerBound == 0 ? 0 : 1] = (total, weights)
        }
        let (t0, w0) = parts.values[0], (t1, w1) = parts.values[1]
        return (t0 + t1) / max(w0 + w1, 1e-12)
    }
}
