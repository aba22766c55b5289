import MLFrame

/// k-means: k-means++ starts, Lloyd's iterations, the best of n_init runs by inertia.
public struct KMeansFit: Codable, Sendable, Equatable {
    public var centers: [[Double]]
    public var inertia: Double
    public var iterations: Int

    public func assign(_ x: Matrix) -> [Int] {
        (0..<x.rows).map { r in nearest(x.row(r)).0 }
    }

    func nearest(_ p: [Double]) -> (Int, Double) {
        var best = 0, bestD = Double.infinity
        for (k, c) in centers.enumerated() {
            var d = 0.0
            for j in 0..<p.count { let t = p[j] - c[j]; d += t * t }
            if d < bestD { best = k; bestD = d }
        }
        return (best, bestD)
    }
}

public enum KMeans {
    public static func fit(_ x: Matrix, k: Int, nInit: Int, seed: UInt64, maxIterations: Int = 300, interrupted: () -> Bool = { false }) -> KMeansFit {
        var rng = SeededRandom(seed: seed)
        var best: KMeansFit? = nil
        let rows = (0..<x.rows).map { x.row($0) }
        for _ in 0..<max(1, nInit) {
            var centers = plusPlus(rows, k, &rng)
            var fit = KMeansFit(centers: centers, inertia: .infinity, iterations: 0)
            for iteration in 1...maxIterations {
                var sums = [[Double]](repeating: [Double](repeating: 0, count: x.cols), count: k)
                var counts = [Int](repeating: 0, count: k)
                var inertia = 0.0
                for p in rows {
                    let (c, d) = fit.nearest(p)
                    inertia += d
                    counts[c] += 1
                    for j in 0..<p.count { sums[c][j] += p[j] }
                }
                let moved = (0..<k).map { c in counts[c] > 0 ? sums[c].map { $0 / Double(counts[c]) } : centers[c] }
                let shift = zip(moved, centers).reduce(0.0) { s, pair in s + zip(pair.0, pair.1).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } }
                centers = moved
                fit = KMeansFit(centers: centers, inertia: inertia, iterations: iteration)
                if shift <= 1e-12 || interrupted() { break }
            }
            fit.inertia = rows.reduce(0) { $0 + fit.nearest($1).1 }
            if best == nil || fit.inertia < best!.inertia { best = fit }
            if interrupted() { break }
        }
        return best!
    }

    /// k-means++: each next start is drawn with probability proportional to its squared distance.
    static func plusPlus(_ rows: [[Double]], _ k: Int, _ rng: inout SeededRandom) -> [[Double]] {
        var centers = [rows[Int(rng.next() % UInt64(rows.count))]]
        var d2 = rows.map { p in zip(p, centers[0]).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } }
        while centers.count < k {
            let total = d2.reduce(0, +)
            var pick = 0
            if total > 0 {
                var u = Double(rng.next() >> 11) / Double(1 << 53) * total
                for (i, d) in d2.enumerated() { u -= d; if u <= 0 { pick = i; break } }
            } else {
                pick = Int(rng.next() % UInt64(rows.count))
            }
            centers.append(rows[pick])
            for (i, p) in rows.enumerated() {
                d2[i] = min(d2[i], zip(p, rows[pick]).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) })
            }
        }
        return centers
    }
}
