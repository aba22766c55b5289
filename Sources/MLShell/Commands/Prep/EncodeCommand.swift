import MLDiagnostics
import MLFrame
import MLPrep

/// `encode [DS] onehot [cols] … | encode [DS] ordinal COL [order=[…]]`
struct EncodeCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "encode", stage: .clean,
        abstract: "Turn categories into numbers: one 0/1 column per value (onehot), or a rank (ordinal)",
        discussion: """
            onehot: the categories are learned from the rows (sorted, as scikit-learn) and each becomes
            a column COL_value; drop=first leaves out the first; a missing value is all zeros; a value
            not seen when fitted is all zeros (unknown=ignore) or an error (unknown=error). Columns
            with more than max_levels values (100) are refused. Without columns: every text column.
            ordinal: each value becomes its position in the sorted values, or in order=[…].
            """,
        parameters: [
            Parameter("DS", .dataset, "the dataset (default: the current one)", optional: true),
            Parameter("METHOD", .word(["onehot", "ordinal"]), "how to encode"),
            Parameter("COL", .value, "the columns (default for onehot: every text column)", optional: true, variadic: true),
        ],
        options: [
            OptionSpec("drop", .word(["first", "none"]), "onehot: leave out the first category", default: "none"),
            OptionSpec("unknown", .word(["ignore", "error"]), "onehot: a value not seen when fitted", default: "ignore"),
            OptionSpec("max_levels", .integer, "onehot: the most categories a column may have", default: "100"),
            OptionSpec("order", .value, "ordinal: the categories in order, e.g. order=[low, mid, high]", default: "sorted"),
        ],
        binds: ["NAME"],
        examples: [
            Example("load \"tutorials/data/penguins.csv\""),
            Example("encode penguins onehot [island, sex] as encoded"),
            Example("encode penguins onehot species drop=first"),
            Example("encode penguins ordinal island order=[Torgersen, Dream, Biscoe]"),
        ])

    static func run(_ call: CommandCall, in session: Session) throws {
        let d = try call.dataset(session)
        if call.word("METHOD") == "onehot" {
            if call.has("order") { throw call.error(at: "order", "order= goes with ordinal") }
            let columns = try call.columnsOrAll("COL", in: d, where: { $0.type == .string }, kind: "text")
            let maxLevels = try call.integer("max_levels") ?? 100
            guard maxLevels >= 1 else { throw call.error(at: "max_levels", "max_levels= takes a number ≥ 1") }
            try call.runStep(.oneHot(columns: columns, dropFirst: call.word("drop") == "first",
                                     unknown: UnknownPolicy(rawValue: call.word("unknown") ?? "ignore")!, maxLevels: maxLevels),
                             on: d, in: session)
            return
        }
        for o in ["drop", "unknown", "max_levels"] where call.has(o) { throw call.error(at: o, "\(o)= goes with onehot") }
        let columns = try call.columnNames(call.exprs("COL"), in: d)
        guard columns.count == 1 else { throw call.error("'encode ordinal' takes one column", id: .missingArgument) }
        var order: [String]? = nil
        if let e = call.expr("order") {
            guard case .list(let items) = e.kind else { throw call.error(at: "order", "order= takes a list: order=[low, mid, high]") }
            order = items.map { item -> String in
                if let n = item.asName { return n.text }
                if case .string(let s) = item.kind { return s }
                return ExprPrinter.printValue(item)
            }
        }
        try call.runStep(.ordinal(column: columns[0], order: order), on: d, in: session)
    }
}

import MLLanguage

extension ExprPrinter {
    /// A literal as the text it stands for (a number's digits).
    static func printValue(_ e: Expr) -> String {
        if case .number(_, let literal) = e.kind { return literal }
        return print(e)
    }
}
