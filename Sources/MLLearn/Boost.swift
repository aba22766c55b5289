#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import MLFrame

/// Gradient boosting on binned features, in the manner of scikit-learn's
/// HistGradientBoostingClassifier and Regressor (and LightGBM): each feature's values cut into
/// at most 255 bins once; each iteration grows a tree leaf by leaf (the leaf whose best split
/// gains most first, up to `maxLeaves`) on the gradients and hessians of the loss, with Newton
/// leaf values −G/(H + λ), scaled by the learning rate. Squared error for numbers, log-loss for
/// two classes, softmax (one tree per class per iteration) for more. Early stopping on a held-out
/// tenth when there are more than 10,000 rows, as scikit-learn's default. A feature of categories
/// is its own bins, one a category, and splits into two groups of them (see `categorySplit`).
public struct BoostFit: Codable, Sendable, Equatable {
    public var classes: [String]?
    public var learningRate: Double
    /// The starting raw score of each output (one for numbers and two classes, one per class else).
    public var baseline: [Double]
    /// Iteration by iteration, output by output: trees[i * outputs + k].
    public var trees: [TreeFit]
    public var outputs: Int
    public var importances: [Double]
    /// The training loss after each iteration, and the held-out loss when early stopping was on.
    public var lossCurve: [Double]
    public var validationLoss: [Double]?

    public var iterations: Int { trees.count / max(1, outputs) }

    /// Raw scores (before the link) of each row.
    func raw(_ x: Matrix) -> [[Double]] {
        let scores = TreeTable(trees).sums(x, outputs: outputs, scale: learningRate, baseline: baseline)
        return (0..<x.rows).map { r in Array(scores[(r * outputs)..<((r + 1) * outputs)]) }
    }

    public func predict(_ x: Matrix) -> [Double] { raw(x).map { $0[0] } }

    public func probabilities(_ x: Matrix) -> [[Double]] {
        raw(x).map { s in outputs == 1 ? { let p = 1 / (1 + exp(-s[0])); return [1 - p, p] }() : Boost.softmax(s) }
    }
}

public enum Boost {
    /// The bin of a missing value (values use at most 255 bins, 0…254).
    static let missingBin: UInt8 = 255

    static func softmax(_ s: [Double]) -> [Double] {
        let m = s.max() ?? 0
        let e = s.map { exp($0 - m) }
        let t = e.reduce(0, +)
        return e.map { $0 / t }
    }

    /// Each feature's bin edges: midpoints between distinct values when there are at most
    /// `maxBins`, else quantiles; a value goes to the first bin whose edge is ≥ it.
    static func edges(_ column: [Double], maxBins: Int) -> [Double] {
        let sorted = RadixSort.sorted(column)
        var distinct: [Double] = []
        for v in sorted where distinct.last != v {
            distinct.append(v)
            if distinct.count > maxBins { break }
        }
        if distinct.count <= maxBins {
            return (0..<max(0, distinct.count - 1)).map { distinct[$0] / 2 + distinct[$0 + 1] / 2 }
        }
        var e: [Double] = []
        for b in 1..<maxBins {
            let v = sorted[b * (sorted.count - 1) / maxBins]
            if e.last.map({ v > $0 }) ?? true { e.append(v) }
        }
        return e
    }

    static func bin(_ v: Double, _ e: [Double]) -> UInt8 {
        var lo = 0, hi = e.count
        while lo < hi { let mid = (lo + hi) / 2; if e[mid] < v { lo = mid + 1 } else { hi = mid } }
        return UInt8(lo)
    }

