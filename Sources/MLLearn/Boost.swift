#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import MLFrame
import Synchronization

/// Gradient boosting on binned features, in the manner of scikit-learn's
/// HistGradientBoostingClassifier and Regressor (and LightGBM): each feature's values cut into
/// at most 255 bins once; each iteration grows a tree leaf by leaf (the leaf whose best split
/// gains most first, up to `maxLeaves`) on the gradients and hessians of the loss, with Newton
/// leaf values −G/(H + λ), scaled by the learning rate. Squared error for numbers, log-loss for
/// two classes, softmax (one tree per class per iteration) for more. Early stopping on a held-out
/// tenth when there are more than 10,000 rows, as scikit-learn's default.
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
        // Tree by tree over the rows, each tree reading the matrix in place.
        let n = x.rows
        var scores = [Double](repeating: 0, count: n * outputs)
        for r in 0..<n { for k in 0..<outputs { scores[r * outputs + k] = baseline[k] } }
        for (t, tree) in trees.enumerated() {
            let k = t % outputs
            for (r, leaf) in tree.leafIndices(x).enumerated() { scores[r * outputs + k] += learningRate * tree.nodes[leaf].value[0] }
        }
        return (0..<n).map { r in Array(scores[(r * outputs)..<((r + 1) * outputs)]) }
    }

    public func predict(_ x: Matrix) -> [Double] { raw(x).map { $0[0] } }

    public func probabilities(_ x: Matrix) -> [[Double]] {
        raw(x).map { s in outputs == 1 ? { let p = 1 / (1 + exp(-s[0])); return [1 - p, p] }() : Boost.softmax(s) }
    }
}

public enum Boost {
    /// A split after bin `bin` (bin = the number of edges: every value left, the missing right),
    /// the missing rows sent left or right.
    struct Split: Sendable { var gain: Double; var feature: Int; var bin: Int; var missingLeft: Bool }

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
        let distinct = Array(Set(column)).sorted()
        if distinct.count <= maxBins {
            return (0..<max(0, distinct.count - 1)).map { distinct[$0] / 2 + distinct[$0 + 1] / 2 }
        }
        let sorted = column.sorted()
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

