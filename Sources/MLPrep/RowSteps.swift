import MLDiagnostics
import MLFrame

/// The row steps that need no fitted state: drop missing, drop duplicates, sample.
enum RowSteps {
    static func dropMissing(_ frame: Frame, _ columns: [String]?) throws -> StepResult {
        let names = columns ?? frame.columnNames
        try Columns.require(names, in: frame)
        let cols = names.map { frame.column($0)! }
        let rows = (0..<frame.rowCount).filter { r in cols.allSatisfy { $0.isValid(r) } }
        let dropped = frame.rowCount - rows.count
        return StepResult(frame: frame.take(rows), kept: rows,
                          notes: ["dropped \(plural(dropped, "row")) with a missing value" + (columns.map { " in " + $0.joined(separator: ", ") } ?? "") + "; \(rows.count) left"])
    }

    static func dropDuplicates(_ frame: Frame, _ columns: [String]?) throws -> StepResult {
        let names = columns ?? frame.columnNames
        try Columns.require(names, in: frame)
        let cols = names.map { frame.column($0)! }
        var seen = Set<[CellKey]>()
        var rows: [Int] = []
        for r in 0..<frame.rowCount where seen.insert(cols.map { $0.cellKey(r) }).inserted { rows.append(r) }
        let dropped = frame.rowCount - rows.count
        return StepResult(frame: frame.take(rows), kept: rows,
                          notes: ["dropped \(plural(dropped, "duplicate row")) (the first of each kept)" + (columns.map { " by " + $0.joined(separator: ", ") } ?? "") + "; \(rows.count) left"])
    }

    static func sample(_ frame: Frame, _ size: Double, _ seed: UInt64) -> StepResult {
        let n = frame.rowCount
        let k = size < 1 ? Int((size * Double(n)).rounded()) : min(n, Int(size))
        var rng = SeededRandom(seed: seed)
        let rows = rng.sampleIndices(n, k)
        return StepResult(frame: frame.take(rows), kept: rows, notes: ["sampled \(k) of \(plural(n, "row")) (seed \(seed))"])
    }
}

func plural(_ n: Int, _ word: String) -> String { n == 1 ? "1 \(word)" : "\(n) \(word)s" }
