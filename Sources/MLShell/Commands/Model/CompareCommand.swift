import MLDiagnostics
import MLFrame
import MLModel
import MLLanguage
import MLLearn
import MLRender

/// `compare M1 M2 … on DS`
struct CompareCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "compare", stage: .model,
        abstract: "Measure several models on one dataset, side by side, and mark the best",
        parameters: [
            Parameter("MODEL", .name, "the models", variadic: true),
            Parameter("DS", .dataset, "the dataset to measure on", keyword: "on"),
        ],
        options: [OptionSpec("metric", .name, "the metric that ranks them: " + ScoreMetric.allCases.map(\.rawValue).joined(separator: ", "),
                             default: "accuracy or RMSE")],
        examples: [
            Example("load \"tutorials/data/mtcars.csv\""),
            Example("fit linear mpg ~ wt + hp on mtcars as small"),
            Example("fit ridge mpg ~ . - model on mtcars alpha=5 as wide"),
            Example("compare small wide on mtcars"),
            Example("compare small wide on mtcars metric=mae"),
        ])

    static func run(_ call: CommandCall, in session: Session) throws {
        let d = try call.dataset(session, parameter: "DS")
        var models: [Model] = []
        for e in call.exprs("MODEL") {
            guard let n = e.asName, let m = session.model(named: n.text) else {
                let word = e.asName?.text ?? ExprPrinter.print(e)
                throw Diagnostic(.unknownName, .error, "no model named '\(word)'", file: call.file, range: e.range,
                                 hint: Suggest.didYouMean(word, in: session.modelNames) ?? "the models: " + session.modelNames.joined(separator: ", "))
            }
            models.append(m)
        }
        guard Set(models.map(\.task)).count == 1 else {
            throw call.error("these models do different things (" + models.map { "\($0.name): \($0.task.rawValue)" }.joined(separator: ", ") + ")",
                             hint: "compare models of one kind")
        }
        // Scores of different targets are not comparable: one model's RMSE in dollars, another's in carats.
        guard Set(models.map { $0.target ?? "" }).count == 1 else {
            throw call.error("these models predict different targets (" + models.map { "\($0.name): \($0.target ?? "none")" }.joined(separator: ", ") + ")",
                             hint: "compare models of one target")
        }
        let metric = try ScoreMetric.read(call, task: models[0].task)
        let scores = try models.map { try $0.score(on: d, session: session, call: call, metric: metric) }
        let names = Score.names(scores)
        let lower = scores[0].lowerIsBetter
        // A model scored on fewer rows (classes it never saw) is not a fair winner.
        let fair = scores.indices.filter { scores[$0].unseen == 0 }
        let best = (fair.isEmpty ? Array(scores.indices) : fair).min { lower ? scores[$0].primary < scores[$1].primary : scores[$0].primary > scores[$1].primary }!
        let star = session.terminal.utf8 || session.recording ? "★" : "*"
        var columns: [TextTable.Column] = [
            .init(header: "model", alignment: .left, cells: models.enumerated().map { $0.offset == best ? "\($0.element.name) \(star)" : $0.element.name }),
            .init(header: "algorithm", alignment: .left, cells: models.map(\.algorithm.rawValue)),
        ]
        for n in names {
            columns.append(.init(header: n, numbers: scores.map { $0.value(n) }, shown: { NumberFormat.compact($0, significant: 4) }))
        }
        // Models that answer different rows (boost keeps rows missing a feature) are scored on them.
        let differ = Set(scores.map(\.rows)).count > 1
        if differ { columns.append(.init(header: "rows", alignment: .right, cells: scores.map { String($0.rows) })) }
        var table = TextTable(columns: columns)
        table.footer = "on \(d.name); \(star) best by \(names[0]) (\(lower ? "lower" : "higher") is better)"
        session.printTable(table)
        if differ {
            session.print("note: the models score different rows of \(d.name): boost keeps rows with a missing feature, the others leave them out; compare them on rows without missing values (clean \(d.name) missing drop) for a like-for-like ranking")
        }
        for (m, s) in zip(models, scores) where s.unseen > 0 {
            session.print("note: \(plural(s.unseen, "row")) of \(d.name) have a \(m.target ?? "class") \(m.name) never saw; its scores leave them out")
        }
    }
}
