#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import MLFrame

/// What one boosting fit reuses from tree to tree: the binned features (one byte a value, feature
/// by feature), the training rows as one array that each tree partitions in place (every leaf is
/// a range of it, as in scikit-learn's splitter), and the gradients gathered in a leaf's row order
/// so a histogram reads them one after another instead of at random.
final class BoostWorkspace: @unchecked Sendable {
    let rows: Int, features: Int
    let codes: WorkerSlots<UInt8>      // codes[f * rows + r]
    let order: WorkerSlots<Int32>, scratch: WorkerSlots<Int32>
    /// A leaf's gradients and hessians side by side, in its row order.
    let ordered: WorkerSlots<SIMD2<Double>>
    let training: [Int32]
    /// Whether each feature is missing in any training row (scikit-learn's has_missing_values).
    let hasMissing: [Bool]
    /// Histograms of leaves no longer open, to be filled again (each is features × 256 bins).
    var spare: [WorkerSlots<Boost.Bin>] = []

    init(codes: [[UInt8]], training: [Int]) {
        rows = codes.first?.count ?? 0
        features = codes.count
        self.codes = WorkerSlots(max(1, rows * features), 0)
        for (f, column) in codes.enumerated() { for (r, c) in column.enumerated() { self.codes.values[f * rows + r] = c } }
        self.training = training.map { Int32($0) }
        hasMissing = codes.map { column in training.contains { column[$0] == Boost.missingBin } }
        order = WorkerSlots(training.count, 0)
        scratch = WorkerSlots(training.count, 0)
        ordered = WorkerSlots(training.count, SIMD2(0, 0))
    }

    func histogram() -> WorkerSlots<Boost.Bin> { spare.popLast() ?? WorkerSlots(features * 256, Boost.Bin()) }
}

extension Boost {
    /// One histogram bin: the sums of the gradients and hessians of its rows, and their count. The
    /// two sums are one vector, added in one instruction: a histogram is instruction-bound.
    struct Bin: Sendable {
        var gh = SIMD2<Double>(0, 0), n = 0
        var g: Double { gh.x }
        var h: Double { gh.y }
    }

    /// A split after bin `bin` (every bin up to it left), the missing rows left or right, with the
    /// left side's sums (the right's are the parent's less these).
    struct Split: Sendable {
        var gain: Double; var feature: Int; var bin: Int; var missingLeft: Bool; var g: Double; var h: Double; var n: Int
        /// A split on categories: the codes that go left (the missing bin among them when the
        /// missing rows go left); `bin` is then unused.
        var categories: [Int]? = nil

        /// Which side each code goes to (1 left, 0 right), the missing bin included.
        var sides: [Int] {
            var t = [Int](repeating: 0, count: 256)
            if let categories { for c in categories { t[c] = 1 } } else { for c in 0...min(bin, 254) { t[c] = 1 } }
            t[Int(missingBin)] = missingLeft ? 1 : 0
            return t
        }
    }

    /// A category is grouped only where it has about this many rows (in hessian), and its
    /// gradient sum is shrunk by it when categories are ordered (scikit-learn's MIN_CAT_SUPPORT,
    /// LightGBM's cat_smooth).
    static let categorySupport = 10.0

    /// The histograms of the rows order[range] into `into`: their gradients gathered once, then the
    /// features shared between two lanes (both cores) when there are enough rows.
    static func histogram(_ w: BoostWorkspace, _ range: Range<Int>, _ g: WorkerSlots<Double>, _ h: WorkerSlots<Double>,
                          into hist: WorkerSlots<Bin>) {
        let order = w.order.values, ordered = w.ordered.values
        let gv = g.values, hv = h.values
        var i = 0
        for j in range { let r = Int(order[j]); ordered[i] = SIMD2(gv[r], hv[r]); i += 1 }
        let m = range.count, start = range.lowerBound, p = w.features, n = w.rows
        let lanes = m > 2_000 && p > 1 ? 2 : 1
        DispatchQueue.concurrentPerform(iterations: lanes) { lane in
            let codes = w.codes.values.baseAddress!, bins = hist.values.baseAddress!
            let order = w.order.values.baseAddress! + start, ordered = w.ordered.values.baseAddress!
            for f in stride(from: lane, to: p, by: lanes) {
                let base = bins + f * 256, code = codes + f * n
                base.update(repeating: Bin(), count: 256)
                for i in 0..<m {
                    let b = Int(code[Int(order[i])])
                    base[b].gh += ordered[i]
                    base[b].n &+= 1
                }
            }
        }
    }

