import MLFrame
import MLModel
import MLRender
#if canImport(Glibc)
import Glibc
#endif

/// Data drift as Evidently's default preset measures it (evidently 0.7; the rules and their
/// sources are in scripts/expected/EVIDENTLY_NOTES.md), with PSI over the reference's deciles
/// beside it.
public enum Drift {
    public enum Kind: String, Codable, Sendable { case numeric = "num", categorical = "cat" }

    public enum Test: String, Codable, Sendable {
        case ks, chisquare, z, wasserstein, jensenshannon
        public var isPValue: Bool { self == .ks || self == .chisquare || self == .z }
        /// As Evidently names the score.
        public var title: String {
            switch self {
            case .ks: "K-S p-value"
            case .chisquare: "chi-square p-value"
            case .z: "Z-test p-value"
            case .wasserstein: "Wasserstein (normed)"
            case .jensenshannon: "Jensen-Shannon"
            }
        }
    }

    /// The share of drifting columns at which the dataset drifts.
    public static let driftShare = 0.5

    /// The type Evidently gives a column (from the current rows): floats numeric; whole numbers
    /// categorical when they have at most 10 distinct values; texts categorical.
    public static func kind(of current: DriftColumn) -> Kind {
        switch current.values {
        case .texts: return .categorical
        case .numbers(let v):
            // An integer column with a missing value is read by pandas as floats: numeric.
            guard current.isInteger, current.missing == 0 else { return .numeric }
            return Set(v).count <= 10 ? .categorical : .numeric
        }
    }

    /// Evidently's choice of test: by the reference's row count, the type and the distinct values
    /// of both sides together.
    public static func test(reference: DriftColumn, current: DriftColumn, kind: Kind) -> Test {
        let union = Set(reference.keys).union(current.keys).count
        let distinct = max(union, reference.summarized?.distinct ?? 0)
        if reference.count <= 1000 {
            if kind == .numeric && distinct > 5 { return .ks }
            return distinct > 2 ? .chisquare : .z
        }
        return kind == .numeric && distinct > 5 ? .wasserstein : .jensenshannon
    }

    /// One column: its test, score and decision, and PSI.
    public static func column(reference: DriftColumn, current: DriftColumn) -> ColumnDrift? {
        guard reference.count > 0, current.count > 0 else { return nil }
        let kind = kind(of: current)
        let test = test(reference: reference, current: current, kind: kind)
        let score: Double
        switch test {
        case .ks:
            guard case .numbers(let r) = reference.values, case .numbers(let c) = current.values else { return nil }
            score = KolmogorovSmirnov.test(r, c).pValue
        case .wasserstein:
            guard case .numbers(let r) = reference.values, case .numbers(let c) = current.values else { return nil }
            let std = reference.summarized?.std ?? Statistics.populationStd(r)
            score = Distance.wasserstein(r, c) / max(std, 0.001)
        case .chisquare: score = chiSquare(reference, current)
        case .z: score = zTest(reference, current)
        case .jensenshannon:
            let (r, c) = binned(reference, current, kind: kind)
            score = Distance.jensenShannon(r, c)
        }
        let threshold = test.isPValue ? 0.05 : 0.1
        let drifted = test == .ks ? score <= threshold : test.isPValue ? score < threshold : score >= threshold
        let (r, c) = decileShares(reference, current, kind: kind)
        let psi = populationStability(r, c)
        return ColumnDrift(column: current.name, kind: kind, test: test, score: score, threshold: threshold, drifted: drifted,
                           psi: psi, referenceCount: reference.count, currentCount: current.count)
    }

    /// Every column both sides have, then the dataset's verdict.
    public static func report(reference: [DriftColumn], current: [DriftColumn]) -> DriftReport {
        var columns: [ColumnDrift] = []
        for c in current {
            guard let r = reference.first(where: { $0.name == c.name }), let d = column(reference: r, current: c) else { continue }
            columns.append(d)
        }
        return DriftReport(columns: columns)
    }

    static func tally(_ keys: [DriftKey]) -> [DriftKey: Int] {
        var t: [DriftKey: Int] = [:]
        for k in keys { t[k, default: 0] += 1 }
        return t
    }

