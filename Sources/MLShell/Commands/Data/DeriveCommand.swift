import MLDiagnostics
import MLLanguage
import MLPrep

/// `derive [DS] NAME=EXPR ... [as NAME]`
struct DeriveCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "derive", stage: .data,
        abstract: "Add (or replace) columns computed from an expression",
        discussion: "Each NAME=EXPR sees the columns made by the ones before it. A division by zero gives a missing value in that row.",
        parameters: [Parameter("DS", .dataset, "the dataset (default: the current one)", optional: true)],
        freeOptions: ("NAME=EXPR", "a column and the expression that computes it"),
        binds: ["NAME"],
        examples: [
            Example("load \"tutorials/data/penguins.csv\""),
            Example("derive penguins bill_ratio = bill_length_mm / bill_depth_mm"),
            Example("derive heavy = body_mass_g > 4500, kg = round(body_mass_g / 1000, 1)"),
        ])

    static func run(_ call: CommandCall, in session: Session) throws {
        let d = try call.dataset(session)
        guard !call.freeOptions.isEmpty else {
            throw call.error("'derive' needs NAME=EXPR", hint: "e.g. derive \(d.name) ratio = a / b", id: .missingArgument)
        }
        var frame = d.frame
        var added: [String] = []
        var steps: [(StepResult, RecipeStep)] = []
        for (name, expr) in call.freeOptions {
            let ev = FrameEvaluator(frame: frame, datasetName: d.name, session: session, file: call.file)
            let result = try ev.evaluate(expr)
            // A column holds one value a row: a list, a duration or a model is not one.
            if case .scalar(let v) = result {
                switch v {
                case .number, .bool, .string, .missing: break
                default:
                    throw Diagnostic(.wrongArgumentType, .error, "a column holds one number, text or true/false a row; \(name.text) = … gives \(v.kindName) \(v.literal)",
                                     file: call.file, range: expr.range, hint: "derive \(d.name) \(name.text) = an expression of its columns")
                }
            }
            let column = result.column(named: name.text, count: frame.rowCount)
            let replaced = frame.index(of: name.text) != nil
            frame.setColumn(column)
            steps.append((StepResult(frame: frame), .derive(name: name.text, expression: call.text(of: expr))))
            let missing = column.missingCount
            added.append("\(replaced ? "replaced" : "added") \(name.text) (\(column.type.rawValue)\(missing > 0 ? ", \(missing) missing" : ""))")
        }
        try call.record(steps, to: d, in: session)
        session.print("\(call.resultName(d)): " + added.joined(separator: "; "))
    }
}
