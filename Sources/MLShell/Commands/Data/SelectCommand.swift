import MLPrep
import MLDiagnostics

/// `select [DS] COL, ... [as NAME]`
struct SelectCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "select", stage: .data,
        abstract: "Keep only some columns, in the order given",
        parameters: [
            Parameter("DS", .dataset, "the dataset (default: the current one)", optional: true),
            Parameter("COL", .value, "the columns to keep: names, or a list [a, b]", variadic: true),
        ],
        binds: ["NAME"],
        examples: [Example("load \"tutorials/data/penguins.csv\""), Example("select penguins species, bill_length_mm as bills")])

    static func run(_ call: CommandCall, in session: Session) throws {
        let d = try call.dataset(session)
        let names = try call.columnNames(call.exprs("COL"), in: d)
        let before = d.frame.columns.count
        try call.apply(.select(columns: names), to: d, in: session)
        session.print("\(call.resultName(d)): kept \(names.count) of \(plural(before, "column"))")
    }
}

/// `drop [DS] COL, ... [as NAME]`
struct DropCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "drop", stage: .data,
        abstract: "Remove columns",
        parameters: [
            Parameter("DS", .dataset, "the dataset (default: the current one)", optional: true),
            Parameter("COL", .value, "the columns to remove: names, or a list [a, b]", variadic: true),
        ],
        binds: ["NAME"],
        examples: [Example("load \"tutorials/data/penguins.csv\""), Example("drop penguins year")])

    static func run(_ call: CommandCall, in session: Session) throws {
        let d = try call.dataset(session)
        let names = try call.columnNames(call.exprs("COL"), in: d)
        try call.apply(.drop(columns: names), to: d, in: session)
        session.print("\(call.resultName(d)): dropped \(names.joined(separator: ", "))")
    }
}
