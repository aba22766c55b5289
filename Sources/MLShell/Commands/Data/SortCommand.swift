import MLDiagnostics
import MLPrep

/// `sort [DS] by COL [desc], ... [as NAME]`
struct SortCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "sort", stage: .data,
        abstract: "Order rows by columns (add desc after a column for descending); missing values go last",
        parameters: [
            Parameter("DS", .dataset, "the dataset (default: the current one)", optional: true),
            Parameter("COL", .value, "the columns, each optionally followed by asc or desc", keyword: "by", variadic: true),
        ],
        binds: ["NAME"],
        examples: [Example("load \"tutorials/data/penguins.csv\""), Example("sort penguins by body_mass_g desc"), Example("sort by species, bill_length_mm desc")])

    static func run(_ call: CommandCall, in session: Session) throws {
        let d = try call.dataset(session)
        var keys: [(name: String, descending: Bool)] = []
        for e in call.exprs("COL") {
            if let w = e.asName, !w.quoted, w.text == "desc" || w.text == "asc", !keys.isEmpty, d.frame.index(of: w.text) == nil {
                keys[keys.count - 1].descending = w.text == "desc"
                continue
            }
            if let w = e.asName, ["descending", "ascending", "reverse"].contains(w.text), !keys.isEmpty, d.frame.index(of: w.text) == nil {
                throw call.error(at: "COL", "'\(w.text)' is not an order", hint: "write desc (or asc) after the column")
            }
            let name = try call.columnNames([e], in: d)[0]
            keys.append((name, false))
        }
        try call.apply(.sort(keys: keys.map { SortKey(column: $0.name, descending: $0.descending) }), to: d, in: session)
        session.print("\(call.resultName(d)): sorted by " + keys.map { $0.name + ($0.descending ? " desc" : "") }.joined(separator: ", "))
    }
}
