import MLPrep

extension Model {
    /// The raw inputs the model's answers depend on: the columns its features come from, traced
    /// back through the recipe's column steps (a one-hot column to the column it encodes, a
    /// derived column to the names its expression reads, a renamed column to its old name). The
    /// target, and columns no step and no feature reads, are left out. Conservative where a step
    /// reads more than it names: `fill … knn` and `fill … model` use every column.
    public var usedInputs: [InputColumn] {
        var needed = Set(features)
        for entry in recipe.entries.reversed() where !entry.step.isRowStep {
            switch entry.step {
            case .fill(let columns, let how):
                if case .knn = how, !needed.isDisjoint(with: columns) { return inputs.filter { $0.name != target } }
                if case .model = how, !needed.isDisjoint(with: columns) { return inputs.filter { $0.name != target } }
            case .oneHot(let columns, _, _, _):
                for c in columns where needed.contains(where: { $0 == c || $0.hasPrefix(c + "_") }) { needed.insert(c) }
            case .normalize(let columns, _):
                // Each row is scaled by its norm over all of them.
                if !needed.isDisjoint(with: columns) { needed.formUnion(columns) }
            case .derive(let name, let expression):
                if needed.contains(name) {
                    needed.remove(name)
                    needed.formUnion(Self.names(in: expression))
                }
            case .rename(let pairs):
                // The pairs ran in order, so they are undone in reverse (rename a=b b=c).
                for p in pairs.reversed() where needed.contains(p.new) {
                    needed.remove(p.new)
                    needed.insert(p.old)
                }
            case .clip, .ordinal, .scale, .cast, .select, .drop:
                break  // a column from itself
            default:
                break
            }
        }
        return inputs.filter { needed.contains($0.name) && $0.name != target }
    }

    /// The raw inputs the model does not use (for a note), the target first when it is one.
    public var unusedInputs: [InputColumn] {
        let used = Set(usedInputs.map(\.name))
        return inputs.filter { !used.contains($0.name) }
    }

    /// The words an expression's text could name columns with: identifiers (dots allowed, as in
    /// `Sepal.Width`) and `backtick names`. Function names come along and match no column.
    static func names(in expression: String) -> Set<String> {
        var out = Set<String>()
        var current = ""
        var inBackticks = false
        var inString: Character? = nil
        for ch in expression {
            if let q = inString {
                if ch == q { inString = nil }
                continue
            }
            if inBackticks {
                if ch == "`" { out.insert(current); current = ""; inBackticks = false } else { current.append(ch) }
                continue
            }
            if ch == "`" { inBackticks = true; current = ""; continue }
            if ch == "\"" || ch == "'" { inString = ch; continue }
            if ch.isLetter || ch == "_" || (!current.isEmpty && (ch.isNumber || ch == ".")) {
                current.append(ch)
            } else {
                if !current.isEmpty { out.insert(current) }
                current = ""
            }
        }
        if !current.isEmpty && !inBackticks { out.insert(current) }
        return out
    }
}
