import MLDiagnostics
import MLFrame
import MLLanguage
import MLRender

/// `check [DS] RULE [RULE ...]`: consistency checks on a dataset.
struct CheckRulesCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "check", stage: .clean,
        abstract: "Check rules on a dataset; fails (in a script: stops it) when a rule does not hold",
        discussion: """
            Rules: COL between A and B · COL in [...] · COL not missing · COL unique · COL is TYPE
            (int, float, number, string, bool, date) · any condition, e.g. bill_length_mm > 0.
            Missing values pass every rule except 'not missing'. The table shows each rule with the
            rows that break it, then the first few of those rows. A failed check is an error, so a
            script stops there (exit status 1): scripts can guard their data.
            """,
        parameters: [
            Parameter("DS", .dataset, "the dataset (default: the current one)", optional: true),
            Parameter("RULE", .expression, "the rules", variadic: true),
        ],
        examples: [
            Example("load \"tutorials/data/penguins.csv\""),
            Example("check penguins year between 2007 and 2009, species in [\"Adelie\", \"Gentoo\", \"Chinstrap\"]"),
            Example("check penguins body_mass_g is int, year not missing"),
        ])

    struct Rule {
        let text: String
        let range: SourceRange
        /// Rows that break it.
        let failing: [Int]
    }

    static func run(_ call: CommandCall, in session: Session) throws {
        let d = try call.dataset(session)
        let items = call.exprs("RULE")
        let ev = FrameEvaluator(frame: d.frame, datasetName: d.name, session: session, file: call.file)
        var rules: [Rule] = []
        var i = 0
        while i < items.count {
            let e = items[i]
            let next = i + 1 < items.count ? items[i + 1] : nil
            if let name = e.asName, let next {
                // COL not missing / COL unique: a column followed by a word.
                if case .unary("not", let operand) = next.kind, operand.asName?.text == "missing", operand.asName?.quoted == false {
                    try call.checkColumn(name.text, name.range, in: d)
                    let c = d.frame.column(name.text)!
                    rules.append(Rule(text: "\(name.text) not missing", range: e.range.union(next.range),
                                      failing: (0..<c.count).filter { !c.isValid($0) }))
                    i += 2
                    continue
                }
                if next.asName?.text == "unique", next.asName?.quoted == false {
                    try call.checkColumn(name.text, name.range, in: d)
                    let c = d.frame.column(name.text)!
                    var seen = Set<CellKey>()
                    let failing = (0..<c.count).filter { c.isValid($0) && !seen.insert(c.cellKey($0)).inserted }
                    rules.append(Rule(text: "\(name.text) unique", range: e.range.union(next.range), failing: failing))
                    i += 2
                    continue
                }
            }
            if case .isCheck(let operand, let what, let negated) = e.kind, let name = operand.asName, what.text != "missing" {
                try call.checkColumn(name.text, name.range, in: d)
                let c = d.frame.column(name.text)!
                let failing = (0..<c.count).filter { r in
                    guard c.isValid(r) else { return false }
                    let ok: Bool
                    switch what.text {
                    case "int", "integer": ok = c.type == .int64 || (c.double(r).map { $0 == $0.rounded() } ?? false) && c.type == .float64
                    case "float", "number": ok = c.type.isNumeric
                    case "string", "text": ok = c.type == .string
                    case "bool": ok = c.type == .bool
                    case "date": ok = c.type == .date
                    default: ok = false
                    }
                    return ok == negated
                }
                let known = ["int", "integer", "float", "number", "string", "text", "bool", "date"]
                guard known.contains(what.text) else {
                    throw Diagnostic(.badArgument, .error, "unknown type '\(what.text)' in a check", file: call.file, range: what.range,
                                     hint: Suggest.didYouMean(what.text, in: known) ?? "the types: int, float, string, bool, date")
                }
                rules.append(Rule(text: call.text(of: e), range: e.range, failing: failing))
                i += 1
                continue
            }
            // Any condition: rows where it is false break it; missing passes.
            let value = try ev.evaluate(e)
            guard case .bool(let b, let valid) = value else {
                throw Diagnostic(.badArgument, .error, "'\(call.text(of: e))' is not a rule: it must be true or false for each row", file: call.file, range: e.range,
                                 hint: "write COL between A and B, COL in [...], COL not missing, COL unique, COL is TYPE, or a comparison")
            }
            rules.append(Rule(text: call.text(of: e), range: e.range, failing: (0..<b.count).filter { !b[$0] && (valid?[$0] ?? true) }))
            i += 1
        }
        guard !rules.isEmpty else { throw call.error("'check' needs at least one rule", id: .missingArgument) }
        let failed = rules.filter { !$0.failing.isEmpty }
        var table = TextTable(columns: [
            .init(header: "rule", alignment: .left, cells: rules.map(\.text)),
            .init(header: "result", alignment: .left, cells: rules.map { $0.failing.isEmpty ? "pass" : "FAIL" }),
            .init(header: "failing rows", alignment: .right, cells: rules.map { String($0.failing.count) }),
        ])
        table.footer = "rules that hold: \(rules.count - failed.count) of \(rules.count), on \(plural(d.frame.rowCount, "row"))"
        session.printTable(table)
        guard !failed.isEmpty else { return }
        let rows = Array(Set(failed.flatMap(\.failing))).sorted()
        session.print("the first rows that break a rule (row numbers from 1):")
        var shown = d.frame.take(Array(rows.prefix(5)))
        shown.setColumn(Column(name: "row", storage: .int(rows.prefix(5).map { Int64($0 + 1) })))
        let order = ["row"] + d.frame.columnNames
        var offending = TextTable(frame: shown.selecting(order), maxRows: 5)
        offending.footer = "\(plural(rows.count, "row")) break a rule" + (rows.count > 5 ? " (5 shown)" : "")
        session.printTable(offending)
        throw Diagnostic(.checkFailed, .error, "check failed: \(failed.count) of \(plural(rules.count, "rule")) \(failed.count == 1 ? "does" : "do") not hold (" + failed.map(\.text).joined(separator: "; ") + ")",
                         file: call.file, range: failed[0].range, hint: "fix the data (clean, fill, where) or the rule")
    }
}

extension Diagnostic.ID {
    public static let checkFailed = Diagnostic.ID("check-failed")
}
