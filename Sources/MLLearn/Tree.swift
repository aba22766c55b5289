import MLFrame

/// A CART decision tree: binary splits at midpoints between sorted values, chosen by the largest
/// decrease of Gini impurity (classes) or squared error (numbers), as scikit-learn's trees.
public struct TreeFit: Codable, Sendable, Equatable {
    public struct Node: Codable, Sendable, Equatable {
        public var feature: Int        // −1 for a leaf
        public var threshold: Double   // a row goes left when x[feature] ≤ threshold
        public var left: Int
        public var right: Int
        /// Class shares (classification) or the mean (regression).
        public var value: [Double]
        public var samples: Int
        /// Boost: where a row missing this split's feature goes (nil: never missing, right).
        public var missingLeft: Bool?
        /// Boost, a split on a feature of categories: the category codes that go left (the
        /// threshold is then unused). Any other code, one the fit never saw included, goes right.
        public var categories: [Int]?

        public init(feature: Int, threshold: Double, left: Int, right: Int, value: [Double], samples: Int) {
            self.feature = feature
            self.threshold = threshold
            self.left = left
            self.right = right
            self.value = value
            self.samples = samples
        }
    }

    public var nodes: [Node]
    public var classes: [String]?
    /// Each feature's share of the total impurity decrease.
    public var importances: [Double]
    public var depth: Int
    public var leaves: Int

    public func leaf(_ row: [Double]) -> Node {
        var n = nodes[0]
        while n.feature >= 0 { n = nodes[Self.child(n, row[n.feature])] }
        return n
    }

    /// The leaf each row of x ends in, reading the column-major matrix in place (no row copies).
    public func leafIndices(_ x: Matrix) -> [Int] {
        let n = x.rows
        return x.data.withUnsafeBufferPointer { data in
            nodes.withUnsafeBufferPointer { nodes in
                (0..<n).map { r in
                    var i = 0
                    while nodes[i].feature >= 0 { i = Self.child(nodes[i], data[nodes[i].feature * n + r]) }
                    return i
                }
            }
        }
    }

    /// Where a row goes at a split: a missing value as the split learned (boost; right when it
    /// saw none), a category by the split's set, any other value by the threshold. Every
    /// traversal of a single row uses it (TreeTable walks many rows by the same rule).
    @inline(__always)
    public static func child(_ n: Node, _ v: Double) -> Int {
        if v.isNaN { return (n.missingLeft ?? false) ? n.left : n.right }
        if let set = n.categories { return v >= 0 && v < 256 && set.contains(Int(v)) ? n.left : n.right }
        return v <= n.threshold ? n.left : n.right
    }

    public func predict(_ x: Matrix) -> [Double] { leafIndices(x).map { nodes[$0].value[0] } }

    public func probabilities(_ x: Matrix) -> [[Double]] { leafIndices(x).map { nodes[$0].value } }
}

public enum Tree {
    /// Every row's index sorted by each feature (for `presorted`).
    /// Ties keep their row order (a stable radix sort: linear, where a comparison sort of a
    /// million rows by each feature took seconds).
    public static func sortedOrders(_ x: Matrix) -> [[Int]] {
        (0..<x.cols).map { f in RadixSort.stableOrder(x.column(f).map(RadixSort.key)) }
    }

    /// A single tree: every row, every feature at each split (no randomness is drawn).
    public static func fit(_ x: Matrix, _ y: [Double], classes: [String]?, maxDepth: Int?, minSamplesLeaf: Int,
                           classWeights: [Double]? = nil, interrupted: () -> Bool = { false }) -> TreeFit {
        var unused = SeededRandom(seed: 0)
        return fit(x, y, classes: classes, maxDepth: maxDepth, minSamplesLeaf: minSamplesLeaf, random: &unused,
                   classWeights: classWeights, interrupted: interrupted)
    }

