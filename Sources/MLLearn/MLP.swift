import MLFrame
#if canImport(Glibc)
import Glibc
#endif

/// A small neural network (multi-layer perceptron), as scikit-learn's MLPClassifier/Regressor:
/// ReLU hidden layers, softmax (classes) or identity (numbers) output, cross-entropy or squared
/// loss plus α/2·‖W‖², Adam on shuffled mini-batches, Glorot-uniform starts from a seed.
public struct MLPFit: Codable, Sendable, Equatable {
    /// Per layer: weights (inputs × outputs, row-major) and biases.
    public var weights: [[Double]]
    public var biases: [[Double]]
    public var sizes: [Int]
    public var classes: [String]?
    public var lossCurve: [Double]

    func forward(_ x: [Double]) -> [Double] {
        var a = x
        for l in 0..<weights.count {
            let nIn = sizes[l], nOut = sizes[l + 1]
            var z = biases[l]
            for i in 0..<nIn where a[i] != 0 {
                let ai = a[i]
                for j in 0..<nOut { z[j] += ai * weights[l][i * nOut + j] }
            }
            a = l < weights.count - 1 ? z.map { max(0, $0) } : z
        }
        return a
    }

    public func predict(_ x: Matrix) -> [Double] { (0..<x.rows).map { forward(x.row($0))[0] } }

    public func probabilities(_ x: Matrix) -> [[Double]] {
        (0..<x.rows).map { r in MLP.softmax(forward(x.row(r))) }
    }
}

public enum MLP {
    static func softmax(_ z: [Double]) -> [Double] {
        let m = z.max() ?? 0
        let e = z.map { exp($0 - m) }
        let s = e.reduce(0, +)
        return e.map { $0 / s }
    }

    public static func fit(_ x: Matrix, _ y: [Double], classes: [String]?, hidden: [Int], epochs: Int, learningRate: Double,
                           batch: Int, alpha: Double = 1e-4, seed: UInt64,
                           interrupted: () -> Bool = { false }, onEpoch: (Int, Double) -> Void = { _, _ in }) -> MLPFit {
        let n = x.rows
        let outputs = classes.map { $0.count } ?? 1
        let sizes = [x.cols] + hidden + [outputs]
        var rng = SeededRandom(seed: seed)
        func uniform() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
        var w: [[Double]] = [], b: [[Double]] = []
        for l in 0..<(sizes.count - 1) {
            let bound = (6.0 / Double(sizes[l] + sizes[l + 1])).squareRoot()
            w.append((0..<(sizes[l] * sizes[l + 1])).map { _ in (uniform() * 2 - 1) * bound })
            b.append((0..<sizes[l + 1]).map { _ in (uniform() * 2 - 1) * bound })
        }
        // Adam state.
        var mw = w.map { $0.map { _ in 0.0 } }, vw = mw, mb = b.map { $0.map { _ in 0.0 } }, vb = mb
        let beta1 = 0.9, beta2 = 0.999, eps = 1e-8
        var step = 0
        var curve: [Double] = []
        let rows = (0..<n).map { x.row($0) }
        let batchSize = max(1, min(batch, n))
        for epoch in 1...max(1, epochs) {
            var order = Array(0..<n)
            for i in stride(from: n - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
            var epochLoss = 0.0
            var start = 0
            var stopped = false
            while start < n {
                // Ctrl-C between batches: an epoch on many rows is long. The weights are kept as
                // the last whole batch left them, and the curve's last point is the loss so far.
                if start > 0 && interrupted() { stopped = true; break }
                let idx = order[start..<min(n, start + batchSize)]
                start += batchSize
                var gw = w.map { $0.map { _ in 0.0 } }, gb = b.map { $0.map { _ in 0.0 } }
                for r in idx {
                    // Forward, keeping each layer's activations.
                    var acts: [[Double]] = [rows[r]]
                    for l in 0..<w.count {
                        let nIn = sizes[l], nOut = sizes[l + 1]
                        var z = b[l]
                        let a = acts[l]
                        for i in 0..<nIn where a[i] != 0 { for j in 0..<nOut { z[j] += a[i] * w[l][i * nOut + j] } }
                        acts.append(l < w.count - 1 ? z.map { max(0, $0) } : z)
                    }
                    var delta: [Double]
                    if classes != nil {
                        let p = softmax(acts.last!)
                        let t = Int(y[r])
                        epochLoss -= log(max(p[t], 1e-300))
                        delta = p
                        delta[t] -= 1
                    } else {
                        let d = acts.last![0] - y[r]
                        epochLoss += 0.5 * d * d
                        delta = [d]
                    }
                    for l in stride(from: w.count - 1, through: 0, by: -1) {
                        let nIn = sizes[l], nOut = sizes[l + 1]
                        let a = acts[l]
                        for i in 0..<nIn where a[i] != 0 { for j in 0..<nOut { gw[l][i * nOut + j] += a[i] * delta[j] } }
                        for j in 0..<nOut { gb[l][j] += delta[j] }
                        if l > 0 {
                            var prev = [Double](repeating: 0, count: nIn)
                            for i in 0..<nIn where acts[l][i] > 0 {
                                var s = 0.0
                                for j in 0..<nOut { s += w[l][i * nOut + j] * delta[j] }
                                prev[i] = s
                            }
                            delta = prev
                        }
                    }
                }
                let m = Double(idx.count)
                step += 1
                let c1 = 1 - pow(beta1, Double(step)), c2 = 1 - pow(beta2, Double(step))
                for l in 0..<w.count {
                    for k in w[l].indices {
                        let g = gw[l][k] / m + alpha * w[l][k] / m
                        mw[l][k] = beta1 * mw[l][k] + (1 - beta1) * g
                        vw[l][k] = beta2 * vw[l][k] + (1 - beta2) * g * g
                        w[l][k] -= learningRate * (mw[l][k] / c1) / ((vw[l][k] / c2).squareRoot() + eps)
                    }
                    for k in b[l].indices {
                        let g = gb[l][k] / m
                        mb[l][k] = beta1 * mb[l][k] + (1 - beta1) * g
                        vb[l][k] = beta2 * vb[l][k] + (1 - beta2) * g * g
                        b[l][k] -= learningRate * (mb[l][k] / c1) / ((vb[l][k] / c2).squareRoot() + eps)
                    }
                }
            }
            let penalty = 0.5 * alpha * w.reduce(0) { $0 + $1.reduce(0) { $0 + $1 * $1 } }
            let loss = (epochLoss + penalty) / Double(stopped ? min(start, n) : n)
            curve.append(loss)
            onEpoch(epoch, loss)
            if stopped || interrupted() { break }
        }
        return MLPFit(weights: w, biases: b, sizes: sizes, classes: classes, lossCurve: curve)
    }
}
