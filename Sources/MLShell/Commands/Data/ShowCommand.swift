import MLFrame

/// `show [DS] [N|all] [cols=[...]]`
struct ShowCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "show", stage: .data,
        abstract: "Show a dataset as a table: all rows when they fit, else head and tail",
        discussion: "show MODEL prints a model's card: parameters, features, recipe and training metrics.",
        parameters: [
            Parameter("DS", .dataset, "the dataset (default: the current one)", optional: true),
            Parameter("N", .value, "how many rows to show at most, or 'all' (default: set maxrows)", optional: true),
        ],
        options: [colsOption],
        examples: [Example("load \"tutorials/data/penguins.csv\""), Example("show penguins 6"), Example("show 4 cols=[species, body_mass_g]")])

    static func run(_ call: CommandCall, in session: Session) throws {
        if let n = call.expr("DS")?.asName, let m = session.model(named: n.text) {
            ModelCard.show(m, session)
            return
        }
        let d = try call.dataset(session)
        session.printFrame(try chosenColumns(call, d), maxRows: try rowLimit(call, d.frame.rowCount))
    }

    /// `cols=[...]`, shared by show, head and tail: the dataset's frame with only those columns.
    static let colsOption = OptionSpec("cols", .value, "only these columns, e.g. cols=[species, island]", default: "all")

    static func chosenColumns(_ call: CommandCall, _ d: Dataset) throws -> Frame {
        guard let cols = call.expr("cols") else { return d.frame }
        return d.frame.selecting(try call.columnNames([cols], in: d))
    }

    /// N, or `all`, or the maxrows setting.
    static func rowLimit(_ call: CommandCall, _ rows: Int, parameter: String = "N") throws -> Int? {
        guard let e = call.expr(parameter) else { return nil }
        if e.asName?.text == "all" { return max(rows, 1) }
        guard let n = try call.integer(parameter), n >= 1 else {
            throw call.error(at: parameter, "'\(call.spec.name)' takes a number of rows ≥ 1, or 'all'")
        }
        return n
    }
}

import MLRender
