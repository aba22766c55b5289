import MLPrep
import MLRender
import MLDiagnostics

/// `recipe [DS]`
struct RecipeCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "recipe", stage: .clean,
        abstract: "Show the steps that made a dataset from its file, with what each learned",
        discussion: """
            Row steps (where, clean missing/duplicates/outliers drop, sample, sort) curate the training
            rows and never run on new rows. Column steps (fill, clip, encode, scale, normalize, cast,
            derive, select, drop, rename) are fitted on the rows they saw and run again on every new
            row: when a model is fitted they become its preprocessing, re-fitted on the training rows.
            """,
        parameters: [Parameter("DS", .dataset, "the dataset (default: the current one)", optional: true)],
        examples: [
            Example("load \"tutorials/data/airquality.csv\""),
            Example("fill airquality Ozone median"),
            Example("recipe airquality"),
        ])

    static func run(_ call: CommandCall, in session: Session) throws {
        let d = try call.dataset(session)
        let entries = d.recipe.entries
        if let made = d.summaryOf, entries.isEmpty {
            session.print("\(d.name) is a table made by '\(made)', not by steps from a file; steps applied to it since: none")
            return
        }
        session.print("\(d.name): from \(d.source.path) (\(plural(d.loaded.rowCount, "row"))) to \(plural(d.frame.rowCount, "row")) × \(plural(d.frame.columns.count, "column"))")
        guard !entries.isEmpty else {
            session.print("no steps yet: the dataset is as loaded")
            return
        }
        var table = TextTable(columns: [
            .init(header: "#", alignment: .right, cells: entries.indices.map { String($0 + 1) }),
            .init(header: "kind", alignment: .left, cells: entries.map { $0.step.isRowStep ? "row" : "column" }),
            .init(header: "step", alignment: .left, cells: entries.map { $0.command }),
            .init(header: "learned", alignment: .left, cells: entries.map { Recipe.describe($0.state, of: $0.step) }),
        ])
        table.footer = "\(plural(entries.filter { $0.step.isRowStep }.count, "row step")), \(plural(entries.filter { !$0.step.isRowStep }.count, "column step"))"
        session.printTable(table)
    }
}

/// `undo [DS]`
struct UndoCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "undo", stage: .clean,
        abstract: "Go back one version of a dataset (again and again, to the loaded file)",
        parameters: [Parameter("DS", .dataset, "the dataset (default: the current one)", optional: true)],
        examples: [
            Example("load \"tutorials/data/penguins.csv\""),
            Example("clean penguins missing drop"),
            Example("undo penguins"),
        ])

    static func run(_ call: CommandCall, in session: Session) throws {
        let d = try call.dataset(session)
        let undone = d.versions.last!.step
        guard d.undo() else {
            throw call.error("\(d.name) is as loaded: there is nothing to undo", hint: "'recipe \(d.name)' lists its steps")
        }
        session.makeCurrent(d)
        session.print("\(d.name): undid \(undone) — back to \(plural(d.frame.rowCount, "row")) × \(plural(d.frame.columns.count, "column"))")
    }
}
