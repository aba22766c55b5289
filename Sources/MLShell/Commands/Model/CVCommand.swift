import MLDiagnostics
import MLFrame
import MLLanguage
import MLLearn
import MLRender

/// `cv ALGO FORMULA on DS folds=5 [params]`
struct CVCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "cv", stage: .model,
        abstract: "Cross-validate: fit on k−1 folds, measure on the fold left out, k times",
        discussion: """
            The rows are shuffled (seed= or set seed) and cut into folds. In each fold the dataset's
            recipe is re-fitted on the training folds only, then the model. Shows each fold's metrics and
            fit time, then the mean and std (sample) — how stable the model is, and what it costs.
            """,
        parameters: [
            Parameter("ALGO", .expression, "the algorithm (see help fit)"),
            Parameter("FORMULA", .expression, "target ~ predictors", optional: true),
            Parameter("DS", .dataset, "the dataset", keyword: "on"),
        ],
        freeOptions: ("PARAM=VALUE", "folds= (5), seed=, and the algorithm's parameters"),
        examples: [
            Example("load \"tutorials/data/mtcars.csv\""),
            Example("cv linear mpg ~ wt + hp on mtcars folds=4"),
            Example("cv ridge mpg ~ . - model on mtcars folds=5 alpha=10"),
        ])

    static func run(_ call: CommandCall, in session: Session) throws {
        let (algorithm, formula, params) = try ModelCommandParts.read(call, session, extra: ["folds", "seed"])
        let d = try call.dataset(session, parameter: "DS")
        let k = Int(params["folds"] ?? 5)
        let rows = d.frame.rowCount
        guard k >= 2 else { throw call.error("folds= must be at least 2") }
        guard k <= rows else { throw call.error("\(k) folds need at least \(k) rows, and \(d.name) has \(rows)", hint: "use folds=\(max(2, min(rows, 5)))") }
        let seed = params["seed"].map { UInt64(max(0, $0)) } ?? session.settings.seed
        var fitParams = params
        fitParams["folds"] = nil
        if !["kmeans", "mlp"].contains(algorithm) { fitParams["seed"] = nil }
        let (scores, times) = try crossValidate(call, session, algorithm: algorithm, formula: formula, params: fitParams, on: d, folds: k, seed: seed)
        let names = scores[0].metrics.map(\.0)
        func f(_ x: Double) -> String { NumberFormat.compact(x, significant: 4) }
        var cells: [[String]] = []
        for (i, s) in scores.enumerated() {
            cells.append(["\(i + 1)"] + s.metrics.map { f($0.1) } + [session.recording ? "–" : Runner.formatElapsed(.seconds(times[i]))])
        }
        let means = names.indices.map { j in scores.map { $0.metrics[j].1 }.reduce(0, +) / Double(k) }
        let stds = names.indices.map { j -> Double in
            let v = scores.map { $0.metrics[j].1 }
            return (v.reduce(0) { $0 + ($1 - means[j]) * ($1 - means[j]) } / Double(k - 1)).squareRoot()
        }
        cells.append(["mean"] + means.map(f) + [session.recording ? "–" : Runner.formatElapsed(.seconds(times.reduce(0, +) / Double(k)))])
        cells.append(["std"] + stds.map(f) + [""])
        let headers = ["fold"] + names + ["fit time"]
        var table = TextTable(columns: headers.indices.map { j in
            TextTable.Column(header: headers[j], alignment: j == 0 ? .left : .right, cells: cells.map { $0[j] })
        })
        table.footer = "\(k)-fold cross-validation of \(algorithm) \(formula.text) on \(d.name), seed \(seed)"
        session.printTable(table)
    }

    static func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

    /// Each fold's score and fit time: the recipe and the model fitted on the other folds.
    static func crossValidate(_ call: CommandCall, _ session: Session, algorithm: String, formula: Formula, params: [String: Double],
                              on d: Dataset, folds k: Int, seed: UInt64) throws -> ([Score], [Double]) {
        let rows = d.frame.rowCount
        let folds = Folds.make(rows: rows, k: k, seed: seed)
        var scores: [Score] = []
        var times: [Double] = []
        for (f, testRows) in folds.enumerated() {
            try session.interrupt.check()
            let inTest = Set(testRows)
            let train = d.subset(name: "\(d.name)[fold \(f + 1) train]", rows: (0..<rows).filter { !inTest.contains($0) }, command: "cv")
            let test = d.subset(name: "\(d.name)[fold \(f + 1)]", rows: testRows, command: "cv")
            let start = ContinuousClock.now
            let model = try Trainer(call: call, session: session, algorithm: algorithm, params: params).fit(formula: formula, on: train, name: "fold")
            times.append(seconds(ContinuousClock.now - start))
            scores.append(try model.score(on: test, session: session, call: call))
        }
        return (scores, times)
    }
}

