import MLLanguage
import MLPrep
import MLDiagnostics

/// `where [DS] EXPR [as NAME]`
struct WhereCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "where", stage: .data,
        abstract: "Keep the rows where a condition holds (rows where it is missing are dropped)",
        parameters: [
            Parameter("DS", .dataset, "the dataset (default: the current one)", optional: true),
            Parameter("EXPR", .expression, "the condition, e.g. bill_length_mm > 45 and island == \"Dream\""),
        ],
        binds: ["NAME"],
        examples: [
            Example("load \"tutorials/data/penguins.csv\""),
            Example("where penguins bill_length_mm > 45 as long_bills"),
            Example("where penguins sex is not missing and island in [\"Biscoe\", \"Dream\"]"),
        ])

    static func run(_ call: CommandCall, in session: Session) throws {
        let d = try call.dataset(session)
        let ev = FrameEvaluator(frame: d.frame, datasetName: d.name, session: session, file: call.file)
        let expr = call.expr("EXPR")!
        let keep = try ev.mask(expr)
        let rows = keep.indices.filter { keep[$0] }
        let frame = d.frame.take(rows)
        let before = d.frame.rowCount
        try call.record([(StepResult(frame: frame, kept: rows), .filter(expression: call.text(of: expr)))], to: d, in: session)
        session.print("\(call.resultName(d)): kept \(frame.rowCount) of \(plural(before, "row")) (\(before - frame.rowCount) dropped)")
    }
}
