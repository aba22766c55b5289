import MLDiagnostics
import MLLanguage
import MLFrame
import MLModel
import MLLearn
import MLPrep
import MLRender

extension CommandCall {
    /// The model a parameter names, with did-you-mean.
    func model(_ session: Session, parameter: String = "MODEL") throws -> Model {
        try model(session, expr: expr(parameter))
    }

    /// The model an argument names (one of a list, for `serve m1, m2`).
    func model(_ session: Session, expr e: Expr?) throws -> Model {
        guard let e, let n = e.asName else { throw error("expected a model's name", id: .missingArgument) }
        if let m = session.model(named: n.text) { return m }
        throw Diagnostic(.unknownName, .error, "no model named '\(n.text)'", file: file, range: e.range,
                         hint: Suggest.didYouMean(n.text, in: session.modelNames)
                            ?? (session.modelNames.isEmpty ? "fit one first: fit linear y ~ x on DS as m" : "the models: " + session.modelNames.joined(separator: ", ")))
    }
}

extension Model {
    /// A dataset's raw rows through this model's own fitted recipe, then its design.
    /// `inBlocks`: a linear model's design is read from the columns a block at a time (see `values(on:)`).
    func design(for d: Dataset, session: Session, call: CommandCall, needTarget: Bool, inBlocks: Bool = false) throws -> (Design, Frame) {
        let raw = d.loaded.take(d.rowIDs)
        // The dataset's own column steps that the model does not have are not applied: say so,
        // rather than let an edit (derive x = 0, a what-if) look as if it changed the answers.
        let own = Set(recipe.entries.map(\.command))
        // Only steps that change a column the model reads matter (a new column beside them does not).
        let reads = Set(inputs.map(\.name) + features + [target].compactMap { $0 })
        func changesWhatItReads(_ step: RecipeStep) -> Bool {
            switch step {
            case .derive(let name, _): return reads.contains(name)
            case .fill(let columns, _), .scale(let columns, _), .normalize(let columns, _), .oneHot(let columns, _, _, _):
                return !reads.isDisjoint(with: columns)
            case .clip(let column, _, _), .ordinal(let column, _), .cast(let column, _): return reads.contains(column)
            case .select, .drop: return false
            default: return true
            }
        }
        let skipped = d.recipe.entries.filter { !$0.step.isRowStep && !own.contains($0.command) && changesWhatItReads($0.step) }.map(\.command)
        if !skipped.isEmpty {
            session.report(Diagnostic(.learnError, .note,
                "\(name) reads \(d.name)'s rows as loaded and applies its own recipe; \(d.name)'s " + (skipped.count == 1 ? "step " : "steps ")
                    + skipped.map { "'\($0)'" }.joined(separator: ", ") + " \(skipped.count == 1 ? "is" : "are") not part of \(name) and not applied",
                hint: "to change the inputs, make the change a step before fitting, or type one row: predict \(name) col=value …"))
        }
        let engine = SessionExpressionEngine(session: session, datasetName: d.name)
        do {
            return try design(raw: raw, engine: engine, withTarget: needTarget, inBlocks: inBlocks, rowsName: d.name)
        } catch let e as Diagnostic {
            if e.id == .unknownColumn, e.message.contains("lacks the feature") {
                throw call.error(e.message, hint: lineage.map { "evaluate on rows with the same columns as \($0.source)" } ?? "evaluate on rows with the same columns as \(trainedOn)'s file")
            }
            throw e.located(in: call.file, call.command.range)
        }
    }
}

