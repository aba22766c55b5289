import MLDiagnostics
import MLFrame

/// `concat A, B [, C …] [as NAME]`
struct ConcatCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "concat", stage: .data,
        abstract: "Stack the rows of datasets with the same columns, matched by name",
        discussion: """
            Columns are matched by name, in the order they first appear. A column that a dataset \
            lacks is missing in its rows, and the shell says which. Whole numbers and decimals \
            stack as decimals; other differing types (text and numbers, say) are an error that \
            names the column. The result is a new dataset (A_B… unless as NAME) whose history \
            starts here.
            """,
        parameters: [Parameter("DS", .name, "the datasets, in order", variadic: true)],
        binds: ["NAME"],
        examples: [
            Example("load \"tutorials/data/penguins.csv\""),
            Example("where penguins island == \"Dream\" as dream"),
            Example("where penguins island == \"Biscoe\" as biscoe"),
            Example("concat dream, biscoe as two_islands"),
        ])

    static func run(_ call: CommandCall, in session: Session) throws {
        var parts: [Dataset] = []
        for e in call.exprs("DS") {
            guard let n = e.asName, let d = session.dataset(named: n.text) else {
                let word = e.asName?.text ?? ""
                throw Diagnostic(.unknownName, .error, "no dataset named '\(word)'", file: call.file, range: e.range,
                                 hint: Suggest.didYouMean(word, in: session.datasetNames) ?? "the datasets are: " + session.datasetNames.joined(separator: ", "))
            }
            parts.append(d)
        }
        guard parts.count >= 2 else { throw call.error("concat needs two datasets or more: concat A, B", id: .missingArgument) }
        // The columns in order of first appearance, each with its type across the parts.
        var names: [String] = []
        for d in parts { for n in d.frame.columnNames where !names.contains(n) { names.append(n) } }
        var columns: [Column] = []
        var gaps: [String] = []
        for name in names {
            let present = parts.compactMap { $0.frame.column(name) }
            let types = Set(present.map(\.type))
            guard types.count == 1 || types.allSatisfy(\.isNumeric) else {
                let which = parts.compactMap { d in d.frame.column(name).map { "\(d.name): \($0.type.rawValue)" } }
                let other = parts.first { d in d.frame.column(name).map { $0.type != present[0].type } ?? false }!
                throw call.error("'\(name)' has different types: \(which.joined(separator: ", "))",
                                 hint: "cast it to one type first, e.g. cast \(other.name) \(name) \(present[0].type.castWord)")
            }
            var lacking: [String] = []
            for d in parts where d.frame.column(name) == nil && !lacking.contains(d.name) { lacking.append(d.name) }
            if !lacking.isEmpty { gaps.append("'\(name)' (not in \(lacking.joined(separator: ", ")))") }
            let pieces = parts.map { d in d.frame.column(name) ?? Column.missing(name: name, like: present[0], count: d.frame.rowCount) }
            columns.append(Column.stacked(pieces))
        }
        let frame = Frame(columns: columns)
        let name = call.binding.first?.text ?? parts.map(\.name).joined(separator: "_")
        let source = DataSource(path: "concat of " + parts.map(\.source.path).joined(separator: ", "), bytes: 0, rows: frame.rowCount,
                                options: parts.map(\.name).joined(separator: ", "))
        let stacked = Dataset(name: name, frame: frame, source: source, step: call.command.sourceText)
        stacked.summaryOf = call.command.sourceText
        session.bindDataset(stacked)
        session.print("\(name): \(plural(frame.rowCount, "row")) × \(plural(columns.count, "column")) from " + parts.map { "\($0.name) (\($0.frame.rowCount))" }.joined(separator: ", "))
        if !gaps.isEmpty { session.print("note: missing where a dataset lacks the column: " + gaps.joined(separator: ", ")) }
        for note in JoinCommand.frozenSteps(parts) { session.print(note) }
    }
}
