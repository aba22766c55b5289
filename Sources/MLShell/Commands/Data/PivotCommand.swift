import MLDiagnostics
import MLFrame

/// `pivot [DS] rows=COL cols=COL values=COL [agg=FN] [as NAME]`
struct PivotCommand: ShellCommand {
    static let aggregates = ["mean", "sum", "count", "median", "min", "max", "std", "var", "first", "last", "n_distinct"]

    static let spec = CommandSpec(
        name: "pivot", stage: .data,
        abstract: "Long to wide: one row per value of rows=, one column per value of cols=, cells aggregated from values=",
        discussion: """
            As pandas' pivot_table: each cell aggregates the values= of the rows with that pair \
            of keys (agg=mean unless given; count counts non-missing values), and is missing \
            where no row has the pair. Rows and columns are ordered by their values; a missing \
            key is left out, as pandas does. The new columns are named by the values of cols=.
            """,
        parameters: [Parameter("DS", .dataset, "the dataset (default: the current one)", optional: true)],
        options: [
            OptionSpec("rows", .name, "the column whose values become rows"),
            OptionSpec("cols", .name, "the column whose values become columns"),
            OptionSpec("values", .name, "the column the cells are made from"),
            OptionSpec("agg", .word(aggregates), "how the values of a cell are combined", default: "mean"),
        ],
        binds: ["NAME"],
        examples: [
            Example("load \"tutorials/data/penguins.csv\""),
            Example("pivot penguins rows=species cols=island values=body_mass_g agg=mean as mass"),
        ])

    static func run(_ call: CommandCall, in session: Session) throws {
        let d = try call.dataset(session)
        var names: [String: String] = [:]
        for option in ["rows", "cols", "values"] {
            guard let e = call.expr(option) else {
                throw call.error("pivot needs rows=, cols= and values=", hint: "e.g. pivot \(d.name) rows=species cols=island values=body_mass_g", id: .missingArgument)
            }
            guard let n = e.asName else {
                throw call.error(at: option, "\(option)= takes one column's name", hint: "derive a column first for an expression: derive \(d.name) c = …")
            }
            try call.checkColumn(n.text, e.range, in: d)
            names[option] = n.text
        }
        let agg = call.word("agg") ?? "mean"
        let values = d.frame.column(names["values"]!)!
        if !["count", "n_distinct", "first", "last", "min", "max"].contains(agg), !values.type.isNumeric, values.type != .bool {
            throw call.error(at: "agg", "agg=\(agg) needs numbers, but '\(values.name)' is \(values.type.rawValue)",
                             hint: "count, n_distinct, first, last, min and max work on any column")
        }
        // The rows with both keys, grouped by the pair; missing keys are left out, as pandas does.
        let rowKey = d.frame.column(names["rows"]!)!, colKey = d.frame.column(names["cols"]!)!
        let kept = (0..<d.frame.rowCount).filter { rowKey.isValid($0) && colKey.isValid($0) }
        let frame = d.frame.take(kept)
        let byRow = Grouping(frame: frame, keys: [rowKey.name]), byCol = Grouping(frame: frame, keys: [colKey.name])
        let rowOrder = byRow.indices.sorted { byRow.less($0, $1) }, colOrder = byCol.indices.sorted { byCol.less($0, $1) }
        var rowPlace = [Int](repeating: 0, count: byRow.count), colPlace = [Int](repeating: 0, count: byCol.count)
        for (k, g) in rowOrder.enumerated() { rowPlace[g] = k }
        for (k, g) in colOrder.enumerated() { colPlace[g] = k }
        // The rows of each cell, cell (i, j) at i * columns + j.
        let width = colOrder.count
        var cells = [[Int]](repeating: [], count: rowOrder.count * width)
        for r in 0..<frame.rowCount { cells[rowPlace[byRow.groupOfRow[r]] * width + colPlace[byCol.groupOfRow[r]]].append(r) }
        var result = byRow.keyFrame(rowOrder)
        let column = frame.column(values.name)!
        var headers: Set<String> = [rowKey.name]
        for (j, g) in colOrder.enumerated() {
            let header = colKey.take([kept[byCol.firstRow[g]]]).text(0) ?? "NA"
            guard headers.insert(header).inserted else {
                throw call.error("'\(header)' is both the rows= column and a value of cols=", hint: "rename one first: rename \(d.name) \(rowKey.name) = \(rowKey.name)_key")
            }
            let cellRows = (0..<rowOrder.count).map { cells[$0 * width + j] }
            var c = GroupCommand.aggregate(agg == "count" ? "count" : agg, column, cellRows, name: header)
            // An empty cell is missing, for every aggregate (pandas leaves the pair out).
            if let i = cellRows.firstIndex(where: \.isEmpty), i >= 0 {
                let picked = cellRows.indices.map { cellRows[$0].isEmpty ? -1 : $0 }
                c = c.take(orMissing: picked)
            }
            result.setColumn(c)
        }
        let name = call.binding.first?.text ?? "\(d.name)_wide"
        session.bindDataset(d.summary(name: name, frame: result, command: call.command.sourceText))
        session.print("\(name): \(plural(result.rowCount, "row")) (\(rowKey.name)) × \(plural(width, "column")) (\(colKey.name)) of \(agg)(\(values.name))"
            + (kept.count < d.frame.rowCount ? "; \(plural(d.frame.rowCount - kept.count, "row")) with a missing key left out" : ""))
        var table = session.frameTable(result)
        table.footer = "\(plural(result.rowCount, "row")) × \(plural(result.columns.count, "column"))"
        session.printTable(table)
    }
}