    /// `interrupted` (Ctrl-C): nodes not yet split stay leaves, and the tree is kept as it is.
    /// For a forest: `rows` (a bootstrap sample, repeats allowed) instead of every row, and
    /// `maxFeatures` features drawn at random (with `random`) at each split instead of all.
    public static func fit(_ x: Matrix, _ y: [Double], classes: [String]?, maxDepth: Int?, minSamplesLeaf: Int,
                           rows sample: [Int]? = nil, maxFeatures: Int? = nil, random: inout SeededRandom,
                           classWeights: [Double]? = nil, presorted: [[Int]]? = nil, interrupted: () -> Bool = { false }) -> TreeFit {
        let k = classes?.count ?? 0
        var nodes: [TreeFit.Node] = []
        var importance = [Double](repeating: 0, count: x.cols)
        var depthReached = 0
        let columns = (0..<x.cols).map { Array(x.column($0)) }

        // Each class's weight (class_weight=balanced), 1 without: a row counts as its class's weight.
        let weightOf = classWeights ?? [Double](repeating: 1, count: max(k, 1))
        let classOf = k > 0 ? y.map { Int($0) } : []
        func value(_ rows: [Int]) -> [Double] {
            if k > 0 {
                var counts = [Double](repeating: 0, count: k)
                for r in rows { counts[Int(y[r])] += weightOf[Int(y[r])] }
                let total = counts.reduce(0, +)
                return counts.map { $0 / total }
            }
            return [rows.reduce(0) { $0 + y[$1] } / Double(rows.count)]
        }
        func impurity(_ rows: [Int]) -> Double {
            if k > 0 { return 1 - value(rows).reduce(0) { $0 + $1 * $1 } }
            let m = value(rows)[0]
            return rows.reduce(0) { $0 + (y[$1] - m) * (y[$1] - m) } / Double(rows.count)
        }

        // The rows sorted by each feature once, then split in order down the tree (presorting):
        // a node reads its rows in each feature's order instead of sorting them again. The lists
        // live in one buffer, feature f's at f × count; a node owns the same range of each, and a
        // split partitions each range in place, stably and without a branch (which side a row goes
        // to cannot be predicted), so the children own the two halves and nothing is allocated.
        let all = sample ?? Array(0..<x.rows)
        let count = all.count, p = x.cols
        let lists = UnsafeMutableBufferPointer<Int32>.allocate(capacity: max(1, p * count))
        let scratch = UnsafeMutableBufferPointer<Int32>.allocate(capacity: max(1, count))
        // Each list's values beside its rows, moved with them: the scan for a split then reads them
        // one after another, where looking each up in its column missed the cache at every row.
        let values = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(1, p * count))
        let valueScratch = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(1, count))
        defer { lists.deallocate(); scratch.deallocate(); values.deallocate(); valueScratch.deallocate() }
        if let presorted {
            // Every row's order by each feature, sorted once for the forest: the sample's lists are
            // read off it, each row as many times as it was drawn.
            var drawn = [Int](repeating: 0, count: x.rows)
            for r in all { drawn[r] += 1 }
            for (f, order) in presorted.enumerated() {
                var i = f * count
                for r in order where drawn[r] > 0 { for _ in 0..<drawn[r] { lists[i] = Int32(r); i += 1 } }
            }
        } else {
            for f in 0..<p {
                for (i, r) in all.sorted(by: { columns[f][$0] < columns[f][$1] }).enumerated() { lists[f * count + i] = Int32(r) }
            }
        }
        for f in 0..<p { for i in (f * count)..<((f + 1) * count) { values[i] = columns[f][Int(lists[i])] } }
        // Classes as bytes when they fit: looked up at random, a smaller array stays in cache.
        let classByte = k > 0 && k <= 256 ? classOf.map { UInt8($0) } : []
        var goesLeft = [Int](repeating: 0, count: x.rows)
        var leftCounts = [Double](repeating: 0, count: max(k, 1)), rightCounts = leftCounts

        func build(_ range: Range<Int>, _ depth: Int) -> Int {
            let rows = Array(lists[range].map { Int($0) })
            let id = nodes.count
            nodes.append(TreeFit.Node(feature: -1, threshold: 0, left: -1, right: -1, value: value(rows), samples: rows.count))
            depthReached = max(depthReached, depth)
            let parent = impurity(rows)
            guard parent > 1e-15, rows.count >= 2 * minSamplesLeaf, maxDepth.map({ depth < $0 }) ?? true, !interrupted() else { return id }
            var best: (gain: Double, feature: Int, threshold: Double)? = nil
            let n = k > 0 ? rows.reduce(0) { $0 + weightOf[Int(y[$1])] } : Double(rows.count)
            // A single tree tries the features from the last: among equally good splits the later
            // one wins, which matches scikit-learn's choice on the reference data. A forest, as
            // scikit-learn's, tries `maxFeatures` of them in a random order at each split, the first
            // of equally good splits winning: the trees differ in their ties too, not only in their rows.
            let tried: [Int]
            if let m = maxFeatures {
                var order = Array(0..<x.cols)
                for i in 0..<min(m, x.cols) { order.swapAt(i, i + Int(random.next() % UInt64(x.cols - i))) }
                tried = Array(order.prefix(m))
            } else {
                tried = Array((0..<x.cols).reversed())
            }
            for f in tried {
                let first = f * count + range.lowerBound, end = f * count + range.upperBound
                let sorted = UnsafeBufferPointer(rebasing: lists[first..<end]), sortedValues = UnsafeBufferPointer(rebasing: values[first..<end])
                // Running sums left of each cut: class counts, or sum and sum of squares.
                for c in leftCounts.indices { leftCounts[c] = 0; rightCounts[c] = 0 }
                var leftSum = 0.0, leftSq = 0.0, rightSum = 0.0, rightSq = 0.0
                for r32 in sorted {
                    let r = Int(r32)
                    if k > 0 { let c = classByte.isEmpty ? classOf[r] : Int(classByte[r]); rightCounts[c] += weightOf[c] } else { rightSum += y[r]; rightSq += y[r] * y[r] }
                }
                var nl = 0.0
                for i in 0..<(sorted.count - 1) {
                    let r = Int(sorted[i])
                    if k > 0 {
                        let c = classByte.isEmpty ? classOf[r] : Int(classByte[r]), w = weightOf[c]
                        leftCounts[c] += w; rightCounts[c] -= w; nl += w
                    } else { leftSum += y[r]; leftSq += y[r] * y[r]; rightSum -= y[r]; rightSq -= y[r] * y[r]; nl += 1 }
                    let a = sortedValues[i], b = sortedValues[i + 1]
                    guard b > a else { continue }
                    let nr = n - nl
                    // min_samples_leaf counts rows, not weights (as scikit-learn's).
                    guard i + 1 >= minSamplesLeaf, sorted.count - i - 1 >= minSamplesLeaf else { continue }
                    let il: Double, ir: Double
                    if k == 2 {
                        // The same sums as the general case, in the same order, without a closure.
                        let l0 = leftCounts[0] / nl, l1 = leftCounts[1] / nl, r0 = rightCounts[0] / nr, r1 = rightCounts[1] / nr
                        il = 1 - (l0 * l0 + l1 * l1)
                        ir = 1 - (r0 * r0 + r1 * r1)
                    } else if k > 0 {
                        il = 1 - leftCounts.reduce(0) { $0 + ($1 / nl) * ($1 / nl) }
                        ir = 1 - rightCounts.reduce(0) { $0 + ($1 / nr) * ($1 / nr) }
                    } else {
                        il = leftSq / nl - (leftSum / nl) * (leftSum / nl)
                        ir = rightSq / nr - (rightSum / nr) * (rightSum / nr)
                    }
                    let gain = parent - (nl / n) * il - (nr / n) * ir
                    if best == nil || gain > best!.gain + 1e-12 { best = (gain, f, a / 2 + b / 2) }
                }
            }
            guard let split = best, split.gain > 1e-12 else { return id }
            for r in rows { goesLeft[r] = columns[split.feature][r] <= split.threshold ? 1 : 0 }
            var cut = range.lowerBound
            for f in 0..<p {
                let base = f * count
                var left = base + range.lowerBound, right = 0
                for i in (base + range.lowerBound)..<(base + range.upperBound) {
                    let row = lists[i], v = values[i], l = goesLeft[Int(row)]
                    lists[left] = row
                    values[left] = v
                    scratch[right] = row
                    valueScratch[right] = v
                    left += l
                    right += 1 - l
                }
                for j in 0..<right { lists[left + j] = scratch[j]; values[left + j] = valueScratch[j] }
                cut = left - base
            }
            importance[split.feature] += split.gain * n
            let l = build(range.lowerBound..<cut, depth + 1), r = build(cut..<range.upperBound, depth + 1)
            nodes[id].feature = split.feature
            nodes[id].threshold = split.threshold
            nodes[id].left = l
            nodes[id].right = r
            return id
        }
        _ = build(0..<count, 0)
        let total = importance.reduce(0, +)
        return TreeFit(nodes: nodes, classes: classes, importances: total > 0 ? importance.map { $0 / total } : importance,
                       depth: depthReached, leaves: nodes.filter { $0.feature < 0 }.count)
    }
}
