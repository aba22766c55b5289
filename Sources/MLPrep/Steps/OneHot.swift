import MLDiagnostics
import MLFrame

/// `encode onehot`: one true/false column per category (named COL_category), in place of the
/// column, as pandas' get_dummies makes them: a byte a row, where 0/1 numbers took eight (a
/// 50-level column on a million rows is 50 MB, not 400); models read true as 1.
/// Categories are learned from the fitted rows and sorted, as scikit-learn's OneHotEncoder; a
/// missing value is all false; an unseen category is all false (unknown=ignore) or an error.
enum OneHot {
    static func run(_ frame: Frame, _ columns: [String], dropFirst: Bool, unknown: UnknownPolicy, maxLevels: Int) throws -> StepResult {
        try Columns.require(columns, in: frame)
        var categories: [[String]] = []
        for name in columns {
            let c = frame.column(name)!
            var seen = Set<String>()
            if case .string(let codes, let dictionary) = c.storage {
                // The values in use, by their codes: no String made per row.
                var used = [Bool](repeating: false, count: dictionary.count)
                for i in 0..<c.count where c.isValid(i) { used[Int(codes[i])] = true }
                for (code, value) in dictionary.enumerated() where used[code] { seen.insert(value) }
            } else {
                for i in 0..<c.count { if let t = c.text(i) { seen.insert(t) } }
            }
            guard seen.count <= maxLevels else {
                throw Diagnostic(.prepError, .error, "'\(name)' has \(seen.count) distinct values, more than the \(maxLevels) one-hot columns allowed",
                                 hint: "raise the limit with max_levels=\(seen.count) if you mean it, or use encode ordinal")
            }
            guard !seen.isEmpty else { throw Diagnostic(.prepError, .error, "'\(name)' has no values to encode") }
            categories.append(c.type.isNumeric ? seen.sorted { (Double($0) ?? 0) < (Double($1) ?? 0) } : seen.sorted(by: OneHot.order))
        }
        let out = try apply(frame, columns, categories, dropFirst: dropFirst, unknown: unknown)
        let notes = zip(columns, categories).map { name, cats in
            let made = dropFirst ? Array(cats.dropFirst()) : cats
            return "\(name) → \(plural(made.count, "column")): " + made.prefix(8).map { "\(name)_\($0)" }.joined(separator: ", ") + (made.count > 8 ? ", …" : "")
                + (dropFirst ? " (first category \(cats[0]) dropped)" : "")
        }
        return StepResult(frame: out, state: .categories(categories), notes: notes)
    }

    /// Text by Unicode code points, as scikit-learn (numpy) sorts each column's values.
    static func order(_ a: String, _ b: String) -> Bool {
        a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars)
    }

    static func apply(_ frame: Frame, _ columns: [String], _ categories: [[String]], dropFirst: Bool, unknown: UnknownPolicy) throws -> Frame {
        try Columns.require(columns, in: frame)
        // A made name must not take one that is already there (a column `cat_a` beside `cat`).
        var taken = Set(frame.columnNames.filter { !columns.contains($0) })
        for (name, cats) in zip(columns, categories) {
            for (j, cat) in cats.enumerated() where !(dropFirst && j == 0) {
                let made = "\(name)_\(cat)"
                guard taken.insert(made).inserted else {
                    throw Diagnostic(.prepError, .error, "encoding '\(name)' makes a column '\(made)', but that name is already taken",
                                     hint: "rename the other column first: rename … \(made)=\(made)_orig")
                }
            }
        }
        var result: [Column] = []
        for c in frame.columns {
            guard let k = columns.firstIndex(of: c.name) else { result.append(c); continue }
            let cats = categories[k]
            let index = Dictionary(uniqueKeysWithValues: cats.enumerated().map { ($1, $0) })
            var hot = [Int32](repeating: -1, count: c.count)
            // A string column holds codes into its dictionary: look each distinct value up once,
            // not once per row (a million rows made a million Strings).
            var byCode: [Int?] = [], codes: [UInt32] = []
            if case .string(let stored, let dictionary) = c.storage { (codes, byCode) = (stored, dictionary.map { index[$0] }) }
            for i in 0..<c.count {
                if !codes.isEmpty, c.isValid(i), let j = byCode[Int(codes[i])] {
                    hot[i] = Int32(j)
                    continue
                }
                guard let t = c.text(i) else { continue }
                guard let j = index[t] else {
                    if unknown == .error {
                        throw Diagnostic(.prepError, .error, "'\(c.name)' has the value \(jsonString(t)) in row \(i + 1), which it did not have when fitted",
                                         hint: "the known values: " + cats.prefix(10).joined(separator: ", ") + "; encode with unknown=ignore to make it all false")
                    }
                    continue
                }
                hot[i] = Int32(j)
            }
            for (j, cat) in cats.enumerated() where !(dropFirst && j == 0) {
                let values = [Bool](unsafeUninitializedCapacity: hot.count) { out, initialized in
                    for (i, h) in hot.enumerated() { out[i] = h == Int32(j) }
                    initialized = hot.count
                }
                result.append(Column(name: "\(c.name)_\(cat)", storage: .bool(values)))
            }
        }
        return Frame(columns: result).withRowCount(frame.rowCount)
    }
}

extension Frame {
    /// The same columns, with the row count kept even when no column is left.
    func withRowCount(_ n: Int) -> Frame {
        if !columns.isEmpty { return self }
        return Frame(rowCount: n)
    }
}
