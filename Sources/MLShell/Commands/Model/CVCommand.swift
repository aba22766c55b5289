import MLDiagnostics
import MLFrame
import MLModel
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
        freeOptions: ("PARAM=VALUE", "folds= (5), seed=, metric= (the first column: " + ScoreMetric.allCases.map(\.rawValue).joined(separator: ", ") + "), and the algorithm's parameters"),
        examples: [
            Example("load \"tutorials/data/mtcars.csv\""),
            Example("cv linear mpg ~ wt + hp on mtcars folds=4"),
            Example("cv ridge mpg ~ . - model on mtcars folds=5 alpha=10"),
        ])

    static func run(_ call: CommandCall, in session: Session) throws {
        let (algorithm, formula, params) = try ModelCommandParts.read(call, session, extra: ["folds", "seed", "metric"])
        let metric = try ScoreMetric.read(call, task: nil)
        let d = try call.dataset(session, parameter: "DS")
        let k = Int(params["folds"] ?? 5)
        let rows = d.frame.rowCount
        guard k >= 2 else { throw call.error("folds= must be at least 2") }
        guard k <= rows else { throw call.error("\(k) folds need at least \(k) rows, and \(d.name) has \(rows)", hint: "use folds=\(max(2, min(rows, 5)))") }
        let seed = params["seed"].map { UInt64(max(0, $0)) } ?? session.settings.seed
        var fitParams = params
        fitParams["folds"] = nil
        if ![.kmeans, .mlp].contains(algorithm) { fitParams["seed"] = nil }
        let (scores, times) = try crossValidate(call, session, algorithm: algorithm, formula: formula, params: fitParams, on: d, folds: k, seed: seed, metric: metric)
        let names = Score.names(scores)
        func f(_ x: Double) -> String { NumberFormat.compact(x, significant: 4) }
        var cells: [[String]] = [], exact: [[String]] = []
        for (i, s) in scores.enumerated() {
            cells.append(["\(i + 1)"] + names.map { f(s.value($0)) } + [session.recording ? "–" : Runner.formatElapsed(.seconds(times[i]))])
            exact.append(["\(i + 1)"] + names.map { formatDouble(s.value($0)) } + [session.recording ? "–" : formatDouble(times[i])])
        }
        // Folds without a score (NA) are left out of the mean and std, and the footer says so.
        let stats = names.map { n in CVCommand.meanStd(scores.map { $0.value(n) }) }
        let means = stats.map(\.mean), stds = stats.map(\.std)
        let unscored = scores.indices.filter { !scores[$0].primary.isFinite }.map { $0 + 1 }
        cells.append(["mean"] + means.map(f) + [session.recording ? "–" : Runner.formatElapsed(.seconds(times.reduce(0, +) / Double(k)))])
        cells.append(["std"] + stds.map(f) + [""])
        exact.append(["mean"] + means.map(formatDouble) + [session.recording ? "–" : formatDouble(times.reduce(0, +) / Double(k))])
        exact.append(["std"] + stds.map(formatDouble) + [""])
        let headers = ["fold"] + names + ["fit time"]
        var table = TextTable(columns: headers.indices.map { j in
            TextTable.Column(header: headers[j], alignment: j == 0 ? .left : .right, cells: cells.map { $0[j] },
                             exactCells: exact.map { $0[j].isEmpty ? nil : $0[j] })
        })
        table.footer = "\(k)-fold cross-validation of \(algorithm) \(formula.text) on \(d.name), seed \(seed)"
        if !unscored.isEmpty {
            table.footer! += "; fold" + (unscored.count == 1 ? " " : "s ") + unscored.map(String.init).joined(separator: ", ")
                + " had no test row of a class its training rows hold: NA, and left out of the mean"
        }
        session.printTable(table)
    }

    /// Mean and sample std of the finite values (NaN when there are none, or too few).
    static func meanStd(_ values: [Double]) -> (mean: Double, std: Double) {
        let v = values.filter { $0.isFinite }
        guard !v.isEmpty else { return (.nan, .nan) }
        let mean = v.reduce(0, +) / Double(v.count)
        guard v.count > 1 else { return (mean, .nan) }
        return (mean, (v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(v.count - 1)).squareRoot())
    }

    static func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

    /// Each fold's score and fit time: the recipe and the model fitted on the other folds.
    static func crossValidate(_ call: CommandCall, _ session: Session, algorithm: Algorithm, formula: Formula, params: [String: Double],
                              on d: Dataset, folds k: Int, seed: UInt64, metric: ScoreMetric? = nil) throws -> ([Score], [Double]) {
        let rows = d.frame.rowCount
        // Rows without a target value cannot be scored or learned from: the folds are cut from the
        // others, so that no fold is left with nothing to test.
        let target = formula.target.flatMap { d.frame.column($0) }
        let usable = target.map { t in (0..<rows).filter { t.isValid($0) } } ?? Array(0..<rows)
        guard usable.count >= k else {
            throw call.error("\(k) folds need at least \(k) rows with a value of \(formula.target ?? "the target"), and \(d.name) has \(usable.count)",
                             hint: "use folds=\(max(2, min(usable.count, 5)))")
        }
        let folds = Folds.make(rows: usable.count, k: k, seed: seed).map { $0.map { usable[$0] } }
        var scores: [Score] = []
        var times: [Double] = []
        for (f, testRows) in folds.enumerated() {
            try session.interrupt.check()
            let inTest = Set(testRows)
            let train = d.subset(name: "\(d.name)[fold \(f + 1) train]", rows: (0..<rows).filter { !inTest.contains($0) }, command: "cv")
            let test = d.subset(name: "\(d.name)[fold \(f + 1)]", rows: testRows, command: "cv")
            let start = ContinuousClock.now
            var trainer = Trainer(call: call, session: session, algorithm: algorithm, params: params)
            trainer.keepsDescription = false
            let model = try trainer.fit(formula: formula, on: train, name: "fold")
            times.append(seconds(ContinuousClock.now - start))
            if let metric, f == 0 { try metric.check(model.task, call) }
            scores.append(try model.score(on: test, session: session, call: call, metric: metric))
        }
        return (scores, times)
    }
}
