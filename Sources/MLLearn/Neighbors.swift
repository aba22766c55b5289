/// k nearest neighbours by Euclidean distance over the training rows (brute force); ties in
/// distance go to the earlier training row, as scikit-learn's brute-force search.
public struct KNNFit: Codable, Sendable, Equatable {
    public var k: Int
    public var x: Matrix
    /// Training targets: values (regression) or class indices.
    public var y: [Double]
    public var classes: [String]?

    public init(k: Int, x: Matrix, y: [Double], classes: [String]?) {
        self.k = k
        self.x = x
        self.y = y
        self.classes = classes
    }

    func neighbours(_ row: [Double]) -> [Int] {
        var d = [(Double, Int)]()
        d.reserveCapacity(x.rows)
        for i in 0..<x.rows {
            var s = 0.0
            for j in 0..<x.cols { let t = x[i, j] - row[j]; s += t * t }
            d.append((s, i))
        }
        d.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        return d.prefix(k).map(\.1)
    }

    public func predict(_ q: Matrix) -> [Double] {
        (0..<q.rows).map { r in
            let n = neighbours(q.row(r))
            return n.reduce(0) { $0 + y[$1] } / Double(n.count)
        }
    }

    /// The share of each class among the k nearest training rows.
    public func probabilities(_ q: Matrix) -> [[Double]] {
        let c = classes?.count ?? 0
        return (0..<q.rows).map { r in
            var counts = [Double](repeating: 0, count: c)
            let n = neighbours(q.row(r))
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
