import MLRender

/// `tail [DS] [N] [cols=[...]]`
struct TailCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "tail", stage: .data,
        abstract: "Show the last rows of a dataset",
        parameters: [
            Parameter("DS", .dataset, "the dataset (default: the current one)", optional: true),
            Parameter("N", .integer, "how many rows (default: 10)", optional: true),
        ],
        options: [ShowCommand.colsOption],
        examples: [Example("load \"tutorials/data/penguins.csv\""), Example("tail penguins 3"), Example("tail penguins 2 cols=[species, body_mass_g]")])

    static func run(_ call: CommandCall, in session: Session) throws {
        let d = try call.dataset(session)
        let n = try call.integer("N") ?? 10
        guard n >= 0 else { throw call.error(at: "N", "'tail' takes a number of rows ≥ 0") }
        let frame = try ShowCommand.chosenColumns(call, d)
        let total = frame.rowCount
        let rows = min(n, total)
        var table = TextTable(frame: frame.take(Array((total - rows)..<total)), maxRows: rows)
        table.totalRows = total
        session.printTable(table)
    }
}
