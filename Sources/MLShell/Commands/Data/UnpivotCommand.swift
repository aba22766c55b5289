import MLDiagnostics
import MLFrame

/// `unpivot [DS] keep=[COL, …] [name="variable"] [value="value"] [as NAME]`
struct UnpivotCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "unpivot", stage: .data,
        abstract: "Wide to long: each column not kept becomes rows of (its name, its value)",
        discussion: """
            As pandas' melt: the kept columns repeat, the other columns stack one after another \
            into two columns, their names (name=, default "variable") and their values (value=, \
            default "value"). The stacked columns must be all numbers (whole numbers stay whole \
            when all are) or all texts; mixing them is an error that names them.
            """,
        parameters: [Parameter("DS", .dataset, "the dataset (default: the current one)", optional: true)],
        options: [
            OptionSpec("keep", .value, "the columns that stay as they are, e.g. keep=[species, island]"),
            OptionSpec("name", .string, "the name of the column of names", default: "\"variable\""),
            OptionSpec("value", .string, "the name of the column of values", default: "\"value\""),
        ],
        binds: ["NAME"],
        examples: [
            Example("load \"tutorials/data/penguins.csv\""),
            Example("select penguins species, bill_length_mm, bill_depth_mm as bills"),
            Example("unpivot bills keep=[species] name=\"measure\" as long"),
        ])

    static func run(_ call: CommandCall, in session: Session) throws {
        let d = try call.dataset(session)
        var keep: [String] = []
        if let e = call.expr("keep") {
            keep = try call.columnNames([e], in: d)
        }
        let variable = try call.string("name") ?? "variable", valueName = try call.string("value") ?? "value"
        let stacked = d.frame.columns.filter { !keep.contains($0.name) }
        guard !stacked.isEmpty else { throw call.error(at: "keep", "every column is kept: there is nothing to unpivot", hint: "keep fewer columns") }
        guard variable != valueName else {
            throw call.error("name= and value= are both '\(variable)'; the two new columns need two names", hint: "e.g. name=\"variable\" value=\"value\"")
        }
        for n in [variable, valueName] where keep.contains(n) {
            throw call.error("'\(n)' is a kept column", hint: "name the new columns otherwise: name=\"…\" value=\"…\"")
        }
        let numeric = stacked.allSatisfy { $0.type.isNumeric || $0.type == .bool }, oneKind = Set(stacked.map(\.type)).count == 1
        guard numeric || oneKind else {
            let kinds = stacked.map { "\($0.name) (\($0.type.rawValue))" }.joined(separator: ", ")
            throw call.error("the columns to stack mix kinds: \(kinds)", hint: "keep the texts (keep=[…]), or cast them to one type first")
        }
        let n = d.frame.rowCount
        let repeated = Array((0..<stacked.count).flatMap { _ in 0..<n })
        var columns = keep.map { d.frame.column($0)!.take(repeated) }
        let dictionary = stacked.map(\.name)
        columns.append(Column(name: variable, storage: .string(codes: (0..<stacked.count).flatMap { k in [UInt32](repeating: UInt32(k), count: n) }, dictionary: dictionary)))
        var values = Column.stacked(stacked.map { var c = $0; c.name = valueName; return c })
        values.name = valueName
        columns.append(values)
        let result = Frame(columns: columns)
        let name = call.binding.first?.text ?? "\(d.name)_long"
        session.bindDataset(d.summary(name: name, frame: result, command: call.command.sourceText))
        session.print("\(name): \(plural(result.rowCount, "row")) × \(plural(result.columns.count, "column")) (\(plural(stacked.count, "column")) of \(d.name) stacked, \(keep.count) kept)")
    }
}
