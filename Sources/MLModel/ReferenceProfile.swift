import MLFrame

/// What the training rows looked like, as numbers: the reference that drift is measured against.
/// Per raw input column, quantile bin edges and counts (numbers, dates, bools as 0/1) or category
/// frequencies (texts); and the same for the model's predictions on the training rows.
public struct ReferenceProfile: Codable, Sendable, Equatable {
    public var columns: [ColumnProfile]
    public var predictions: ColumnProfile

    public init(columns: [ColumnProfile], predictions: ColumnProfile) {
        self.columns = columns
        self.predictions = predictions
    }

    /// The number of quantile bins for a numeric column (deciles).
    public static let bins = 10
}

public struct ColumnProfile: Codable, Sendable, Equatable {
    public var name: String
    /// Rows seen, and how many of them were missing.
    public var count: Int
    public var missing: Int
    /// Numbers: `edges` (bins + 1 of them, from the minimum to the maximum; equal quantiles
    /// merged) and the rows in each bin [edges[i], edges[i+1]) (the last bin includes its top).
    public var edges: [Double]?
    public var counts: [Int]?
    /// Texts: each category with its number of rows, most frequent first (ties by text).
    public var categories: [String]?
    public var frequencies: [Int]?
    /// Numbers, for the drift tests that need values rather than bins: every present value
    /// (sorted) when there are at most `sampleSize`, else `sampleSize` evenly spaced order
    /// statistics; with the population std and the distinct count of all present values.
    /// (Absent from files written before they were kept: drift then reads the bins.)
    public var sample: [Double]?
    public var std: Double?
    public var distinct: Int?

    /// How many values a numeric column's `sample` keeps at most: Evidently's line between its
    /// tests for small references (exact values) and large ones.
    public static let sampleSize = 1000

    public init(name: String, count: Int, missing: Int, edges: [Double]? = nil, counts: [Int]? = nil,
                categories: [String]? = nil, frequencies: [Int]? = nil) {
        self.name = name
        self.count = count
        self.missing = missing
        self.edges = edges
        self.counts = counts
        self.categories = categories
        self.frequencies = frequencies
    }

    /// The profile of numbers: quantile edges (linear interpolation, as numpy's quantile) and counts.
    public static func numeric(_ name: String, _ values: [Double], missing: Int) -> ColumnProfile {
        let v = RadixSort.sorted(values.filter { $0.isFinite })
        guard let lo = v.first, let hi = v.last else { return ColumnProfile(name: name, count: values.count + missing, missing: missing + values.count, edges: [], counts: []) }
        var edges: [Double] = []
        for i in 0...ReferenceProfile.bins {
            let e = i == 0 ? lo : (i == ReferenceProfile.bins ? hi : Statistics.quantile(sorted: v, Double(i) / Double(ReferenceProfile.bins)))
            if edges.last != e { edges.append(e) }
        }
        if edges.count == 1 { edges.append(hi) }
        var profile = ColumnProfile(name: name, count: values.count + missing, missing: missing + (values.count - v.count),
                                    edges: edges, counts: binCounts(v, edges: edges))
        let n = v.count, k = sampleSize
        profile.sample = n <= k ? v : (0..<k).map { i in v[(2 * i + 1) * n / (2 * k)] }
        profile.std = Statistics.populationStd(v)
        var distinct = 1
        for i in 1..<n where v[i] != v[i - 1] { distinct += 1 }
        profile.distinct = distinct
        return profile
    }

    /// How many values fall in each bin of `edges` (values outside go to the end bins).
    public static func binCounts(_ values: [Double], edges: [Double]) -> [Int] {
        let bins = max(1, edges.count - 1)
        var counts = [Int](repeating: 0, count: bins)
        for x in values where x.isFinite {
            // The first edge above x, less one: the bin [e_i, e_{i+1}).
            var lo = 0, hi = edges.count
            while lo < hi { let mid = (lo + hi) / 2; if edges[mid] <= x { lo = mid + 1 } else { hi = mid } }
            counts[min(bins - 1, max(0, lo - 1))] += 1
        }
        return counts
    }

    /// The profile of texts: categories by frequency.
    public static func categorical(_ name: String, _ values: [String], missing: Int) -> ColumnProfile {
        var tally: [String: Int] = [:]
        for s in values { tally[s, default: 0] += 1 }
        let ordered = tally.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        return ColumnProfile(name: name, count: values.count + missing, missing: missing,
                             categories: ordered.map(\.key), frequencies: ordered.map(\.value))
    }

    /// A column's profile, by its type.
    public static func of(_ c: Column) -> ColumnProfile {
        let n = c.count
        if case .string = c.storage {
            var texts: [String] = []
            texts.reserveCapacity(n)
            for r in 0..<n { if let t = c.text(r), c.isValid(r) { texts.append(t) } }
            return categorical(c.name, texts, missing: c.missingCount)
        }
        var values: [Double] = []
        values.reserveCapacity(n)
        for r in 0..<n { if c.isValid(r), let d = c.double(r) { values.append(d) } }
        return numeric(c.name, values, missing: c.missingCount)
    }
}
