import MLDiagnostics
import MLFrame
import MLLanguage
import MLPrep

extension CommandCall {
    /// Runs a recipe step and prints what it did, one line per note.
    func runStep(_ step: RecipeStep, on d: Dataset, in session: Session) throws {
        let (result, stepResult) = try apply(step, to: d, in: session)
        for note in stepResult.notes {
            if note.hasPrefix("note: ") { session.print(note) } else { session.print("\(result.name): \(note)") }
        }
    }

    /// Column names from a parameter (names or a list), or `all` of a kind when none are given.
    func columnsOrAll(_ parameter: String, in d: Dataset, where keep: (Column) -> Bool, kind: String) throws -> [String] {
        let given = try columnNames(exprs(parameter), in: d)
        if !given.isEmpty { return given }
        let all = d.frame.columns.filter(keep).map(\.name)
        if all.isEmpty { throw error("\(d.name) has no \(kind) columns", hint: "name the columns") }
        return all
    }

    /// A number option, checked to be in a range.
    func number(_ name: String, default value: Double, in range: ClosedRange<Double>) throws -> Double {
        guard let v = try number(name) else { return value }
        guard range.contains(v) else {
            throw error(at: name, "\(name)= takes a number from \(Value.formatNumber(range.lowerBound)) to \(Value.formatNumber(range.upperBound)), got \(Value.formatNumber(v))")
        }
        return v
    }
}
