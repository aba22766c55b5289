import MLDiagnostics
import MLFrame

/// `fill … knn k=5`: each missing cell gets the mean of that column over the k nearest rows that
/// have it, by scikit-learn's KNNImputer rules: distance over the numeric columns both rows have,
/// scaled up for the ones missing (nan_euclidean); rows with no shared column are not neighbours;
/// when no row qualifies the column's mean is used.
enum KNNFill {
    static func run(_ frame: Frame, _ columns: [String], k: Int, shouldStop: () -> Bool = { false }) throws -> StepResult {
        guard k >= 1 else { throw Diagnostic(.prepError, .error, "k= must be at least 1") }
        for c in columns { _ = try Columns.numeric(c, in: frame, step: "fill knn") }
        let features = frame.columns.filter { $0.type.isNumeric || $0.type == .bool }.map(\.name)
        let donors = (0..<frame.rowCount).map { r in features.map { frame.column($0)!.double(r) } }
        for c in columns where frame.column(c)!.missingCount == frame.rowCount {
            throw Diagnostic(.prepError, .error, "'\(c)' has no values at all, so no row can lend it one", hint: "fill it with value=…")
        }
        let filled = try apply(frame, columns, k: k, features: features, donors: donors, shouldStop: shouldStop)
        // With fewer rows that have the value than k, every one of them is a neighbour: say so.
        let notes = columns.map { name -> String in
            let missing = frame.column(name)!.missingCount
            return "filled \(plural(missing, "missing cell")) in \(name) from the \(min(k, frame.rowCount - missing)) nearest rows (on \(plural(features.count, "numeric column")))"
        }
        return StepResult(frame: filled, state: .knn(k: k, features: features, donors: donors), notes: notes)
    }

    static func apply(_ frame: Frame, _ columns: [String], k: Int, features: [String], donors: [[Double?]],
                      shouldStop: () -> Bool = { false }) throws -> Frame {
        try Columns.require(features + columns, in: frame)
        let rows = (0..<frame.rowCount).map { r in features.map { frame.column($0)!.double(r) } }
        var f = frame
        for name in columns {
            guard let target = features.firstIndex(of: name) else { continue }
            let c = frame.column(name)!
            guard c.missingCount > 0 else { continue }
            let donorRows = donors.indices.filter { donors[$0][target] != nil }
            let mean = donorRows.reduce(0.0) { $0 + donors[$1][target]! } / Double(max(1, donorRows.count))
            var values = Columns.doubles(c)
            for r in 0..<frame.rowCount where !c.isValid(r) {
                // Each missing cell reads every donor row: a large fill can take minutes.
                if shouldStop() {
                    throw Diagnostic(Diagnostic.ID("interrupted"), .error, "interrupted: nothing was filled")
                }
                var scored: [(Double, Int)] = []
                for d in donorRows {
                    if let dist = distance(rows[r], donors[d]) { scored.append((dist, d)) }
                }
                guard !scored.isEmpty else { values[r] = mean; continue }
                scored.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
                let nearest = scored.prefix(k)
                values[r] = nearest.reduce(0.0) { $0 + donors[$1.1][target]! } / Double(nearest.count)
            }
            f.setColumn(Columns.float(name, values))
        }
        return f
    }

    /// scikit-learn's nan_euclidean distance: over the coordinates both rows have, scaled by
    /// (number of coordinates / number present); nil when they share none.
    static func distance(_ a: [Double?], _ b: [Double?]) -> Double? {
        var sum = 0.0, present = 0
        for (x, y) in zip(a, b) {
            if let x, let y { let d = x - y; sum += d * d; present += 1 }
        }
        guard present > 0 else { return nil }
        return (Double(a.count) / Double(present) * sum).squareRoot()
    }
}