    /// Pearson's chi-square of the current counts against the reference's shares scaled to the
    /// current rows, over the categories of both.
    static func chiSquare(_ reference: DriftColumn, _ current: DriftColumn) -> Double {
        let r = tally(reference.keys), c = tally(current.keys)
        let keys = Set(r.keys).union(c.keys).sorted()
        let scale = Double(current.keys.count) / Double(reference.keys.count)
        var stat = 0.0
        for k in keys {
            let expected = Double(r[k] ?? 0) * scale, observed = Double(c[k] ?? 0)
            stat += expected == 0 ? .infinity : (observed - expected) * (observed - expected) / expected
        }
        guard stat.isFinite else { return 0 }
        return Tail.chiSquare(stat, df: Double(keys.count - 1))
    }

    /// The two-proportion Z-test, "positive" being any value but the smallest; two-sided, as
    /// Evidently computes it: 2·(1 − Φ(|z|)).
    static func zTest(_ reference: DriftColumn, _ current: DriftColumn) -> Double {
        let rk = reference.keys, ck = current.keys
        let r = Set(rk), c = Set(ck)
        if r.count == 1 && c.count == 1 && r == c { return 1 }
        guard let smallest = r.union(c).min() else { return 1 }
        let n1 = Double(rk.count), n2 = Double(ck.count)
        let p1 = Double(rk.filter { $0 != smallest }.count) / n1
        let p2 = Double(ck.filter { $0 != smallest }.count) / n2
        let p = (p1 * n1 + p2 * n2) / (n1 + n2)
        let z = (p1 - p2) / (p * (1 - p) * (1.0 / n1 + 1.0 / n2)).squareRoot()
        return 2 * (1 - Tail.normalCDF(abs(z)))
    }

    /// The shares of each side in the same bins: Sturges' histogram of both sides together for a
    /// numeric column whose reference has more than 20 distinct values, else one bin per value.
    static func binned(_ reference: DriftColumn, _ current: DriftColumn, kind: Kind) -> ([Double], [Double]) {
        if kind == .numeric, reference.distinct > 20,
           case .numbers(let r) = reference.values, case .numbers(let c) = current.values {
            let edges = sturgesEdges(r + c, integer: reference.isInteger && current.isInteger && reference.missing == 0 && current.missing == 0)
            return (histogram(r, edges).map { Double($0) / Double(r.count) }, histogram(c, edges).map { Double($0) / Double(c.count) })
        }
        return categoryShares(reference, current)
    }

    /// The shares of each side in the reference's 10 quantile bins (equal edges merged; values
    /// outside them in the end bins) for a numeric column; one bin per value for a categorical one.
    static func decileShares(_ reference: DriftColumn, _ current: DriftColumn, kind: Kind) -> ([Double], [Double]) {
        guard kind == .numeric, case .numbers(let r) = reference.values, case .numbers(let c) = current.values else {
            return categoryShares(reference, current)
        }
        let (edges, counts) = reference.deciles ?? {
            let p = ColumnProfile.numeric(reference.name, r, missing: 0)
            return (p.edges ?? [], p.counts ?? [])
        }()
        guard edges.count >= 2 else { return categoryShares(reference, current) }
        let rn = Double(counts.reduce(0, +)), cn = Double(c.count)
        return (counts.map { Double($0) / rn }, ColumnProfile.binCounts(c, edges: edges).map { Double($0) / cn })
    }

    /// The bins PSI reads, labelled, with each side's share: for plotting one column's drift.
    public static func bins(reference: DriftColumn, current: DriftColumn) -> (labels: [String], reference: [Double], current: [Double]) {
        let kind = kind(of: current)
        let (r, c) = decileShares(reference, current, kind: kind)
        if kind == .numeric, case .numbers(let values) = reference.values {
            let edges = reference.deciles?.edges ?? ColumnProfile.numeric(reference.name, values, missing: 0).edges ?? []
            if edges.count == r.count + 1 {
                let labels = (0..<r.count).map { k in "\(NumberFormat.compact(edges[k]))…\(NumberFormat.compact(edges[k + 1]))" }
                return (labels, r, c)
            }
        }
        let keys = Set(reference.keys).union(current.keys).sorted()
        return (keys.map { k in
            switch k {
            case .number(let d): return NumberFormat.compact(d)
            case .text(let t): return t
            }
        }, r, c)
    }

