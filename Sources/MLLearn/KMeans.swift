import CLapack
import Dispatch
#if canImport(Glibc)
import Glibc
#endif
import MLFrame

/// k-means: greedy k-means++ starts, Lloyd's iterations to a fixed point, the best of n_init runs by inertia.
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
    /// Rows are cut into this many blocks for the assignment step, whatever the core count, so the
    /// sums add up in the same order on every machine and a seed gives the same model everywhere.
    static let blocks = 8

    public static func fit(_ x: Matrix, k: Int, nInit: Int, seed: UInt64, maxIterations: Int = 300,
                           interrupted: () -> Bool = { false }, onIteration: (Int, Double) -> Void = { _, _ in }) -> KMeansFit {
        var rng = SeededRandom(seed: seed)
        let n = x.rows, d = x.cols
        // Row-major copy: one point's coordinates next to each other, for the distance loops.
        var points = [Double](repeating: 0, count: n * d)
        for j in 0..<d { for r in 0..<n { points[r * d + j] = x.data[j * n + r] } }
        // Each start runs until its centers move less than scikit-learn's tolerance (1e-4 of the mean
        // feature variance); the best start then runs on to Lloyd's fixed point, which can only lower
        // its inertia. Cheap starts, a converged answer.
        var means = [Double](repeating: 0, count: d), variances = [Double](repeating: 0, count: d)
        for r in 0..<n { for j in 0..<d { means[j] += points[r * d + j] } }
        for j in 0..<d { means[j] /= Double(n) }
        for r in 0..<n { for j in 0..<d { let t = points[r * d + j] - means[j]; variances[j] += t * t } }
        let tolerance = 1e-4 * variances.reduce(0, +) / Double(n * d)
        var total = 0  // Lloyd steps over every start, for the progress line
        func run(_ start: [Double], _ labels: inout [Int], until converged: Bool) -> (centers: [Double], iterations: Int) {
            var centers = start
            var iterations = 0
            for iteration in 1...max(1, maxIterations) {
                iterations = iteration
                let step = lloydStep(points, n, d, centers, k, &labels)
                total += 1
                onIteration(total, step.inertia)
                var shift = 0.0
                for i in 0..<(k * d) { let t = step.centers[i] - centers[i]; shift += t * t }
                centers = step.centers
                if step.changed == 0 || shift == 0 || (!converged && shift <= tolerance) || interrupted() { break }
            }
            return (centers, iterations)
        }
        var best: (centers: [Double], labels: [Int], inertia: Double, iterations: Int)? = nil
        for _ in 0..<max(1, nInit) {
            var labels = [Int](repeating: -1, count: n)
            let (centers, iterations) = run(plusPlus(points, n, d, k, &rng), &labels, until: false)
            // The inertia of these centers (a step's figure belongs to the centers before its move).
            let inertia = lloydStep(points, n, d, centers, k, &labels).inertia
            if best == nil || inertia < best!.inertia { best = (centers, labels, inertia, iterations) }
            if interrupted() { break }
        }
        var labels = best!.labels
        let polished = interrupted() ? (best!.centers, 0) : run(best!.centers, &labels, until: true)
        let inertia = lloydStep(points, n, d, polished.0, k, &labels).inertia
        let centers = inertia <= best!.inertia ? polished.0 : best!.centers
        return KMeansFit(centers: (0..<k).map { Array(centers[($0 * d)..<(($0 + 1) * d)]) }, inertia: min(inertia, best!.inertia),
                         iterations: best!.iterations + polished.1)
    }

    /// Assigns every point to its nearest center (both cores), then moves each center to its points'
    /// mean; an empty cluster keeps its center. Returns the new centers, the inertia of the old ones,
    /// and how many labels changed.
    static func lloydStep(_ points: [Double], _ n: Int, _ d: Int, _ centers: [Double], _ k: Int, _ labels: inout [Int])
        -> (centers: [Double], inertia: Double, changed: Int) {
        let size = (n + blocks - 1) / blocks
        typealias Partial = (sums: [Double], counts: [Int], inertia: Double, changed: Int)
        final class Shared: @unchecked Sendable {  // workers read points and centers; each writes its own rows and slot
            let points: [Double], centers: [Double]
            let labels: UnsafeMutablePointer<Int>, partial: UnsafeMutablePointer<Partial>
            let n: Int, blocks: Int
            init(_ p: [Double], _ c: [Double], _ l: [Int], _ blocks: Int) {
                points = p; centers = c; n = l.count; self.blocks = blocks
                labels = .allocate(capacity: l.count)
                labels.initialize(from: l, count: l.count)
                partial = .allocate(capacity: blocks)
                partial.initialize(repeating: ([], [], 0, 0), count: blocks)
            }
            deinit {
                labels.deallocate()
                partial.deinitialize(count: blocks)
                partial.deallocate()
            }
        }
        let shared = Shared(points, centers, labels, blocks)
        let norms = (0..<k).map { q in (0..<d).reduce(0.0) { $0 + centers[q * d + $1] * centers[q * d + $1] } }
        DispatchQueue.concurrentPerform(iterations: blocks) { b in
            var sums = [Double](repeating: 0, count: k * d)
            var counts = [Int](repeating: 0, count: k)
            var inertia = 0.0, changed = 0
            let lab = shared.labels
            shared.points.withUnsafeBufferPointer { p in
                shared.centers.withUnsafeBufferPointer { c in
                    sums.withUnsafeMutableBufferPointer { sumBuffer in
                        // The nearest center from ‖c‖² − 2x·c, the dot products by BLAS over a tile of rows
                        // (as scikit-learn); the chosen center's distance is then computed exactly.
                        let sumBase = sumBuffer.baseAddress!, centerBase = c.baseAddress!
                        let tile = 256
                        var dots = [Double](repeating: 0, count: tile * k)
                        var start = b * size
                        let stop = min(n, (b + 1) * size)
                        while start < stop {
                            let rows = min(tile, stop - start)
                            let first = p.baseAddress! + start &* d
                            dots.withUnsafeMutableBufferPointer { out in
                                cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(k), Int32(d), 1,
                                            first, Int32(d), centerBase, Int32(d), 0, out.baseAddress, Int32(k))
                            }
                            for i in 0..<rows {
                                let r = start &+ i
                                let point = first + i &* d
                                var bestK = 0, best = Double.infinity
                                for q in 0..<k {
                                    let v = norms[q] - 2 * dots[i &* k &+ q]
                                    if v < best { best = v; bestK = q }
                                }
                                let center = centerBase + bestK &* d
                                let sum = sumBase + bestK &* d
                                var exact = 0.0, j = 0
                                while j < d { let t = point[j] - center[j]; exact += t * t; sum[j] += point[j]; j &+= 1 }
                                inertia += exact
                                counts[bestK] &+= 1
                                if lab[r] != bestK { changed &+= 1; lab[r] = bestK }
                            }
                            start += rows
                        }
                    }
                }
            }
            shared.partial[b] = (sums, counts, inertia, changed)
        }
        labels = Array(UnsafeBufferPointer(start: shared.labels, count: n))
        let partial = Array(UnsafeBufferPointer(start: shared.partial, count: blocks))
        var sums = [Double](repeating: 0, count: k * d)
        var counts = [Int](repeating: 0, count: k)
        var inertia = 0.0, changed = 0
        for part in partial where !part.sums.isEmpty {
            for i in 0..<(k * d) { sums[i] += part.sums[i] }
            for q in 0..<k { counts[q] += part.counts[q] }
            inertia += part.inertia
            changed += part.changed
        }
        var moved = centers
        for q in 0..<k where counts[q] > 0 {
            for j in 0..<d { moved[q * d + j] = sums[q * d + j] / Double(counts[q]) }
        }
        return (moved, inertia, changed)
    }

    /// Greedy k-means++ (scikit-learn's): each next start is the best, by the total squared distance
    /// it leaves, of 2 + ⌊ln k⌋ candidates drawn with probability proportional to squared distance.
    static func plusPlus(_ points: [Double], _ n: Int, _ d: Int, _ k: Int, _ rng: inout SeededRandom) -> [Double] {
        func dist(_ a: Int, _ b: Int) -> Double {
            var s = 0.0
            for j in 0..<d { let t = points[a * d + j] - points[b * d + j]; s += t * t }
            return s
        }
        func draw() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
        let trials = 2 + Int(log(Double(k)))
        var chosen = [Int(rng.next() % UInt64(n))]
        var d2 = (0..<n).map { dist($0, chosen[0]) }
        var potential = d2.reduce(0, +)
        while chosen.count < k {
            var bestCandidate = Int(rng.next() % UInt64(n)), bestPotential = Double.infinity, bestD2 = d2
            for _ in 0..<trials {
                var candidate = Int(rng.next() % UInt64(n))
                if potential > 0 {
                    var u = draw() * potential
                    for (i, v) in d2.enumerated() { u -= v; if u <= 0 { candidate = i; break } }
                }
                var next = d2
                var total = 0.0
                points.withUnsafeBufferPointer { p in
                    next.withUnsafeMutableBufferPointer { out in
                        let c = p.baseAddress! + candidate &* d
                        for i in 0..<n {
                            let x = p.baseAddress! + i &* d
                            var s = 0.0, j = 0
                            while j < d { let t = x[j] - c[j]; s += t * t; j &+= 1 }
                            if s < out[i] { out[i] = s }
                            total += out[i]
                        }
                    }
                }
                if total < bestPotential { bestPotential = total; bestCandidate = candidate; bestD2 = next }
            }
            chosen.append(bestCandidate)
            d2 = bestD2
            potential = bestPotential
        }
        return chosen.flatMap { Array(points[($0 * d)..<(($0 + 1) * d)]) }
    }
}
