import Dispatch
import MLFrame
import Synchronization

/// A random forest (Breiman; scikit-learn's RandomForestClassifier and Regressor): trees grown
/// on bootstrap samples, each split choosing among `maxFeatures` random features; the forest
/// averages the trees' class shares (classes) or values (numbers). Out-of-bag rows, those a tree
/// did not draw, give a score without a test set.
public struct ForestFit: Codable, Sendable, Equatable {
    public var trees: [TreeFit]
    public var classes: [String]?
    public var maxFeatures: Int
    /// Each feature's share of the impurity decrease, averaged over the trees.
    public var importances: [Double]
    /// Accuracy (classes) or R² (numbers) of each row's prediction by the trees that did not draw it.
    public var oobScore: Double?

    public func predict(_ x: Matrix) -> [Double] {
        var sums = [Double](repeating: 0, count: x.rows)
        for t in trees { for (r, leaf) in t.leafIndices(x).enumerated() { sums[r] += t.nodes[leaf].value[0] } }
        return sums.map { $0 / Double(max(1, trees.count)) }
    }

    public func probabilities(_ x: Matrix) -> [[Double]] {
        let k = classes?.count ?? 1
        var p = [[Double]](repeating: [Double](repeating: 0, count: k), count: x.rows)
        for t in trees {
            for (r, leaf) in t.leafIndices(x).enumerated() { for (c, v) in t.nodes[leaf].value.enumerated() where c < k { p[r][c] += v } }
        }
        return p.map { row in row.map { $0 / Double(max(1, trees.count)) } }
    }
}

public enum Forest {
    /// `maxFeatures` nil: √features for classes, every feature for numbers (scikit-learn's
    /// defaults). Trees are grown on both cores; tree t draws from seed + t, so the forest is the
    /// same for a seed whatever the cores.
    public static func fit(_ x: Matrix, _ y: [Double], classes: [String]?, trees count: Int, maxFeatures: Int?, maxDepth: Int?,
                           minSamplesLeaf: Int, seed: UInt64, classWeights: [Double]? = nil, interrupted: @escaping @Sendable () -> Bool = { false },
                           onTree: (Int) -> Void = { _ in }) -> ForestFit {
        let n = x.rows, p = x.cols
        let m = max(1, min(p, maxFeatures ?? (classes != nil ? Int(Double(p).squareRoot()) : p)))
        let orders = Tree.sortedOrders(x)
        let grown = Mutex<[Int: (TreeFit, [Int])]>([:])
        let done = Atomic<Int>(0)
        let lanes = 2
        DispatchQueue.concurrentPerform(iterations: lanes) { lane in
            for t in stride(from: lane, to: count, by: lanes) {
                if interrupted() { return }
                var random = SeededRandom(seed: seed &+ UInt64(t) &* 0x9E37_79B9)
                let sample = (0..<n).map { _ in Int(random.next() % UInt64(n)) }
                let tree = Tree.fit(x, y, classes: classes, maxDepth: maxDepth, minSamplesLeaf: minSamplesLeaf,
                                    rows: sample, maxFeatures: m, random: &random, classWeights: classWeights, presorted: orders,
                                    interrupted: interrupted)
                grown.withLock { $0[t] = (tree, sample) }
                done.add(1, ordering: .relaxed)
            }
        }
        let built = grown.withLock { g in g.keys.sorted().map { g[$0]! } }
        onTree(built.count)
        let trees = built.map(\.0)
        // Importances: each tree's (they sum to 1), averaged, then scaled to sum to 1.
        var importances = [Double](repeating: 0, count: p)
        for t in trees { for (f, v) in t.importances.enumerated() { importances[f] += v } }
        let total = importances.reduce(0, +)
        if total > 0 { importances = importances.map { $0 / total } }
        return ForestFit(trees: trees, classes: classes, maxFeatures: m, importances: importances,
                         oobScore: outOfBag(x, y, classes: classes, built))
    }

    /// Each row predicted by the trees whose sample left it out; rows no tree left out are skipped.
    static func outOfBag(_ x: Matrix, _ y: [Double], classes: [String]?, _ built: [(TreeFit, [Int])]) -> Double? {
        let n = x.rows, k = classes?.count ?? 1
        var sums = [[Double]](repeating: [Double](repeating: 0, count: k), count: n)
        var votes = [Int](repeating: 0, count: n)
        for (tree, sample) in built {
            var inBag = [Bool](repeating: false, count: n)
            for r in sample { inBag[r] = true }
            let leaves = tree.leafIndices(x)
            for r in 0..<n where !inBag[r] {
                let v = tree.nodes[leaves[r]].value
                for c in 0..<min(k, v.count) { sums[r][c] += v[c] }
                votes[r] += 1
            }
        }
        let scored = (0..<n).filter { votes[$0] > 0 }
        guard !scored.isEmpty else { return nil }
        if classes != nil {
            let right = scored.filter { argmaxIndex(sums[$0]) == Int(y[$0]) }.count
            return Double(right) / Double(scored.count)
        }
        let predicted = scored.map { sums[$0][0] / Double(votes[$0]) }
        let truth = scored.map { y[$0] }
        return Metrics.regression(truth, predicted).r2
    }

    static func argmaxIndex(_ v: [Double]) -> Int {
        var best = 0
        for i in v.indices where v[i] > v[best] { best = i }
        return best
    }
}