    /// One bin per value of either side.
    static func categoryShares(_ reference: DriftColumn, _ current: DriftColumn) -> ([Double], [Double]) {
        let r = tally(reference.keys), c = tally(current.keys)
        let keys = Set(r.keys).union(c.keys).sorted()
        let nr = Double(reference.keys.count), nc = Double(current.keys.count)
        return (keys.map { Double(r[$0] ?? 0) / nr }, keys.map { Double(c[$0] ?? 0) / nc })
    }

    /// numpy's `histogram_bin_edges(values, bins="sturges")`.
    static func sturgesEdges(_ values: [Double], integer: Bool) -> [Double] {
        guard var lo = values.min(), var hi = values.max() else { return [0, 1] }
        if lo == hi { lo -= 0.5; hi += 0.5 }
        var width = (hi - lo) / (log2(Double(values.count)) + 1)
        if integer && width < 1 { width = 1 }
        let bins = width > 0 ? Int(((hi - lo) / width).rounded(.up)) : 1
        let step = (hi - lo) / Double(bins)
        var edges = (0...bins).map { Double($0) * step + lo }
        edges[bins] = hi
        return edges
    }

    /// Counts in [e_i, e_i+1), the last bin closed (numpy's histogram with given edges).
    static func histogram(_ values: [Double], _ edges: [Double]) -> [Int] {
        var counts = [Int](repeating: 0, count: edges.count - 1)
        guard let first = edges.first, let last = edges.last else { return counts }
        for x in values where x >= first && x <= last {
            var lo = 0, hi = edges.count
            while lo < hi { let mid = (lo + hi) / 2; if edges[mid] <= x { lo = mid + 1 } else { hi = mid } }
            counts[min(counts.count - 1, lo - 1)] += 1
        }
        return counts
    }

    /// PSI = Σ (r − c)·ln(r/c) over shares of the same bins, an empty share replaced by 0.0001 (or by the side's smallest
    /// share / 10⁶ when that is not above 0.0001), as Evidently fills them.
    public static func populationStability(_ reference: [Double], _ current: [Double]) -> Double {
        func filled(_ p: [Double]) -> [Double] {
            guard let smallest = p.filter({ $0 != 0 }).min() else { return p }
            let fill = smallest <= 0.0001 ? smallest / 1e6 : 0.0001
            return p.map { $0 == 0 ? fill : $0 }
        }
        let r = filled(reference), c = filled(current)
        var sum = 0.0
        for k in r.indices { sum += (r[k] - c[k]) * log(r[k] / c[k]) }
        return sum
    }
}

/// One column's drift: the test Evidently would pick, its score and decision, and PSI.
public struct ColumnDrift: Codable, Sendable, Equatable {
    public var column: String
    public var kind: Drift.Kind
    public var test: Drift.Test
    public var score: Double
    public var threshold: Double
    public var drifted: Bool
    public var psi: Double
    public var referenceCount: Int
    public var currentCount: Int

    public init(column: String, kind: Drift.Kind, test: Drift.Test, score: Double, threshold: Double, drifted: Bool,
                psi: Double, referenceCount: Int, currentCount: Int) {
        self.column = column; self.kind = kind; self.test = test; self.score = score; self.threshold = threshold
        self.drifted = drifted; self.psi = psi; self.referenceCount = referenceCount; self.currentCount = currentCount
    }

    /// PSI's usual reading: below 0.1 stable, up to 0.25 watch, above that act.
    public var psiStatus: String { psi < 0.1 ? "stable" : psi <= 0.25 ? "watch" : "act" }
}

public struct DriftReport: Codable, Sendable, Equatable {
    public var columns: [ColumnDrift]

    public init(columns: [ColumnDrift]) { self.columns = columns }

    public var drifted: Int { columns.filter(\.drifted).count }
    public var share: Double { columns.isEmpty ? 0 : Double(drifted) / Double(columns.count) }
    public var datasetDrift: Bool { !columns.isEmpty && share >= Drift.driftShare }
    public var largestPSI: Double? { columns.map(\.psi).max() }
}
