/// A k-d tree for exact k-nearest-neighbour search in few dimensions (as scikit-learn's
/// KDTree, which its neighbours use by default there). It gives the very answers of comparing
/// every distance: the same squared distances, summed in the same order, and ties going to the
/// earlier training row; it only skips the cells that cannot hold a nearer row.
struct KDTree {
    let d: Int
    /// The points in tree order, row-major, and the training row each one is.
    private let points: [Double]
    private let rows: [Int]
    private var nodes: [Node] = []

    private struct Node {
        var start: Int, end: Int      // the node's points: start..<end in tree order
        var dimension = -1            // -1: a leaf
        var split = 0.0               // left points ≤ split ≤ right points, in `dimension`
        var left = -1, right = -1
    }

    static let leafSize = 16

    /// A tree over n row-major points of d coordinates.
    init(rowMajor train: [Double], n: Int, d: Int) {
        self.d = d
        var order = Array(0..<n)
        var nodes: [Node] = []
        // Splits each cell at the median of its widest coordinate, until cells are small.
        func build(_ start: Int, _ end: Int) -> Int {
            let id = nodes.count
            nodes.append(Node(start: start, end: end))
            guard end - start > Self.leafSize else { return id }
            var widest = 0, spread = -1.0
            for j in 0..<d {
                var lo = Double.infinity, hi = -Double.infinity
                for p in start..<end {
                    let v = train[order[p] * d + j]
                    lo = min(lo, v)
                    hi = max(hi, v)
                }
                if hi - lo > spread { spread = hi - lo; widest = j }
            }
            guard spread > 0 else { return id }  // all points equal: a leaf
            let mid = (start + end) / 2
            Self.select(&order, start, end - 1, mid) { train[$0 * d + widest] }
            nodes[id].dimension = widest
            nodes[id].split = train[order[mid] * d + widest]
            let left = build(start, mid)
            let right = build(mid, end)
            nodes[id].left = left
            nodes[id].right = right
            return id
        }
        if n > 0 { _ = build(0, n) }
        self.nodes = nodes
        var pts = [Double](repeating: 0, count: n * d)
        for (p, r) in order.enumerated() { for j in 0..<d { pts[p * d + j] = train[r * d + j] } }
        points = pts
        rows = order
    }

    /// Puts the item with the k-th smallest key in order[k], smaller keys before it and larger after.
    private static func select(_ order: inout [Int], _ first: Int, _ last: Int, _ k: Int, _ key: (Int) -> Double) {
        var left = first, right = last
        while right > left {
            let pivot = key(order[left + (right - left) / 2])
            var i = left, j = right
            while i <= j {
                while key(order[i]) < pivot { i += 1 }
                while key(order[j]) > pivot { j -= 1 }
                if i <= j {
                    order.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if k <= j { right = j } else if k >= i { left = i } else { return }
        }
    }

    /// The k nearest training rows of `point`, nearest first (ties: the earlier row first).
    /// `offsets` is scratch of d zeros, and is left as zeros.
    func nearest(_ point: UnsafePointer<Double>, k: Int, offsets: inout [Double]) -> [Int] {
        guard !nodes.isEmpty, k > 0 else { return [] }
        var bestD = [Double](repeating: .infinity, count: k), bestI = [Int](repeating: Int.max, count: k)
        var count = 0
        points.withUnsafeBufferPointer { pts in
            rows.withUnsafeBufferPointer { rowOf in
                offsets.withUnsafeMutableBufferPointer { off in
                    // bound: the squared distance from the point to the node's cell (a lower bound).
                    func visit(_ id: Int, _ bound: Double) {
                        let node = nodes[id]
                        if node.dimension < 0 {
                            for p in node.start..<node.end {
                                let row = pts.baseAddress! + p &* d
                                var s = 0.0, j = 0
                                while j < d { let v = row[j] - point[j]; s += v * v; j &+= 1 }
                                let r = rowOf[p]
                                if count == k && (s > bestD[k - 1] || (s == bestD[k - 1] && r > bestI[k - 1])) { continue }
                                var pos = count == k ? k - 1 : count
                                while pos > 0 && (bestD[pos - 1] > s || (bestD[pos - 1] == s && bestI[pos - 1] > r)) {
                                    bestD[pos] = bestD[pos - 1]
                                    bestI[pos] = bestI[pos - 1]
                                    pos -= 1
                                }
                                bestD[pos] = s
                                bestI[pos] = r
                                if count < k { count += 1 }
                            }
                            return
                        }
                        let diff = point[node.dimension] - node.split
                        let (near, far) = diff <= 0 ? (node.left, node.right) : (node.right, node.left)
                        visit(near, bound)
                        let old = off[node.dimension]
                        let farBound = bound - old * old + diff * diff
                        // The bound is summed in another order than the distances: a little slack
                        // keeps a cell whose rows could tie with the k-th.
                        if count < k || farBound <= bestD[k - 1] * (1 + 1e-12) {
                            off[node.dimension] = diff
                            visit(far, farBound)
                            off[node.dimension] = old
                        }
                    }
                    visit(0, 0)
                }
            }
        }
        return Array(bestI.prefix(count))
    }
}
