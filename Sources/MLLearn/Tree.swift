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
        while n.feature >= 0 { n = nodes[row[n.feature] <= n.threshold ? n.left : n.right] }
        return n
    }

    public func predict(_ x: Matrix) -> [Double] { (0..<x.rows).map { leaf(x.row($0)).value[0] } }

    public func probabilities(_ x: Matrix) -> [[Double]] { (0..<x.rows).map { leaf(x.row($0)).value } }
}

public enum Tree {
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
                           classWeights: [Double]? = nil, interrupted: () -> Bool = { false }) -> TreeFit {
        let k = classes?.count ?? 0
        var nodes: [TreeFit.Node] = []
        var importance = [Double](repeating: 0, count: x.cols)
        var depthReached = 0
        let columns = (0..<x.cols).map { Array(x.column($0)) }

        // Each class's weight (class_weight=balanced), 1 without: a row counts as its class's weight.
        let weightOf = classWeights ?? [Double](repeating: 1, count: max(k, 1))
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
                // Running sums left of each cut: class counts, or sum and sum of squares.
                var leftCounts = [Double](repeating: 0, count: max(k, 1))
                var rightCounts = [Double](repeating: 0, count: max(k, 1))
                var leftSum = 0.0, leftSq = 0.0, rightSum = 0.0, rightSq = 0.0
                for r in sorted {
                    if k > 0 { rightCounts[Int(y[r])] += weightOf[Int(y[r])] } else { rightSum += y[r]; rightSq += y[r] * y[r] }
                }
                var nl = 0.0
                for i in 0..<(sorted.count - 1) {
                    let r = sorted[i]
                    if k > 0 {
                        let w = weightOf[Int(y[r])]
                        leftCounts[Int(y[r])] += w; rightCounts[Int(y[r])] -= w; nl += w
                    } else { leftSum += y[r]; leftSq += y[r] * y[r]; rightSum -= y[r]; rightSq -= y[r] * y[r]; nl += 1 }
                    let a = columns[f][r], b = columns[f][sorted[i + 1]]
                    guard b > a else { continue }
                    let nr = n - nl
                    // min_samples_leaf counts rows, not weights (as scikit-learn's).
                    guard i + 1 >= minSamplesLeaf, sorted.count - i - 1 >= minSamplesLeaf else { continue }
                    let il: Double, ir: Double
                    if k > 0 {
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
        _ = build((0..<x.cols).map { f in all.sorted { columns[f][$0] < columns[f][$1] } }, 0)
        let total = importance.reduce(0, +)
        return TreeFit(nodes: nodes, classes: classes, importances: total > 0 ? importance.map { $0 / total } : importance,
                       depth: depthReached, leaves: nodes.filter { $0.feature < 0 }.count)
    }
}
