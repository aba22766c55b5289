/// One side (reference or current) of one column, as the drift tests read it: the present
/// values only (missing ones dropped, as Evidently drops them), numbers or texts.
public struct DriftColumn: Sendable {
    public enum Values: Sendable {
        case numbers([Double])
        case texts([String])
    }

    public var name: String
    public var values: Values
    public var missing: Int
    /// Whole numbers (an integer column): Evidently calls one with at most 10 distinct values
    /// categorical, and bins whole numbers at least 1 wide.
    public var isInteger: Bool
    /// When `values` stands for more rows than it holds (a model's reference keeps 1,000 order
    /// statistics of a larger column): those rows, their population std and their distinct count.
    public var summarized: Summary?
    /// A numeric reference's decile edges and the rows in each bin, when known for all its rows
    /// (a model's profile); else they are worked out from `values`.
    public var deciles: (edges: [Double], counts: [Int])?

    public struct Summary: Sendable {
        public var count: Int
        public var std: Double
        public var distinct: Int
        public init(count: Int, std: Double, distinct: Int) { self.count = count; self.std = std; self.distinct = distinct }
    }

    public init(name: String, values: Values, missing: Int = 0, isInteger: Bool = false, summarized: Summary? = nil) {
        self.name = name
        self.values = values
        self.missing = missing
        self.isInteger = isInteger
        self.summarized = summarized
    }

    /// Present values in all (the rows a summary stands for).
    public var count: Int {
        if let summarized { return summarized.count }
        switch values {
        case .numbers(let v): return v.count
        case .texts(let t): return t.count
        }
    }

    var keys: [DriftKey] {
        switch values {
        case .numbers(let v): return v.map { .number($0) }
        case .texts(let t): return t.map { .text($0) }
        }
    }

    var distinct: Int {
        if let summarized { return summarized.distinct }
        switch values {
        case .numbers(let v): return Set(v).count
        case .texts(let t): return Set(t).count
        }
    }
}

/// A value as a category: numbers sort as numbers, texts as texts (numbers first).
enum DriftKey: Hashable, Comparable {
    case number(Double)
    case text(String)

    static func < (a: DriftKey, b: DriftKey) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)): x < y
        case (.text(let x), .text(let y)): x < y
        case (.number, .text): true
        case (.text, .number): false
        }
    }
}
