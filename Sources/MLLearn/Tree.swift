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
    /// saw none), any other by the threshold. Every traversal of every tree uses it.
    @inline(__always)
    public static func child(_ n: Node, _ v: Double) -> Int {
        v.isNaN ? ((n.missingLeft ?? false) ? n.left : n.right) : (v <= n.threshold ? n.left : n.right)
    }

    public func predict(_ x: Matrix) -> [Double] { leafIndices(x).map { nodes[$0].value[0] } }

    public func probabilities(_ x: Matrix) -> [[Double]] { leafIndices(x).map { nodes[$0].value } }
}

public enum Tree {
    /// Every row's index sorted by each feature (for `presorted`).
    public static func sortedOrders(_ x: Matrix) -> [[Int]] {
        (0..<x.cols).map { f in
            let column = Array(x.column(f))
            return Array(0..<x.rows).sorted { column[$0] < column[$1] }
        }
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
        let rowWeight = k > 0 ? classOf.map { weightOf[$0] } : []
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
        // a node reads its rows in each feature's order instead of sorting them again.
        var goesLeft = [Bool](repeating: false, count: x.rows)
        func build(_ lists: [[Int]], _ depth: Int) -> Int {
            let rows = lists[0]
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
                let sorted = lists[f]
                let column = columns[f]
                // Running sums left of each cut: class counts, or sum and sum of squares.
                var leftCounts = [Double](repeating: 0, count: max(k, 1))
                var rightCounts = [Double](repeating: 0, count: max(k, 1))
                var leftSum = 0.0, leftSq = 0.0, rightSum = 0.0, rightSq = 0.0
                for r in sorted {
                    if k > 0 { rightCounts[classOf[r]] += rowWeight[r] } else { rightSum += y[r]; rightSq += y[r] * y[r] }
                }
                var nl = 0.0
                for i in 0..<(sorted.count - 1) {
                    let r = sorted[i]
                    if k > 0 {
                        let w = rowWeight[r], c = classOf[r]
                        leftCounts[c] += w; rightCounts[c] -= w; nl += w
                    } else { leftSum += y[r]; leftSq += y[r] * y[r]; rightSum -= y[r]; rightSq -= y[r] * y[r]; nl += 1 }
                    let a = column[r], b = column[sorted[i + 1]]
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
            for r in rows { goesLeft[r] = columns[split.feature][r] <= split.threshold }
            var left: [[Int]] = [], right: [[Int]] = []
            left.reserveCapacity(lists.count)
            right.reserveCapacity(lists.count)
            for list in lists {
                var l: [Int] = [], r: [Int] = []
                l.reserveCapacity(list.count)
                r.reserveCapacity(list.count)
                for row in list { if goesLeft[row] { l.append(row) } else { r.append(row) } }
                left.append(l)
                right.append(r)
            }
            importance[split.feature] += split.gain * n
            let l = build(left, depth + 1), r = build(right, depth + 1)
            nodes[id].feature = split.feature
            nodes[id].threshold = split.threshold
            nodes[id].left = l
            nodes[id].right = r
            return id
        }
        let all = sample ?? Array(0..<x.rows)
        if let presorted {
            // Every row's order by each feature, sorted once for the forest: the sample's lists are
            // read off it, each row as many times as it was drawn.
            var drawn = [Int](repeating: 0, count: x.rows)
            for r in all { drawn[r] += 1 }
            _ = build(presorted.map { order in
                var list: [Int] = []
                list.reserveCapacity(all.count)
                for r in order where drawn[r] > 0 { for _ in 0..<drawn[r] { list.append(r) } }
                return list
            }, 0)
        } else {
            _ = build((0..<x.cols).map { f in all.sorted { columns[f][$0] < columns[f][$1] } }, 0)
        }
        let total = importance.reduce(0, +)
        return TreeFit(nodes: nodes, classes: classes, importances: total > 0 ? importance.map { $0 / total } : importance,
                       depth: depthReached, leaves: nodes.filter { $0.feature < 0 }.count)
    }
}
