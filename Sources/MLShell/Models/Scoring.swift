import MLDiagnostics
import MLFrame
import MLModel
import MLLearn

/// One number to rank models by, with the others worth showing beside it.
struct Score {
    /// (name, value) pairs; the first is the one models are ranked by.
    var metrics: [(String, Double)]
    var lowerIsBetter: Bool
    /// Rows whose class the model never saw: left out of the metrics, and said so.
    var unseen = 0
    /// The rows scored (a model leaves out rows missing a feature; boost keeps them).
    var rows = 0
    var primary: Double { metrics[0].1 }

    /// A metric's value by name; NaN when this score lacks it (a model without probabilities
    /// has no AUC, a fold without a known class no figures).
    func value(_ name: String) -> Double { metrics.first { $0.0 == name }?.1 ?? .nan }

    /// The metric names of several scores: the ranking one first, then the rest in their usual order.
    static func names(_ scores: [Score]) -> [String] {
        var names: [String] = []
        for s in scores { for (n, _) in s.metrics where !names.contains(n) { names.append(n) } }
        guard let first = scores.first?.metrics.first?.0 else { return names }
        let usual = ["accuracy", "ROC AUC", "macro F1", "log-loss", "RMSE", "MAE", "R²"]
        let rest = names.filter { $0 != first }.sorted { (usual.firstIndex(of: $0) ?? 99, names.firstIndex(of: $0)!) < (usual.firstIndex(of: $1) ?? 99, names.firstIndex(of: $1)!) }
        return [first] + rest
    }
}

/// A metric to rank models by (`metric=` on cv, search and compare), with scikit-learn's
/// definitions. For two classes, precision, recall and F1 are the positive class's (the second
/// class); for more, their macro averages; ROC and PR AUC one-vs-rest, macro.
enum ScoreMetric: String, CaseIterable {
    case accuracy, balancedAccuracy = "balanced_accuracy", f1, precision, recall
    case rocAUC = "roc_auc", prAUC = "pr_auc", logLoss = "log_loss"
    case rmse, mae, r2, mape
    case inertia

    /// What kind of model it measures.
    var task: ModelTask {
        switch self {
        case .rmse, .mae, .r2, .mape: return .regression
        case .inertia: return .clustering
        default: return .classification
        }
    }
    var forClasses: Bool { task == .classification }
    var lowerIsBetter: Bool { [.logLoss, .rmse, .mae, .mape, .inertia].contains(self) }

    static func names(for task: ModelTask) -> [String] {
        allCases.filter { $0.task == task }.map(\.rawValue)
    }

    /// The metric `metric=` names, checked against the task; nil when none was given.
    static func read(_ call: CommandCall, task: ModelTask?) throws -> ScoreMetric? {
        guard let e = call.freeOptions.first(where: { $0.name.text == "metric" })?.value ?? call.expr("metric") else { return nil }
        guard let word = e.asName?.text else {
            throw Diagnostic(.badArgument, .error, "metric= takes a metric's name, e.g. metric=roc_auc", file: call.file, range: e.range,
                             hint: "the metrics: " + (task.map(names(for:)) ?? allCases.map(\.rawValue)).joined(separator: ", "))
        }
        guard let m = ScoreMetric(rawValue: word) else {
            let names = task.map(names(for:)) ?? allCases.map(\.rawValue)
            throw Diagnostic(.badArgument, .error, "no metric '\(word)'", file: call.file, range: e.range,
                             hint: Suggest.didYouMean(word, in: names) ?? "the metrics: " + names.joined(separator: ", "))
        }
        if let task { try m.check(task, call) }
        return m
    }

    /// Refuses a metric of classes for a model of values, and the other way round.
    func check(_ task: ModelTask, _ call: CommandCall) throws {
        let range = (call.freeOptions.first(where: { $0.name.text == "metric" })?.value ?? call.expr("metric"))?.range
        func kind(_ t: ModelTask) -> String { t == .classification ? "classes" : t == .regression ? "values" : "clusters" }
        guard task == self.task else {
            throw Diagnostic(.badArgument, .error, "\(rawValue) measures \(kind(self.task)), and this model predicts \(kind(task))",
                             file: call.file, range: range, hint: "the metrics for it: " + Self.names(for: task).joined(separator: ", "))
        }
    }
}

extension Model {
    /// The model's metrics on a dataset (its raw rows through the model's recipe); `metric` first
    /// when one was asked for.
    func score(on d: Dataset, session: Session, call: CommandCall, metric: ScoreMetric? = nil) throws -> Score {
        let (design, _) = try self.design(for: d, session: session, call: call, needTarget: task != .clustering, inBlocks: true)
        guard design.rowCount > 0 else { throw call.error("no row of \(d.name) has values in every model column") }
        let (values, probabilities) = predict(design, interrupted: session.interruptCheck)
        try session.interrupt.check()
        var score = try scored(design, values, probabilities, metric: metric)
        score.rows = design.rowCount
        return score
    }

