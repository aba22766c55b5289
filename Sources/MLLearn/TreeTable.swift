import Dispatch
import MLFrame

/// Many trees flattened into parallel arrays for predicting. Rows are scored in blocks, every tree
/// over a block before the next, so a block's values stay in cache while the trees read them; the
/// blocks are shared between both cores. Within a block a tree is walked level by level for all
/// the block's rows at once, and a leaf leads to itself: each row's step is then independent of
/// the other rows', and the processor overlaps them, where walking one row to its leaf waits on
/// each load in turn. (Walking each tree over every row had been a fifth of `fit boost`'s run,
/// through the training report and `evaluate`.)
struct TreeTable: Sendable {
    var feature: [Int32] = [], threshold: [Double] = []
    /// child[2i] is node i's left child, child[2i + 1] its right; both are i at a leaf. The step down
    /// is an index computed without a branch (which way a row goes cannot be predicted).
    var child: [Int32] = []
    /// 1 where a missing value goes left (and at leaves, so that they stay put).
    var missingLeft: [Int32] = [], value: [Double] = []
    /// A split on categories: the index of its 256-bit set of left codes in `sets` (4 words
    /// each); −1 at other nodes.
    var categorySet: [Int32] = [], sets: [UInt64] = []
    var roots: [Int] = [], depths: [Int] = []

    init(_ trees: [TreeFit]) {
        for tree in trees {
            let base = feature.count
            roots.append(base)
            for (i, n) in tree.nodes.enumerated() {
                let leaf = n.feature < 0
                feature.append(Int32(leaf ? 0 : n.feature))
                threshold.append(leaf ? .infinity : n.threshold)
                child.append(Int32(base + (leaf ? i : n.left)))
                child.append(Int32(base + (leaf ? i : n.right)))
                missingLeft.append(leaf || (n.missingLeft ?? false) ? 1 : 0)
                value.append(n.value.first ?? 0)
                if let categories = n.categories, !leaf {
                    categorySet.append(Int32(sets.count / 4))
                    var words = [UInt64](repeating: 0, count: 4)
                    for c in categories where c >= 0 && c < 256 { words[c >> 6] |= 1 << UInt64(c & 63) }
                    sets += words
                } else {
                    categorySet.append(-1)
                }
            }
            depths.append(Self.depth(tree.nodes, 0))
        }
    }

    static func depth(_ nodes: [TreeFit.Node], _ i: Int) -> Int {
        nodes[i].feature < 0 ? 0 : 1 + max(depth(nodes, nodes[i].left), depth(nodes, nodes[i].right))
    }

    /// baseline + scale × (the sum of the leaf values of tree t over the trees with t % outputs == k)
    /// for each row and output k, as scores[r * outputs + k].
    func sums(_ x: Matrix, outputs: Int, scale: Double, baseline: [Double]) -> [Double] {
        let n = x.rows, block = 256, blocks = (n + block - 1) / block, lanes = blocks > 8 ? 2 : 1
        let scores = WorkerSlots<Double>(n * outputs, 0)
        let table = self
        DispatchQueue.concurrentPerform(iterations: lanes) { lane in
            let s = scores.values
            var at = [Int](repeating: 0, count: block)
            x.data.withUnsafeBufferPointer { data in
                table.feature.withUnsafeBufferPointer { feature in
                table.threshold.withUnsafeBufferPointer { threshold in
                table.child.withUnsafeBufferPointer { child in
                table.missingLeft.withUnsafeBufferPointer { missingLeft in
                table.value.withUnsafeBufferPointer { value in
                table.categorySet.withUnsafeBufferPointer { categorySet in
                at.withUnsafeMutableBufferPointer { at in
                    for b in stride(from: lane, to: blocks, by: lanes) {
                        let first = b * block, count = min(n, first + block) - first
                        for r in first..<(first + count) { for k in 0..<outputs { s[r * outputs + k] = baseline[k] } }
                        for (t, root) in table.roots.enumerated() {
                            let k = t % outputs
                            for j in 0..<count { at[j] = root }
                            for _ in 0..<table.depths[t] {
                                for j in 0..<count {
                                    let i = at[j], v = data[Int(feature[i]) * n + first + j]
                                    var goesLeft = (v <= threshold[i] ? 1 : 0) | (v.isNaN ? Int(missingLeft[i]) : 0)
                                    let set = Int(categorySet[i])
                                    if set >= 0, !v.isNaN {
                                        // A code the fit never saw (−1) goes right.
                                        let c = v >= 0 && v < 256 ? Int(v) : -1
                                        goesLeft = c < 0 ? 0 : Int((table.sets[set * 4 + c >> 6] >> UInt64(c & 63)) & 1)
                                    }
                                    at[j] = Int(child[2 * i + 1 - goesLeft])
                                }
                            }
                            for j in 0..<count { s[(first + j) * outputs + k] += scale * value[at[j]] }
                        }
                    }
                }}}}}}}
            }
        }
        return Array(scores.values)
    }
}
