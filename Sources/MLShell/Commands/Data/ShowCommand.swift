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
        options: [OptionSpec("cols", .value, "only these columns, e.g. cols=[species, island]", default: "all")],
        examples: [Example("load \"tutorials/data/penguins.csv\""), Example("show penguins 6"), Example("show 4 cols=[species, body_mass_g]")])

    static func run(_ call: CommandCall, in session: Session) throws {
        if let n = call.expr("DS")?.asName, let m = session.model(named: n.text) {
            ModelCard.show(m, session)
            return
        }
        let d = try call.dataset(session)
        var frame = d.frame
        if let cols = call.expr("cols") {
            frame = frame.selecting(try call.columnNames([cols], in: d))
        }
        session.printFrame(frame, maxRows: try rowLimit(call, frame.rowCount))
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

/// `head [DS] [N]`
struct HeadCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "head", stage: .data,
        abstract: "Show the first rows of a dataset",
        parameters: [
            Parameter("DS", .dataset, "the dataset (default: the current one)", optional: true),
            Parameter("N", .integer, "how many rows (default: 10)", optional: true),
        ],
        examples: [Example("load \"tutorials/data/penguins.csv\""), Example("head penguins 3")])

    static func run(_ call: CommandCall, in session: Session) throws {
        let d = try call.dataset(session)
        let n = try call.integer("N") ?? 10
        guard n >= 0 else { throw call.error(at: "N", "'head' takes a number of rows ≥ 0") }
        let rows = min(n, d.frame.rowCount)
        var table = TextTable(frame: d.frame.take(Array(0..<rows)), maxRows: rows)
        table.totalRows = d.frame.rowCount
        session.printTable(table)
    }
}

/// `tail [DS] [N]`
struct TailCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "tail", stage: .data,
        abstract: "Show the last rows of a dataset",
        parameters: [
            Parameter("DS", .dataset, "the dataset (default: the current one)", optional: true),
            Parameter("N", .integer, "how many rows (default: 10)", optional: true),
        ],
        examples: [Example("load \"tutorials/data/penguins.csv\""), Example("tail penguins 3")])

    static func run(_ call: CommandCall, in session: Session) throws {
        let d = try call.dataset(session)
        let n = try call.integer("N") ?? 10
        guard n >= 0 else { throw call.error(at: "N", "'tail' takes a number of rows ≥ 0") }
        let total = d.frame.rowCount
        let rows = min(n, total)
        var table = TextTable(frame: d.frame.take(Array((total - rows)..<total)), maxRows: rows)
        table.totalRows = total
        session.printTable(table)
    }
}

import MLRender