    private func scored(_ design: Design, _ values: [Double], _ probabilities: [[Double]]?, metric: ScoreMetric?) throws -> Score {
        switch task {
        case .regression:
            let r = Metrics.regression(design.y, values)
            var m: [(String, Double)] = [("RMSE", r.rmse), ("MAE", r.mae), ("R²", r.r2)]
            if let metric {
                let chosen: (String, Double) = switch metric {
                case .mae: ("MAE", r.mae)
                case .r2: ("R²", r.r2)
                case .mape: ("MAPE", r.mape)
                default: ("RMSE", r.rmse)
                }
                m = [chosen] + m.filter { $0.0 != chosen.0 }
            }
            return Score(metrics: m, lowerIsBetter: metric?.lowerIsBetter ?? true)
        case .classification:
            let known = zip(design.y, values).filter { $0.0 >= 0 }
            // No row of a class the model knows (a fold whose test rows hold only classes its
            // training rows lack): there is nothing to score, not a score of 0.
            let binary = classes!.count == 2
            let pos = positiveIndex ?? 1
            if known.isEmpty {
                var names = binary ? ["accuracy", "ROC AUC", "macro F1", "log-loss"] : ["accuracy", "macro F1", "log-loss"]
                if let metric { names = [Self.metricName(metric, classes: classes!, positive: pos)] + names.filter { $0 != Self.metricName(metric, classes: classes!, positive: pos) } }
                return Score(metrics: names.map { ($0, .nan) }, lowerIsBetter: metric?.lowerIsBetter ?? false, unseen: design.y.count)
            }
            let kept = design.y.indices.filter { design.y[$0] >= 0 }
            let p = probabilities.map { p in kept.map { p[$0] } }
            let truth = known.map { Int($0.0) }
            let c = Metrics.classification(truth, known.map { Int($0.1) }, classes: classes!, probabilities: p)
            // Two classes: AUC beside accuracy by default; the positive class is the second.
            var m: [(String, Double)] = [("accuracy", c.accuracy)]
            if binary, let auc = c.rocAUC { m.append(("ROC AUC", auc)) }
            m.append(("macro F1", c.macro.f1))
            if let l = c.logLoss { m.append(("log-loss", l)) }
            if let metric {
                let name = Self.metricName(metric, classes: classes!, positive: pos)
                let value: Double
                switch metric {
                case .accuracy: value = c.accuracy
                case .balancedAccuracy: value = Metrics.balancedAccuracy(c)
                case .f1: value = binary ? c.f1[pos] : c.macro.f1
                case .precision: value = binary ? c.precision[pos] : c.macro.precision
                case .recall: value = binary ? c.recall[pos] : c.macro.recall
                case .rocAUC: value = c.rocAUC ?? .nan
                case .prAUC:
                    if let p {
                        let per = (binary ? [pos] : Array(0..<classes!.count)).compactMap { k in Metrics.averagePrecision(truth.map { $0 == k }, p.map { $0[k] }) }
                        value = per.isEmpty ? .nan : per.reduce(0, +) / Double(per.count)
                    } else { value = .nan }
                case .logLoss: value = c.logLoss ?? .nan
                default: value = .nan
                }
                m = [(name, value)] + m.filter { $0.0 != name }
            }
            return Score(metrics: m, lowerIsBetter: metric?.lowerIsBetter ?? false, unseen: design.y.count - known.count)
        case .clustering:
            guard case .kmeans(let fit) = estimator else { return Score(metrics: [], lowerIsBetter: true) }
            let labels = fit.assign(design.x)
            var inertia = 0.0
            for r in 0..<design.x.rows {
                let p = design.x.row(r), c = fit.centers[labels[r]]
                inertia += zip(p, c).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
            }
            return Score(metrics: [("inertia", inertia)], lowerIsBetter: true)
        }
    }
}

extension Model {
    /// A metric's column header: for two classes, precision, recall and F1 name the positive class.
    static func metricName(_ m: ScoreMetric, classes: [String], positive: Int = 1) -> String {
        let binary = classes.count == 2
        let positive = binary ? classes[positive] : ""
        switch m {
        case .accuracy: return "accuracy"
        case .balancedAccuracy: return "balanced accuracy"
        case .f1: return binary ? "F1 (\(positive))" : "macro F1"
        case .precision: return binary ? "precision (\(positive))" : "macro precision"
        case .recall: return binary ? "recall (\(positive))" : "macro recall"
        case .rocAUC: return "ROC AUC"
        case .prAUC: return binary ? "PR AUC (\(positive))" : "macro PR AUC"
        case .logLoss: return "log-loss"
        case .rmse: return "RMSE"
        case .mae: return "MAE"
        case .r2: return "R²"
        case .mape: return "MAPE"
        case .inertia: return "inertia"
        }
    }
}

/// k folds of a dataset's rows, shuffled by a seed (as scikit-learn's KFold with shuffle).
enum Folds {
    static func make(rows: Int, k: Int, seed: UInt64) -> [[Int]] {
        var rng = SeededRandom(seed: seed)
        var order = Array(0..<rows)
        for i in stride(from: rows - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        // The first rows % k folds get one row more.
        var folds: [[Int]] = []
        var start = 0
        for f in 0..<k {
            let size = rows / k + (f < rows % k ? 1 : 0)
            folds.append(order[start..<(start + size)].sorted())
            start += size
        }
        return folds
    }
}