/// `evaluate MODEL on DS`
struct EvaluateCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "evaluate", stage: .model,
        abstract: "Measure a model on a dataset: the rows go through the model's own recipe first",
        discussion: """
            regression: RMSE, MAE, R², MAPE. classification: accuracy, log-loss, ROC AUC (one-vs-rest
            for more classes), precision, recall and F1 per class with macro and weighted averages, and
            the confusion matrix. clustering: inertia and silhouette. Definitions as scikit-learn's.
            """,
        parameters: [
            Parameter("MODEL", .name, "the model"),
            Parameter("DS", .dataset, "the dataset to measure on", keyword: "on"),
        ],
        options: [OptionSpec("positive", .value, "two classes: the class of interest (precision, recall, F1 and PR AUC are its)", default: "the model's, or the second class"),
                  OptionSpec("threshold", .number, "two classes: predict the positive class from this probability up", default: "0.5")],
        binds: ["NAME"],
        examples: [
            Example("load \"tutorials/data/iris.csv\""),
            Example("split iris 0.7 seed=1 stratify=Species as train test"),
            Example("fit logistic Species ~ . on train as clf"),
            Example("evaluate clf on test"),
            Example("evaluate clf on test as scores"),
            Example("print scores.accuracy"),
            Example("load \"tutorials/data/titanic.csv\""),
            Example("fit logistic survived ~ age on titanic as older"),
            Example("evaluate older on titanic positive=yes threshold=0.4"),
        ])

    static func run(_ call: CommandCall, in session: Session) throws {
        let m = try call.model(session)
        let d = try call.dataset(session, parameter: "DS")
        if let t = m.target, d.frame.index(of: t) == nil {
            throw call.error("\(d.name) has no column '\(t)', the target \(m.name) predicts: there is nothing to score against",
                             hint: "evaluate on rows that hold the true \(t) (predict only adds predictions and needs no target)")
        }
        let (design, _) = try m.design(for: d, session: session, call: call, needTarget: m.task != .clustering, inBlocks: true)
        guard design.rowCount > 0 else { throw call.error("no row of \(d.name) has values in every model column") }
        if design.y.contains(-1) {
            let unseen = design.y.filter { $0 < 0 }.count
            throw call.error("\(plural(unseen, "row")) of \(d.name) have a \(m.target!) the model never saw", hint: "the classes it knows: " + (m.classes ?? []).joined(separator: ", "))
        }
        var (values, probabilities) = m.predict(design, interrupted: session.interruptCheck)
        try session.interrupt.check()
        let choice = try BinaryChoice.read(call, m)
        if let choice, let p = probabilities { values = p.map { Double(choice.classify($0)) } }
        var header = "\(m.name) on \(d.name): \(plural(design.rowCount, "row"))"
        if design.dropped > 0 { header += " (\(design.dropped) left out: missing values)" }
        session.print(header)
        func f(_ x: Double?) -> String? { x.map { NumberFormat.compact($0, significant: 4) } }
        /// `as NAME`: the metrics as a record (`print e.rmse`), with the rows scored; a metric that
        /// has no value (log-loss without probabilities) is missing.
        func bind(_ metrics: [(String, Double)]) throws {
            guard let name = call.binding.first else { return }
            try session.checkBindable(name, in: call.file)
            session.bind(name.text, .record(metrics.map { (name: $0.0, value: $0.1.isNaN ? .missing : .number($0.1)) }
                + [(name: "rows", value: .number(Double(design.rowCount)))]))
        }
        /// Metric values: 4 digits for people, every digit in the data modes.
        func metricColumn(_ header: String, _ v: [Double?]) -> TextTable.Column {
            .init(header: header, numbers: v, shown: { NumberFormat.compact($0, significant: 4) })
        }
        switch m.task {
        case .regression:
            let r = Metrics.regression(design.y, values)
            var t = TextTable(columns: [
                .init(header: "metric", alignment: .left, cells: ["RMSE", "MAE", "R²", "MAPE"]),
                metricColumn("value", [r.rmse, r.mae, r.r2, r.mape]),
            ])
            t.footer = "4 metrics"
            session.printTable(t)
            try bind([("rmse", r.rmse), ("mae", r.mae), ("r2", r.r2), ("mape", r.mape)])
        case .classification:
            let c = Metrics.classification(design.y.map { Int($0) }, values.map { Int($0) }, classes: m.classes!, probabilities: probabilities)
            var names = ["accuracy", "log-loss", "ROC AUC" + (c.classes.count > 2 ? " (ovr)" : "")]
            var numbers: [Double?] = [c.accuracy, c.logLoss, c.rocAUC]
            var bound: [(String, Double)] = [("accuracy", c.accuracy), ("log_loss", c.logLoss ?? .nan), ("roc_auc", c.rocAUC ?? .nan)]
            // Two classes: the class of interest's own figures, at the threshold.
            if let choice {
                let k = choice.positive, name = choice.positiveName
                let ap = probabilities.flatMap { p in Metrics.averagePrecision(design.y.map { Int($0) == k }, p.map { $0[k] }) }
                names += ["PR AUC (\(name))", "precision (\(name))", "recall (\(name))", "F1 (\(name))", "balanced accuracy"]
                numbers += [ap, c.precision[k], c.recall[k], c.f1[k], Metrics.balancedAccuracy(c)]
                bound += [("pr_auc", ap ?? .nan), ("precision", c.precision[k]), ("recall", c.recall[k]), ("f1", c.f1[k]),
                          ("balanced_accuracy", Metrics.balancedAccuracy(c)), ("threshold", choice.threshold)]
            }
            var summary = TextTable(columns: [
                .init(header: "metric", alignment: .left, cells: names),
                metricColumn("value", numbers),
            ])
            summary.footer = plural(names.count, "metric") + (choice.map { c in c.isDefault ? "; positive class \(c.positiveName)" : "; positive class \(c.positiveName) from P ≥ \(NumberFormat.compact(c.threshold, significant: 3))" } ?? "")
            session.printTable(summary)
            try bind(bound + [("precision_macro", c.macro.precision), ("recall_macro", c.macro.recall), ("f1_macro", c.macro.f1),
                              ("precision_weighted", c.weighted.precision), ("recall_weighted", c.weighted.recall), ("f1_weighted", c.weighted.f1)])
            let k = c.classes.count
            var perClass = TextTable(columns: [
                .init(header: "class", alignment: .left, cells: c.classes + ["macro avg", "weighted avg"]),
                metricColumn("precision", c.precision + [c.macro.precision, c.weighted.precision]),
                metricColumn("recall", c.recall + [c.macro.recall, c.weighted.recall]),
                metricColumn("f1", c.f1 + [c.macro.f1, c.weighted.f1]),
                .init(header: "support", alignment: .right, cells: (c.support.map(String.init) + [String(design.rowCount), String(design.rowCount)])),
            ])
            perClass.footer = k == 1 ? "1 class" : "\(k) classes"
            session.printTable(perClass)
            session.print("confusion matrix (rows: true class, columns: predicted):")
            var trueClass = TextTable.Column(header: "", alignment: .left, cells: c.classes)
            trueClass.key = "true class"
            var confusion = TextTable(columns: [trueClass]
                + (0..<k).map { j in .init(header: c.classes[j], alignment: .right, cells: (0..<k).map { String(c.confusion[$0][j]) }) })
            confusion.footer = "\(design.rowCount) rows"
            session.printTable(confusion)
        case .clustering:
            guard case .kmeans(let fit) = m.estimator else { return }
            let labels = fit.assign(design.x)
            let rows = (0..<design.rowCount).map { design.x.row($0) }
            let inertia = zip(rows, labels).reduce(0.0) { s, p in s + zip(p.0, fit.centers[p.1]).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } }
            var value = metricColumn("value", [inertia, rows.count <= 5000 ? Metrics.silhouette(rows, labels) : nil])
            if rows.count > 5000 { value.cells[1] = "n/a (over 5000 rows)" }
            var t = TextTable(columns: [.init(header: "metric", alignment: .left, cells: ["inertia", "silhouette"]), value])
            t.footer = "2 metrics"
            session.printTable(t)
            try bind([("inertia", inertia)] + (rows.count <= 5000 ? [("silhouette", Metrics.silhouette(rows, labels))] : []))
        }
    }
}
