import MLModel
import MLPrep
import MLRender
import MLDiagnostics

/// `show MODEL`: what a model is, what it was fitted on, its preprocessing and its numbers.
enum ModelCard {
    static func show(_ m: Model, _ session: Session) {
        session.print("\(m.name): \(m.algorithm) \(m.formula) (\(m.task.rawValue))")
        if !m.parameters.isEmpty { session.print("  parameters: " + m.parameters.map { "\($0.name)=\($0.value)" }.joined(separator: " ")) }
        session.print("  fitted on \(m.trainedOn): \(plural(m.trainingRows, "row"))")
        list("inputs (raw)", m.usedInputs.map(\.name), session)
        let unused = m.unusedInputs.map { $0.name == m.target ? "\($0.name) (the target)" : $0.name }
        if !unused.isEmpty { list("not used", unused, session) }
        list("features", m.features, session)
        if let classes = m.classes { list("classes", classes, session) }
        let steps = m.recipe.entries.filter { !$0.step.isRowStep }
        if steps.isEmpty {
            session.print("  preprocessing: none")
        } else {
            session.print("  preprocessing (fitted on the training rows, run on every new row):")
            var t = TextTable(columns: [
                .init(header: "step", alignment: .left, cells: steps.map(\.command)),
                .init(header: "learned", alignment: .left, cells: steps.map { Recipe.describe($0.state, of: $0.step) }),
            ])
            t.footer = plural(steps.count, "step")
            session.printTable(t)
        }
        for line in m.metricLines { session.print(line) }
        // Drawn now, in the current table mode (set table csv gives every digit).
        for line in Report.coefficients(m, session) { session.print(line) }
    }

    /// `  label: a, b, c` wrapped to the terminal, continuation lines under the first item.
    static func list(_ label: String, _ items: [String], _ session: Session) {
        let indent = "  \(label): "
        let lines = LoadCommand.wrapList(items, width: max(20, session.width - indent.count - 1))
        for (k, line) in lines.enumerated() {
            session.print((k == 0 ? indent : String(repeating: " ", count: indent.count)) + line + (k < lines.count - 1 ? "," : ""))
        }
    }
}
