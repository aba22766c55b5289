import MLDiagnostics
import MLFrame

/// A dataset's recipe: the ordered steps that made it from its source, each with its fitted state.
///
/// The contract the model and serving layers rely on: a recipe can be (1) re-fitted on any subset
/// of the source rows, and (2) applied to new raw rows with the same input columns, one or many,
/// missing values and unseen categories included, giving the columns the model was trained on.
public struct Recipe: Codable, Sendable {
    public struct Entry: Codable, Sendable {
        public var step: RecipeStep
        public var state: FittedState
        /// The command that made it, as written.
        public var command: String
        /// The source rows (by their number in the loaded file) the state was learned from;
        /// kept in the session for the leakage check, not written to files.
        public var fittedOn: [Int]?

        public init(step: RecipeStep, state: FittedState, command: String, fittedOn: [Int]?) {
            self.step = step
            self.state = state
            self.command = command
            self.fittedOn = fittedOn
        }

        enum CodingKeys: String, CodingKey { case step, state, command }
    }

    public var entries: [Entry]

    public init(entries: [Entry] = []) { self.entries = entries }

    /// The steps replayed on the source rows `rows` (numbers in the loaded frame): row steps
    /// filter them, column steps are fitted anew on the rows that reach them. Returns the
    /// re-fitted recipe, the resulting frame and the source rows it holds.
    public func refit(source: Frame, rows: [Int], engine: ExpressionEngine?) throws -> (Recipe, Frame, [Int]) {
        // All the rows in order (a fresh load): no copy of every column.
        let everyRow = rows.count == source.rowCount && rows.indices.allSatisfy { rows[$0] == $0 }
        var frame = everyRow ? source : source.take(rows)
        var ids = rows
        var fitted: [Entry] = []
        for e in entries {
            var step = e.step
            if case .derive(let name, let source) = step, let engine {
                step = .derive(name: name, expression: try engine.bindingSessionValues(source, in: frame))
            }
            let result = try StepRunner.run(step, on: frame, engine: engine)
            if let kept = result.kept { ids = kept.map { ids[$0] } }
            fitted.append(Entry(step: step, state: result.state, command: e.command, fittedOn: e.step.learnsFromRows ? ids : nil))
            frame = result.frame
        }
        return (Recipe(entries: fitted), frame, ids)
    }

    /// The fitted column steps applied, in order, to new rows (row steps do not run on new rows).
    public func apply(_ frame: Frame, engine: ExpressionEngine?) throws -> Frame {
        var f = frame
        for e in entries where !e.step.isRowStep {
            f = try StepRunner.apply(e.step, state: e.state, to: f, engine: engine)
        }
        return f
    }

    /// The steps that learned from any of these source rows: applied before a split that puts
    /// those rows on the test side, they leak what the test rows hold into training.
    public func leaks(into testRows: Set<Int>) -> [Entry] {
        leaks { testRows.contains($0) }
    }

    /// The same, with the test side as a test on a source row's number.
    public func leaks(where isTestRow: (Int) -> Bool) -> [Entry] {
        entries.filter { e in e.step.learnsFromRows && !e.step.isRowStep && (e.fittedOn?.contains(where: isTestRow) ?? false) }
    }

    /// A short description of a fitted state, for `recipe`.
    public static func describe(_ state: FittedState, of step: RecipeStep) -> String {
        switch state {
        case .none: return ""
        case .fillValues(let values):
            if case .fill(let columns, _) = step {
                return zip(columns, values).map { "\($0)=\($1.display)" }.joined(separator: ", ")
            }
            return values.map(\.display).joined(separator: ", ")
        case .bounds(let low, let high): return "[\(NumberText.compact(low)), \(NumberText.compact(high))]"
        case .categories(let cats): return cats.map { "[" + $0.prefix(6).joined(separator: ", ") + ($0.count > 6 ? ", …" : "") + "]" }.joined(separator: " ")
        case .order(let order): return order.prefix(8).joined(separator: " < ") + (order.count > 8 ? " < …" : "")
        case .affine(let centers, let scales):
            guard case .scale(let columns, _) = step else { return "" }
            return zip(columns, zip(centers, scales)).prefix(3).map { "\($0): \(NumberText.compact($1.0))/\(NumberText.compact($1.1))" }.joined(separator: ", ")
                + (columns.count > 3 ? ", …" : "")
        case .knn(let k, let features, let donors): return "k=\(k) over \(features.count) columns, \(donors.count) rows"
        case .linear(let features, let intercept, let coefficients, _):
            return "\(NumberText.compact(intercept)) " + zip(features, coefficients).prefix(3).map { ($1 < 0 ? "− " : "+ ") + "\(NumberText.compact(abs($1)))·\($0)" }.joined(separator: " ")
                + (features.count > 3 ? " + …" : "")
        }
    }
}

extension Recipe {
    /// Whether every fitted state fits its step (counts of columns, values, categories), so that
    /// applying the recipe cannot index past an array. A recipe read from a file is checked with
    /// this before it is used; one made in the session always passes.
    public func statesFitSteps() -> String? {
        for (i, e) in entries.enumerated() where !e.step.isRowStep {
            let at = "recipe step \(i + 1) (\(e.command))"
            switch (e.step, e.state) {
            case (.fill(let columns, _), .fillValues(let values)):
                if values.count != columns.count { return "\(at) has \(values.count) fill values for \(columns.count) columns" }
            case (.fill(let columns, _), .knn(let k, let features, let donors)):
                if k < 1 || donors.contains(where: { $0.count != features.count }) || columns.isEmpty { return "\(at) has donor rows of the wrong width" }
            case (.fill(let columns, _), .linear(let features, _, let coefficients, let means)):
                if columns.count != 1 || coefficients.count != features.count || means.count != features.count { return "\(at) has a fill model of the wrong size" }
            case (.oneHot(let columns, _, _, _), .categories(let categories)):
                if categories.count != columns.count { return "\(at) has categories for \(categories.count) of \(columns.count) columns" }
            case (.scale(let columns, _), .affine(let centers, let scales)):
                if centers.count != columns.count || scales.count != columns.count { return "\(at) has \(centers.count) centres and \(scales.count) scales for \(columns.count) columns" }
            case (.clip, .bounds), (.ordinal, .order): break
            case (_, .none): if e.step.learnsFromRows, !(e.step.isRowStep) { return "\(at) has no fitted state" }
            default: return "\(at) has a fitted state of another kind of step"
            }
        }
        return nil
    }
}