/// The algorithm, formula and numeric parameters of fit, cv and search.
enum ModelCommandParts {
    static func read(_ call: CommandCall, _ session: Session, extra: [String], lists: Bool = false) throws -> (String, Formula, [String: Double]) {
        var algoExpr = call.expr("ALGO")!
        var formulaExpr = call.expr("FORMULA")
        if formulaExpr == nil, case .formula(let lhs?, let rhs) = algoExpr.kind, let n = lhs.asName, FitCommand.algorithms.contains(where: { $0.name == n.text }) {
            formulaExpr = Expr(.formula(lhs: nil, rhs: rhs), SourceRange(rhs.range.start - 1, rhs.range.end))
            algoExpr = lhs
        }
        guard let algoName = algoExpr.asName?.text, let algorithm = FitCommand.algorithms.first(where: { $0.name == algoName }) else {
            let word = algoExpr.asName?.text ?? ExprPrinter.print(algoExpr)
            throw Diagnostic(.unknownName, .error, "unknown algorithm '\(word)'", file: call.file, range: algoExpr.range,
                             hint: Suggest.didYouMean(word, in: FitCommand.algorithms.map(\.name)) ?? "the algorithms: " + FitCommand.algorithms.map(\.name).joined(separator: ", "))
        }
        guard let formulaExpr else { throw call.error("a formula must follow the algorithm: \(algoName) y ~ a + b", id: .missingArgument) }
        var text = call.text(of: formulaExpr)
        if case .formula(nil, let rhs) = formulaExpr.kind { text = "~ " + call.text(of: rhs) }
        let formula = try Formula.read(formulaExpr, text: text, file: call.file)
        var params: [String: Double] = [:]
        let valid = algorithm.parameters.map(\.0) + extra
        for (name, value) in call.freeOptions where !(lists && { if case .list = value.kind { return true }; return false }()) {
            guard valid.contains(name.text) else {
                throw Diagnostic(.unknownOption, .error, "'\(algoName)' has no parameter '\(name.text)'", file: call.file, range: name.range,
                                 hint: (Suggest.didYouMean(name.text, in: valid).map { $0 + " " } ?? "")
                                     + (valid.isEmpty ? "\(algoName) takes no parameters" : "its parameters: " + valid.joined(separator: ", ")))
            }
            for (key, x) in try parameter(name.text, value, call, session) { params[key] = x }
        }
        return (algoName, formula, params)
    }

    /// Parameters counted in whole numbers; all but seed start at 1.
    static let wholeNumbers: Set<String> = ["k", "n_init", "max_iter", "max_depth", "min_samples_leaf", "epochs", "batch", "seed", "folds", "random"]

    /// One PARAM=VALUE read as numbers: `C=inf`, whole-number parameters checked, and `hidden=[64, 32]`
    /// kept as hidden0, hidden1, … (one layer size each).
    static func parameter(_ name: String, _ value: Expr, _ call: CommandCall, _ session: Session) throws -> [String: Double] {
        if value.asName?.text == "inf" { return [name: .infinity] }
        let v = try Evaluator(session: session, file: call.file).evaluate(value)
        if name == "hidden" {
            let sizes: [Double]
            switch v {
            case .number(let x): sizes = [x]
            case .list(let items): sizes = items.compactMap { if case .number(let x) = $0 { return x }; return nil }
            default: sizes = []
            }
            guard !sizes.isEmpty, sizes.allSatisfy({ $0 >= 1 && $0 <= 4096 && $0 == $0.rounded() }) else {
                throw Diagnostic(.wrongArgumentType, .error, "hidden= takes layer sizes, e.g. hidden=[32] or hidden=[64, 32]", file: call.file, range: value.range)
            }
            return Dictionary(uniqueKeysWithValues: sizes.enumerated().map { ("hidden\($0)", $1) })
        }
        guard case .number(let x) = v, !x.isNaN else {
            // fit … or cv … with a list: the same command as a search tries every value.
            let text = call.command.sourceText
            let rest = text.drop { $0 != " " }
            let tryMany: String? = { if case .list = v { return "to try several values, use search: search" + rest }; return nil }()
            throw Diagnostic(.wrongArgumentType, .error, "\(name)= takes a number, got \(v.kindName) \(v.literal)", file: call.file, range: value.range,
                             hint: tryMany)
        }
        if wholeNumbers.contains(name) {
            let least = name == "seed" ? 0.0 : 1.0
            guard x == x.rounded(), x >= least, x < 1e15 else {
                throw Diagnostic(.badArgument, .error, "\(name)= takes a whole number from \(Int(least)), got \(Value.formatNumber(x))", file: call.file, range: value.range)
            }
        }
        return [name: x]
    }
}