    /// `maxDepth`: no leaf deeper (nil: none); `depthwise`: split every leaf of a level before the
    /// next level (XGBoost's default) instead of the leaf that gains most (LightGBM's).
    public static func fit(_ x: Matrix, _ y: [Double], classes: [String]?, iterations maxIterations: Int, learningRate: Double,
                           maxLeaves: Int, maxDepth: Int? = nil, depthwise: Bool = false, minSamplesLeaf: Int, l2: Double, earlyStopping: Bool?, seed: UInt64, classWeights: [Double]? = nil,
                           categories: [Int]? = nil, interrupted: () -> Bool = { false }, onIteration: (Int, Double) -> Void = { _, _ in }) -> BoostFit {
        let n = x.rows, p = x.cols, k = classes?.count ?? 0
        // Features of categories hold their codes 0..<count (at most 255, so that each is its own bin).
        let categoryCounts = categories ?? [Int](repeating: 0, count: p)
        precondition(categoryCounts.count == p && categoryCounts.allSatisfy { $0 <= Int(missingBin) })
        let outputs = k > 2 ? k : 1
        let maxBins = 255
        // Hold out a tenth to stop on, as scikit-learn does by default past 10,000 rows.
        var rows = Array(0..<n), held: [Int] = []
        if earlyStopping ?? (n > 10_000) {
            var random = SeededRandom(seed: seed)
            for i in stride(from: rows.count - 1, to: 0, by: -1) { rows.swapAt(i, Int(random.next() % UInt64(i + 1))) }
            let cut = max(1, n / 10)
            held = Array(rows[0..<cut]).sorted()
            rows = Array(rows[cut...]).sorted()
        }
        let columns = (0..<p).map { Array(x.column($0)) }
        // Each feature's edges and codes, the features shared between both cores.
        let binned = WorkerSlots<(edges: [Double], codes: [UInt8])>(p, ([], []))
        let training = rows
        DispatchQueue.concurrentPerform(iterations: p) { f in
            if categoryCounts[f] > 0 {
                binned.values[f] = ([], columns[f].map { $0.isNaN ? missingBin : UInt8($0) })
                return
            }
            let e = Self.edges(training.map { columns[f][$0] }.filter { !$0.isNaN }, maxBins: maxBins - 1)
            binned.values[f] = (e, columns[f].map { $0.isNaN ? missingBin : bin($0, e) })
        }
        let edges = binned.values.map(\.edges)
        let workspace = BoostWorkspace(codes: binned.values.map(\.codes), training: rows)
        // Each row's weight: its class's (class_weight=balanced), else 1.
        let weight: [Double] = k > 0 && classWeights != nil ? y.map { classWeights![Int($0)] } : [Double](repeating: 1, count: n)
        // The baseline: the mean, the log-odds, or the log of each class's share (weighted).
        var baseline: [Double]
        if k == 0 {
            baseline = [rows.reduce(0) { $0 + y[$1] } / Double(rows.count)]
        } else {
            var counts = [Double](repeating: 0, count: k)
            for r in rows { counts[Int(y[r])] += weight[r] }
            let total = counts.reduce(0, +)
            let shares = counts.map { max($0, 1e-12) / total }
            baseline = k == 2 ? [log(shares[1] / shares[0])] : shares.map { log($0) }
        }
        // Raw scores, gradients and hessians, row by row, output by output (score[r * outputs + c]).
        let score = WorkerSlots<Double>(n * outputs, 0)
        for r in 0..<n { for c in 0..<outputs { score.values[r * outputs + c] = baseline[c] } }
        let gradients = (0..<outputs).map { _ in WorkerSlots<Double>(n, 0) }
        let hessians = (0..<outputs).map { _ in WorkerSlots<Double>(n, 1) }
        let loss = BoostLoss(y: y, weight: weight, classes: k, score: score)
        var trees: [TreeFit] = []
        var importance = [Double](repeating: 0, count: p)
        var validation: [Double] = [], curve: [Double] = []
        var best = Double.infinity, sinceBest = 0

        for iteration in 0..<maxIterations {
            if interrupted() { break }
            loss.gradients(rows, into: gradients, hessians)
            for out in 0..<outputs {
                let (tree, leafRows, sides) = grow(workspace, gradients[out], hessians[out], edges: edges, categories: categoryCounts, maxLeaves: maxLeaves,
                                                   maxDepth: maxDepth, depthwise: depthwise,
                                            minSamplesLeaf: minSamplesLeaf, l2: l2, importance: &importance)
                // The training rows' scores from the leaves they fell in; the held-out rows' by the tree.
                let order = workspace.order.values, s = score.values
                for (members, value) in leafRows { for i in members { s[Int(order[i]) * outputs + out] += learningRate * value } }
                let codes = workspace.codes.values
                for r in held {
                    var i = 0
                    while tree.nodes[i].feature >= 0 {
                        let node = tree.nodes[i], c = codes[node.feature * n + r]
                        i = sides[i][Int(c)] == 1 ? node.left : node.right
                    }
                    s[r * outputs + out] += learningRate * tree.nodes[i].value[0]
                }
                trees.append(tree)
            }
            let trainLoss = loss.mean(rows)
            curve.append(trainLoss)
            onIteration(iteration + 1, trainLoss)
            if !held.isEmpty {
                let v = loss.mean(held)
                validation.append(v)
                // Stop when the held-out loss has not improved by 1e-7 for 10 iterations.
                if v < best - 1e-7 { best = v; sinceBest = 0 } else { sinceBest += 1 }
                if sinceBest >= 10 { break }
            }
        }
        let total = importance.reduce(0, +)
        return BoostFit(classes: classes, learningRate: learningRate, baseline: baseline, trees: trees, outputs: outputs,
                        importances: total > 0 ? importance.map { $0 / total } : importance, lossCurve: curve,
                        validationLoss: held.isEmpty ? nil : validation)
    }
}