    /// One tree, leaf by leaf: the leaf whose best split gains most is split next. A new pair of
    /// leaves reads the rows of the smaller one only; the larger's histograms are the parent's
    /// less the smaller's (LightGBM's and scikit-learn's subtraction). Returns the tree, each leaf's
    /// range of `w.order` with its value, and which side each code goes to at each split node (for
    /// rows read by their codes). `categories[f]`: feature f's number of categories, 0 for numbers.
    static func grow(_ w: BoostWorkspace, _ g: WorkerSlots<Double>, _ h: WorkerSlots<Double>, edges: [[Double]], categories: [Int],
                     maxLeaves: Int, maxDepth: Int?, depthwise: Bool, minSamplesLeaf: Int, l2: Double, importance: inout [Double])
        -> (tree: TreeFit, leaves: [(rows: Range<Int>, value: Double)], sides: [[Int]]) {
        let p = w.features, n = w.rows, edgeCounts = edges.map(\.count)
        struct Leaf { var node: Int; var depth: Int; var rows: Range<Int>; var g: Double; var h: Double; var hist: WorkerSlots<Bin>?; var split: Split? }
        var nodes: [TreeFit.Node] = [], sides: [[Int]] = []

        func bestSplit(_ count: Int, _ G: Double, _ H: Double, _ hist: WorkerSlots<Bin>) -> Split? {
            guard count >= 2 * minSamplesLeaf else { return nil }
            let parentScore = G * G / (H + l2), minLeaf = minSamplesLeaf
            var best: Split? = nil, bestGain = 1e-12
            let bins = hist.values.baseAddress!
            @inline(__always) func consider(_ f: Int, _ b: Int, _ gL: Double, _ hL: Double, _ nL: Int, _ missingLeft: Bool) {
                let nR = count - nL, hR = H - hL
                guard nL >= minLeaf, nR >= minLeaf, hL >= 1e-3, hR >= 1e-3 else { return }
                let gR = G - gL
                let gain = gL * gL / (hL + l2) + gR * gR / (hR + l2) - parentScore
                if gain > bestGain { bestGain = gain; best = Split(gain: gain, feature: f, bin: b, missingLeft: missingLeft, g: gL, h: hL, n: nL) }
            }
            for f in 0..<p {
                if categories[f] > 0 {
                    if let s = categorySplit(f, bins + f * 256, categories[f], count, G, H), s.gain > bestGain { bestGain = s.gain; best = s }
                    continue
                }
                let base = bins + f * 256, e = edgeCounts[f]
                var gl = 0.0, hl = 0.0, nl = 0
                if w.hasMissing[f] {
                    // As scikit-learn's, for a feature missing somewhere in the training rows (even
                    // in a node where none is): the missing rows right, every cut from the left
                    // (the last: every value left); then the missing rows left, every cut from the right.
                    for b in 0...e {
                        gl += base[b].g; hl += base[b].h; nl += base[b].n
                        consider(f, b, gl, hl, nl, false)
                    }
                    var gr = 0.0, hr = 0.0, nr = 0
                    for b in stride(from: e - 1, through: 0, by: -1) {
                        gr += base[b + 1].g; hr += base[b + 1].h; nr += base[b + 1].n
                        consider(f, b, G - gr, H - hr, count - nr, true)
                    }
                } else {
                    for b in 0..<e {
                        gl += base[b].g; hl += base[b].h; nl += base[b].n
                        consider(f, b, gl, hl, nl, false)
                    }
                }
            }
            // A feature never missing in training: a missing value met later goes to the side
            // that had more rows (scikit-learn's rule, right on a tie).
            if var chosen = best, !w.hasMissing[chosen.feature] {
                chosen.missingLeft = chosen.n > count - chosen.n
                best = chosen
            }
            return best
        }

        /// The best split of a feature's categories into two groups, as scikit-learn's: the
        /// categories with enough support (the missing rows as one more) ordered by their shrunk
        /// mean gradient, then every prefix of that order up to the middle, from either end, tried
        /// as the left group. Categories with too little support always go right.
        func categorySplit(_ f: Int, _ base: UnsafeMutablePointer<Bin>, _ k: Int, _ count: Int, _ G: Double, _ H: Double) -> Split? {
            let support = Double(count) / H
            var used: [(code: Int, value: Double)] = []
            for c in Array(0..<k) + [Int(missingBin)] where base[c].n > 0 && base[c].h * support >= categorySupport {
                used.append((c, base[c].g / (base[c].h + categorySupport)))
            }
            guard used.count > 1 else { return nil }
            used.sort { $0.value < $1.value }
            let parentScore = G * G / (H + l2)
            var best: (gain: Double, direction: Int, end: Int, g: Double, h: Double, n: Int)? = nil
            for direction in [1, -1] {
                let middle = direction == 1 ? (used.count + 1) / 2 : (used.count + 1) / 2 - 1
                var gl = 0.0, hl = 0.0, nl = 0
                for i in 0..<middle {
                    let c = used[direction == 1 ? i : used.count - 1 - i].code
                    gl += base[c].g; hl += base[c].h; nl += base[c].n
                    if nl < minSamplesLeaf || hl < 1e-3 { continue }
                    if count - nl < minSamplesLeaf || H - hl < 1e-3 { break }
                    let gain = gl * gl / (hl + l2) + (G - gl) * (G - gl) / (H - hl + l2) - parentScore
                    if gain > (best?.gain ?? 1e-12) { best = (gain, direction, i, gl, hl, nl) }
                }
            }
            guard let best else { return nil }
            let left = (0...best.end).map { used[best.direction == 1 ? $0 : used.count - 1 - $0].code }
            return Split(gain: best.gain, feature: f, bin: 0, missingLeft: left.contains(Int(missingBin)), g: best.g, h: best.h, n: best.n,
                         categories: left.filter { $0 != Int(missingBin) }.sorted())
        }

        func leaf(_ rows: Range<Int>, _ depth: Int, _ G: Double, _ H: Double, _ hist: WorkerSlots<Bin>) -> Leaf {
            nodes.append(TreeFit.Node(feature: -1, threshold: 0, left: -1, right: -1, value: [-G / (H + l2)], samples: rows.count))
            sides.append([])
            let split = maxDepth.map { depth >= $0 } ?? false ? nil : bestSplit(rows.count, G, H, hist)
            // A leaf that will not split needs its histograms no more.
            if split == nil { w.spare.append(hist) }
            return Leaf(node: nodes.count - 1, depth: depth, rows: rows, g: G, h: H, hist: split == nil ? nil : hist, split: split)
        }

        /// Stable partition of order[range] by the split: the left rows first, each side in its order.
        func partition(_ range: Range<Int>, _ s: Split) -> Int {
            let order = w.order.values, scratch = w.scratch.values
            let code = w.codes.values.baseAddress! + s.feature * n, side = s.sides
            // Without a branch (which way a row goes is not predictable): the row is written to both
            // sides and only its own side's position moves on; a slot written in vain is written again.
            var left = range.lowerBound, right = 0
            for i in range {
                let r = order[i], goesLeft = side[Int(code[Int(r)])]
                order[left] = r
                scratch[right] = r
                left += goesLeft
                right += 1 - goesLeft
            }
            for j in 0..<right { order[left + j] = scratch[j] }
            return left
        }

        let all = 0..<w.training.count
        _ = w.order.values.update(fromContentsOf: w.training)
        let rootHist = w.histogram()
        histogram(w, all, g, h, into: rootHist)
        var G = 0.0, H = 0.0
        for b in 0..<256 { G += rootHist.values[b].g; H += rootHist.values[b].h }
        var open = [leaf(all, 0, G, H, rootHist)]
        var leaves = 1
        while leaves < maxLeaves {
            // Leaf-wise: the leaf that gains most. Depth-wise: the shallowest, the first made among them.
            let candidates = open.indices.filter { open[$0].split != nil }
            guard let k = depthwise ? candidates.min(by: { (open[$0].depth, open[$0].node) < (open[$1].depth, open[$1].node) })
                                    : candidates.max(by: { open[$0].split!.gain < open[$1].split!.gain }) else { break }
            let l = open.remove(at: k), s = l.split!, parent = l.hist!
            let cut = partition(l.rows, s)
            let leftRows = l.rows.lowerBound..<cut, rightRows = cut..<l.rows.upperBound
            let leftSmaller = leftRows.count <= rightRows.count
            // The smaller side's histograms read from its rows; the parent's become the larger's.
            let small = w.histogram()
            histogram(w, leftSmaller ? leftRows : rightRows, g, h, into: small)
            let pb = parent.values, sb = small.values
            for i in 0..<(p * 256) { pb[i].gh -= sb[i].gh; pb[i].n -= sb[i].n }
            let left = leaf(leftRows, l.depth + 1, s.g, s.h, leftSmaller ? small : parent)
            let right = leaf(rightRows, l.depth + 1, l.g - s.g, l.h - s.h, leftSmaller ? parent : small)
            nodes[l.node].feature = s.feature
            nodes[l.node].threshold = s.categories != nil ? 0 : s.bin < edgeCounts[s.feature] ? edges[s.feature][s.bin] : .infinity
            nodes[l.node].missingLeft = s.missingLeft
            nodes[l.node].categories = s.categories
            sides[l.node] = s.sides
            nodes[l.node].left = left.node
            nodes[l.node].right = right.node
            importance[s.feature] += s.gain
            open.append(left)
            open.append(right)
            leaves += 1
        }
        for l in open { if let hist = l.hist { w.spare.append(hist) } }
        return (TreeFit(nodes: nodes, classes: nil, importances: [], depth: 0, leaves: leaves), open.map { ($0.rows, nodes[$0.node].value[0]) }, sides)
    }
}
