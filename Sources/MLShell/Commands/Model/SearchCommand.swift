import MLDiagnostics
import MLFrame
import MLModel
import MLLanguage
import MLLearn
import MLRender

/// `search ALGO FORMULA on DS PARAM=[v1, v2, …] … [folds=5] [random=N] [as NAME]`
struct SearchCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "search", stage: .model,
        abstract: "Search an algorithm's parameters by cross-validation, and keep the best model",
        discussion: """
            Each list-valued parameter is a set of values to try: every combination (a grid), or random=N
            of them. Each is cross-validated (folds=, 5); the table ranks them by the first metric (RMSE for
            numbers, accuracy for classes, inertia for clusters). The best is fitted again on all rows and
            bound (as NAME, default 'best').
            """,
        parameters: [
            Parameter("ALGO", .expression, "the algorithm (see help fit)"),
            Parameter("FORMULA", .expression, "target ~ predictors", optional: true),
            Parameter("DS", .dataset, "the dataset", keyword: "on"),
        ],
        freeOptions: ("PARAM=[…]", "values to try; folds=, seed=, random=N and metric= (what ranks them) too"),
        binds: ["NAME"],
        examples: [
            Example("load \"tutorials/data/mtcars.csv\""),
            Example("search ridge mpg ~ . - model on mtcars alpha=[0.1, 1, 10, 100] folds=4 as tuned"),
        ])

    static func run(_ call: CommandCall, in session: Session) throws {
        let (algorithm, formula, fixed) = try ModelCommandParts.read(call, session, extra: ["folds", "seed", "random", "metric"], lists: true)
        let metric = try ScoreMetric.read(call, task: nil)
        let d = try call.dataset(session, parameter: "DS")
        let valid = algorithm.parameters.map(\.name)
        // Each searched parameter's candidates; a candidate can set several keys (hidden=[[8, 4]]
        // is two layers: hidden0 and hidden1).
        var grid: [(String, [[String: Double]])] = []
        for (name, value) in call.freeOptions {
            guard case .list(let items) = value.kind else { continue }
            guard valid.contains(name.text) else {
                throw Diagnostic(.unknownOption, .error, "'\(algorithm)' has no parameter '\(name.text)'", file: call.file, range: name.range,
                                 hint: valid.isEmpty ? "\(algorithm) has no parameters to search" : "its parameters: " + valid.joined(separator: ", "))
            }
            // hidden=[16, 64] tries one hidden layer of each size; hidden=[[16, 8], [32]] two shapes.
            let values = try items.map { try ModelCommandParts.parameter(name.text, $0, call, session) }
            guard !values.isEmpty else { throw Diagnostic(.badArgument, .error, "\(name.text)=[] has nothing to try", file: call.file, range: value.range) }
            grid.append((name.text, values))
        }
        guard !grid.isEmpty else {
            throw call.error("'search' needs at least one parameter with values to try, e.g. alpha=[0.1, 1, 10]", id: .missingArgument)
        }
        var combos: [[String: Double]] = [[:]]
        for (_, values) in grid {
            combos = combos.flatMap { c in values.map { v in c.merging(v) { $1 } } }
        }
        let seed = fixed["seed"].map { UInt64(max(0, $0)) } ?? session.settings.seed
        if let n = fixed["random"] {
            var rng = SeededRandom(seed: seed)
            combos = rng.sampleIndices(combos.count, Int(n)).map { combos[$0] }
        }
        let k = Int(fixed["folds"] ?? 5)
        guard k >= 2, k <= d.frame.rowCount else { throw call.error("folds= must be from 2 to the number of rows (\(d.frame.rowCount))") }
        var base = fixed
        for key in ["folds", "random"] { base[key] = nil }
        if ![.kmeans, .mlp].contains(algorithm) { base["seed"] = nil }
        var results: [(params: [String: Double], mean: Double, std: Double, time: Double, metric: String, lower: Bool)] = []
        for combo in combos {
            let params = base.merging(combo) { $1 }
            let (scores, times) = try CVCommand.crossValidate(call, session, algorithm: algorithm, formula: formula, params: params, on: d, folds: k, seed: seed, metric: metric)
            let (mean, std) = CVCommand.meanStd(scores.map(\.primary))
            results.append((params, mean, std, times.reduce(0, +) / Double(times.count), scores[0].metrics[0].0, scores[0].lowerIsBetter))
        }
        let lower = results[0].lower
        guard results.contains(where: { $0.mean.isFinite }) else {
            throw call.error("no candidate has a score: every fold's test rows hold classes its training rows lack",
                             hint: "use fewer folds (folds=2), or stratify the data so each class has several rows")
        }
        // Unscored candidates (NA) rank last.
        let ranked = results.indices.sorted { a, b in
            let x = results[a].mean, y = results[b].mean
            if x.isFinite != y.isFinite { return x.isFinite }
            return lower ? x < y : x > y
        }
        func f(_ x: Double) -> String { NumberFormat.compact(x, significant: 4) }
        let names = grid.map(\.0)
        /// A searched parameter's value in a candidate: hidden as its layer sizes.
        func shown(_ n: String, _ params: [String: Double]) -> String {
            guard n == "hidden" else { return params[n].map(Value.formatNumber) ?? "none" }
            var layers: [String] = []
            while let size = params["hidden\(layers.count)"] { layers.append(Value.formatNumber(size)) }
            return layers.count == 1 ? layers[0] : "[" + layers.joined(separator: ", ") + "]"
        }
        var columns: [TextTable.Column] = [.init(header: "rank", alignment: .right, cells: ranked.indices.map { String($0 + 1) })]
        for n in names {
            columns.append(.init(header: n, alignment: .right, cells: ranked.map { shown(n, results[$0].params) }))
        }
        columns.append(.init(header: "mean \(results[0].metric)", numbers: ranked.map { results[$0].mean }, shown: f))
        columns.append(.init(header: "std", numbers: ranked.map { results[$0].std }, shown: f))
        columns.append(.init(header: "fit time", alignment: .right, cells: ranked.map { session.recording ? "–" : Runner.formatElapsed(.seconds(results[$0].time)) }))
        var table = TextTable(columns: columns)
        table.footer = "\(plural(combos.count, "candidate")) × \(k) folds, seed \(seed)"
        session.printTable(table)
        let best = results[ranked[0]].params
        let name = call.binding.first?.text ?? "best"
        if let b = call.binding.first { try session.checkBindable(b, in: call.file) }
        let model = try Trainer(call: call, session: session, algorithm: algorithm, params: best).fit(formula: formula, on: d, name: name)
        session.bind(name, .model(model))
        session.print("best: " + names.map { "\($0)=\(shown($0, best))" }.joined(separator: " ") + " — fitted again on all of \(d.name) as \(name)")
    }
}
