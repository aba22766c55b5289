import Dispatch
import MLFrame
import Synchronization

/// k nearest neighbours by Euclidean distance over the training rows; ties in distance go to the
/// earlier training row. In up to 16 dimensions a k-d tree finds them (as scikit-learn's default
/// does there); in more, or over few rows, every distance is compared. Both give the same lists.
public struct KNNFit: Codable, Sendable, Equatable {
    public var k: Int
    public var x: Matrix { didSet { index = NeighbourIndexCache() } }
    /// Training targets: values (regression) or class indices.
    public var y: [Double]
    public var classes: [String]?
    /// The training rows row-major and their k-d tree, built at the first prediction and kept:
    /// a served model answers one row at a time, and building them is most of that time.
    var index = NeighbourIndexCache()

    enum CodingKeys: String, CodingKey { case k, x, y, classes }

    public init(k: Int, x: Matrix, y: [Double], classes: [String]?) {
        self.k = k
        self.x = x
        self.y = y
        self.classes = classes
    }

    /// The k nearest training rows of every query row, nearest first. Row-major copies, a bounded
    /// insertion list instead of sorting every distance, and the queries shared over both cores:
    /// the training metrics of a 20,000-row fit are 4·10⁸ distances.
    func neighbourLists(_ q: Matrix, interrupted: @escaping @Sendable () -> Bool = { false }) -> [[Int]] {
        let n = x.rows, d = x.cols, m = q.rows, k = min(self.k, x.rows)
        var query = [Double](repeating: 0, count: m * d)
        for j in 0..<d {
            for i in 0..<m { query[i * d + j] = q.data[j * m + i] }
        }
        let out = WorkerSlots<[Int]>(m, [])
        let built = index.get(x)
        let (train, tree) = (built.train, built.tree)
        let blocks = max(1, min(m, 64))
        let size = (m + blocks - 1) / blocks
        let (trainRows, queryRows) = (train, query)
        DispatchQueue.concurrentPerform(iterations: blocks) { b in
            var bestD = [Double](repeating: 0, count: k), bestI = [Int](repeating: 0, count: k)
            var found: [[Int]] = []
            trainRows.withUnsafeBufferPointer { t in
                queryRows.withUnsafeBufferPointer { qp in
                    var offsets = [Double](repeating: 0, count: d)
                    for r in min(m, b * size)..<min(m, (b + 1) * size) {
                        // Ctrl-C: the rows not reached get no neighbours (their predictions are missing).
                        if interrupted() { found.append([]); continue }
                        let point = qp.baseAddress! + r &* d
                        if let tree {
                            found.append(tree.nearest(point, k: k, offsets: &offsets))
                            continue
                        }
                        var count = 0
                        for i in 0..<n {
                            let row = t.baseAddress! + i &* d
                            var s = 0.0, j = 0
                            while j < d { let v = row[j] - point[j]; s += v * v; j &+= 1 }
                            if count == k && s >= bestD[k - 1] { continue }
                            // Insert keeping the list sorted; among equal distances the earlier row stays first.
                            var pos = count == k ? k - 1 : count
                            while pos > 0 && bestD[pos - 1] > s { bestD[pos] = bestD[pos - 1]; bestI[pos] = bestI[pos - 1]; pos -= 1 }
                            bestD[pos] = s
                            bestI[pos] = i
                            if count < k { count += 1 }
                        }
                        found.append(Array(bestI.prefix(count)))
                    }
                }
            }
            for (offset, list) in found.enumerated() { out.values[b * size + offset] = list }
        }
        return Array(out.values.prefix(m))
    }

    public func predict(_ q: Matrix, interrupted: @escaping @Sendable () -> Bool = { false }) -> [Double] {
        neighbourLists(q, interrupted: interrupted).map { n in n.reduce(0) { $0 + y[$1] } / Double(n.count) }
    }

    /// The share of each class among the k nearest training rows.
    public func probabilities(_ q: Matrix, interrupted: @escaping @Sendable () -> Bool = { false }) -> [[Double]] {
        let c = classes?.count ?? 0
        return neighbourLists(q, interrupted: interrupted).map { n in
            var counts = [Double](repeating: 0, count: c)
            for i in n { counts[Int(y[i])] += 1 }
            return counts.map { $0 / Double(n.count) }
        }
    }
}

extension Matrix: Codable {
    enum CodingKeys: String, CodingKey { case rows, cols, data }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(rows: try c.decode(Int.self, forKey: .rows), cols: try c.decode(Int.self, forKey: .cols), data: try c.decode([Double].self, forKey: .data))
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(rows, forKey: .rows)
        try c.encode(cols, forKey: .cols)
        try c.encode(data, forKey: .data)
    }
}

/// The training rows row-major and their k-d tree (in up to 16 dimensions and from 512 rows),
/// made once per model and shared by its copies.
final class NeighbourIndexCache: Sendable, Equatable {
    struct Built: Sendable {
        let train: [Double]
        let tree: KDTree?
    }
    private let built = Mutex<Built?>(nil)

    func get(_ x: Matrix) -> Built {
        built.withLock { cached in
            if let cached { return cached }
            let n = x.rows, d = x.cols
            var train = [Double](repeating: 0, count: n * d)
            for j in 0..<d { for i in 0..<n { train[i * d + j] = x.data[j * n + i] } }
            let made = Built(train: train, tree: d <= 16 && n >= 512 ? KDTree(rowMajor: train, n: n, d: d) : nil)
            cached = made
            return made
        }
    }

    /// A cache holds nothing of the model's value: two fits with equal rows are equal.
    static func == (a: NeighbourIndexCache, b: NeighbourIndexCache) -> Bool { true }
}