    public static func fit(_ x: Matrix, _ y: [Double], classes: [String]?, iterations maxIterations: Int, learningRate: Double,
                           maxLeaves: Int, minSamplesLeaf: Int, l2: Double, earlyStopping: Bool?, seed: UInt64, classWeights: [Double]? = nil,
                           interrupted: () -> Bool = { false }, onIteration: (Int, Double) -> Void = { _, _ in }) -> BoostFit {
        let p = x.cols, k = classes?.count ?? 0
        let outputs = k > 2 ? k : 1
        let maxBins = 255
        // Hold out a tenth to stop on, as scikit-learn does by default past 10,000 rows.
        var rows = Array(0..<x.rows), held: [Int] = []
        if earlyStopping ?? (x.rows > 10_000) {
            var random = SeededRandom(seed: seed)
            for i in stride(from: rows.count - 1, to: 0, by: -1) { rows.swapAt(i, Int(random.next() % UInt64(i + 1))) }
            let cut = max(1, x.rows / 10)
            held = Array(rows[0..<cut]).sorted()
            rows = Array(rows[cut...]).sorted()
        }
        let columns = (0..<p).map { Array(x.column($0)) }
        let edges = (0..<p).map { f in Self.edges(rows.map { columns[f][$0] }.filter { !$0.isNaN }, maxBins: maxBins - 1) }
        let codes = (0..<p).map { f in columns[f].map { $0.isNaN ? missingBin : bin($0, edges[f]) } }
        // Each row's weight: its class's (class_weight=balanced), else 1.
        let weight: [Double] = k > 0 && classWeights != nil ? y.map { classWeights![Int($0)] } : [Double](repeating: 1, count: x.rows)
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
        var score = [[Double]](repeating: baseline, count: x.rows)
        var trees: [TreeFit] = []
        var importance = [Double](repeating: 0, count: p)
        var validation: [Double] = [], curve: [Double] = []
        var best = Double.infinity, sinceBest = 0

        func loss(_ subset: [Int]) -> Double {
            var total = 0.0, weights = 0.0
            for r in subset {
                let s = score[r], w = weight[r]
                weights += w
                if k == 0 { total += (y[r] - s[0]) * (y[r] - s[0]) / 2 }
                else if k == 2 { let z = s[0], t = y[r]; total += w * ((z > 0 ? z + log1p(exp(-z)) : log1p(exp(z))) - t * z) }
                else { let m = s.max()!, lse = m + log(s.reduce(0) { $0 + exp($1 - m) }); total += w * (lse - s[Int(y[r])]) }
            }
            return total / max(weights, 1e-12)
        }

        for iteration in 0..<maxIterations {
            if interrupted() { break }
            // Gradients and hessians of each output at each training row.
            var gradients = [[Double]](repeating: [Double](repeating: 0, count: x.rows), count: outputs)
            var hessians = [[Double]](repeating: [Double](repeating: 1, count: x.rows), count: outputs)
            for r in rows {
                if k == 0 {
                    gradients[0][r] = score[r][0] - y[r]
                } else if k == 2 {
                    let q = 1 / (1 + exp(-score[r][0]))
                    gradients[0][r] = weight[r] * (q - y[r])
                    hessians[0][r] = weight[r] * max(q * (1 - q), 1e-16)
                } else {
                    let q = softmax(score[r])
                    for c in 0..<k {
                        gradients[c][r] = weight[r] * (q[c] - (Int(y[r]) == c ? 1 : 0))
                        hessians[c][r] = weight[r] * max(q[c] * (1 - q[c]), 1e-16)
                    }
                }
            }
            for out in 0..<outputs {
                let (tree, leafRows) = grow(rows, codes, edges, gradients[out], hessians[out], maxLeaves: maxLeaves, minSamplesLeaf: minSamplesLeaf,
                                            l2: l2, importance: &importance)
                // The training rows' scores from the leaves they fell in; the held-out rows' by the tree.
                for (members, value) in leafRows { for r in members { score[r][out] += learningRate * value } }
                for r in held {
                    var n = tree.nodes[0]
                    while n.feature >= 0 { n = tree.nodes[TreeFit.child(n, columns[n.feature][r])] }
                    score[r][out] += learningRate * n.value[0]
                }
                trees.append(tree)
            }
            let trainLoss = loss(rows)
            curve.append(trainLoss)
            onIteration(iteration + 1, trainLoss)
            if !held.isEmpty {
                let v = loss(held)
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

    /// One tree, leaf by leaf: the leaf whose best split gains most is split next.
    /// A leaf's histograms: for each feature and bin, the sums of g and h and the row count.
    struct Histograms: Sendable {
        var g: [Double], h: [Double], n: [Int]
        init(features p: Int) { g = [Double](repeating: 0, count: p * 256); h = g; n = [Int](repeating: 0, count: p * 256) }

        /// The rows' histograms, the features shared between two lanes (both cores).
        static func of(_ rows: [Int], _ codes: [[UInt8]], _ g: [Double], _ h: [Double]) -> Histograms {
            let p = codes.count, lanes = rows.count > 2_000 && p > 1 ? 2 : 1
            let parts = Mutex<[Int: Histograms]>([:])
            DispatchQueue.concurrentPerform(iterations: lanes) { lane in
                var part = Histograms(features: p)
                // Raw buffers: the per-element uniqueness checks of the arrays cost more than the sums.
                part.g.withUnsafeMutableBufferPointer { pg in
                    part.h.withUnsafeMutableBufferPointer { ph in
                        part.n.withUnsafeMutableBufferPointer { pn in
                            g.withUnsafeBufferPointer { gg in
                                h.withUnsafeBufferPointer { hh in
                                    rows.withUnsafeBufferPointer { rr in
                                        for f in stride(from: lane, to: p, by: lanes) {
                                            codes[f].withUnsafeBufferPointer { code in
                                                let base = f * 256
                                                for r in rr { let b = base + Int(code[r]); pg[b] += gg[r]; ph[b] += hh[r]; pn[b] += 1 }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                parts.withLock { $0[lane] = part }
            }
            let all = parts.withLock { $0 }
            var result = all[0]!
            if lanes == 2, let other = all[1] {
                for f in stride(from: 1, to: p, by: 2) {
                    for b in (f * 256)..<(f * 256 + 256) { result.g[b] = other.g[b]; result.h[b] = other.h[b]; result.n[b] = other.n[b] }
                }
            }
            return result
        }

        /// The parent's less a child's: the other child's, without reading its rows.
        func minus(_ o: Histograms) -> Histograms {
            var r = self
            for i in g.indices { r.g[i] -= o.g[i]; r.h[i] -= o.h[i]; r.n[i] -= o.n[i] }
            return r
        }
    }

    /// One tree, leaf by leaf: the leaf whose best split gains most is split next. A new pair of
    /// leaves reads the rows of the smaller one only; the larger's histograms are the parent's
    /// less the smaller's (LightGBM's and scikit-learn's subtraction).
    static func grow(_ rows: [Int], _ codes: [[UInt8]], _ edges: [[Double]], _ g: [Double], _ h: [Double],
                     maxLeaves: Int, minSamplesLeaf: Int, l2: Double, importance: inout [Double]) -> (TreeFit, [(rows: [Int], value: Double)]) {
        let p = codes.count
        struct Leaf { var node: Int; var rows: [Int]; var g: Double; var h: Double; var hist: Histograms; var split: Split? }
        var nodes: [TreeFit.Node] = []

        func bestSplit(_ count: Int, _ G: Double, _ H: Double, _ hist: Histograms) -> Split? {
            guard count >= 2 * minSamplesLeaf else { return nil }
            let parentScore = G * G / (H + l2)
            var best: Split? = nil
            for f in 0..<p {
                let m = f * 256 + Int(missingBin)
                let gm = hist.g[m], hm = hist.h[m], nm = hist.n[m]
                var gl = 0.0, hl = 0.0, nl = 0
                // With missing rows, also the split "every value left, the missing right".
                let last = nm > 0 ? edges[f].count : edges[f].count - 1
                guard last >= 0 else { continue }
                for b in 0...last {
                    if b < edges[f].count {
                        let i = f * 256 + b
                        gl += hist.g[i]; hl += hist.h[i]; nl += hist.n[i]
                    }
                    // The missing rows on the right, then (when there are some) on the left.
                    let sides = nm > 0 && b < edges[f].count ? 2 : 1
                    for side in 0..<sides {
                        let missingLeft = side == 1
                        let gL = missingLeft ? gl + gm : gl, hL = missingLeft ? hl + hm : hl, nL = missingLeft ? nl + nm : nl
                        let nr = count - nL
                        guard nL >= minSamplesLeaf, nr >= minSamplesLeaf, hL >= 1e-3, H - hL >= 1e-3 else { continue }
                        let gr = G - gL, hr = H - hL
                        let gain = gL * gL / (hL + l2) + gr * gr / (hr + l2) - parentScore
                        // No missing row here: later ones go where most rows went (scikit-learn's rule).
                        if gain > (best?.gain ?? 1e-12) { best = Split(gain: gain, feature: f, bin: b, missingLeft: nm > 0 ? missingLeft : nL >= nr) }
                    }
                }
            }
            return best
        }

        func leaf(_ rows: [Int], _ hist: Histograms) -> Leaf {
            let G = rows.reduce(0) { $0 + g[$1] }, H = rows.reduce(0) { $0 + h[$1] }
            nodes.append(TreeFit.Node(feature: -1, threshold: 0, left: -1, right: -1, value: [-G / (H + l2)], samples: rows.count))
            return Leaf(node: nodes.count - 1, rows: rows, g: G, h: H, hist: hist, split: bestSplit(rows.count, G, H, hist))
        }

        var open = [leaf(rows, Histograms.of(rows, codes, g, h))]
        var leaves = 1
        while leaves < maxLeaves {
            guard let k = open.indices.filter({ open[$0].split != nil }).max(by: { open[$0].split!.gain < open[$1].split!.gain }) else { break }
            let l = open.remove(at: k), s = l.split!
            let code = codes[s.feature]
            func goesLeft(_ r: Int) -> Bool { code[r] == missingBin ? s.missingLeft : Int(code[r]) <= s.bin }
            let leftRows = l.rows.filter(goesLeft), rightRows = l.rows.filter { !goesLeft($0) }
            let leftSmaller = leftRows.count <= rightRows.count
            let small = Histograms.of(leftSmaller ? leftRows : rightRows, codes, g, h), large = l.hist.minus(small)
            let left = leaf(leftRows, leftSmaller ? small : large)
            let right = leaf(rightRows, leftSmaller ? large : small)
            nodes[l.node].feature = s.feature
            nodes[l.node].threshold = s.bin < edges[s.feature].count ? edges[s.feature][s.bin] : .infinity
            nodes[l.node].missingLeft = s.missingLeft
            nodes[l.node].left = left.node
            nodes[l.node].right = right.node
            importance[s.feature] += s.gain
            open.append(left)
            open.append(right)
            leaves += 1
        }
        return (TreeFit(nodes: nodes, classes: nil, importances: [], depth: 0, leaves: leaves), open.map { ($0.rows, nodes[$0.node].value[0]) })
    }
}
