import MLDiagnostics
import MLFrame
import MLModel
import MLLearn
import MLLanguage
import MLRender

/// `plot MODEL KIND [on DS] [options] [to "FILE.svg"]`: a model's pictures, drawn by the plot kit.
enum ModelPlots {
    static let kinds = ["confusion", "roc", "pr", "threshold", "residuals", "importance", "loss", "clusters"]

    static func run(_ m: Model, _ call: CommandCall, _ session: Session) throws {
        // The words after the model: KIND, then optionally `on DS`.
        var words = call.command.arguments.compactMap { arg -> Expr? in if case .positional(let e) = arg { return e }; return nil }
        // `to "FILE.svg"` is the FILE parameter, read below.
        if words.count >= 2, words[words.count - 2].asName?.text == "to", case .string = words[words.count - 1].kind { words.removeLast(2) }
        guard words.count >= 2, let kind = words[1].asName?.text else {
            throw call.error("'plot \(m.name)' needs a kind: " + kinds.joined(separator: ", "), id: .missingArgument)
        }
        guard kinds.contains(kind) else {
            throw Diagnostic(.badArgument, .error, "no '\(kind)' plot for a model", file: call.file, range: words[1].range,
                             hint: Suggest.didYouMean(kind, in: kinds) ?? "the kinds: " + kinds.joined(separator: ", "))
        }
        var dataset: Dataset? = nil
        if words.count >= 4, words[2].asName?.text == "on", let n = words[3].asName {
            guard let d = session.dataset(named: n.text) else {
                throw Diagnostic(.unknownName, .error, "no dataset named '\(n.text)'", file: call.file, range: n.range,
                                 hint: Suggest.didYouMean(n.text, in: session.datasetNames))
            }
            dataset = d
        } else if words.count > 2 {
            throw Diagnostic(.badArgument, .error, "expected 'on DS' here", file: call.file, range: words[2].range)
        }
        let o = try PlotCommand.options(call, session)
        // importance on DS: permutation importance on those rows (any model); without, the model's own.
        let needsData = !["importance", "loss"].contains(kind) || (kind == "importance" && dataset != nil)
        let d: Dataset? = needsData ? (dataset ?? session.dataset(named: m.trainedOn)) : nil
        if needsData && d == nil { throw call.error("'plot \(m.name) \(kind)' needs rows: add 'on DS'", id: .missingArgument) }
        let figure = try make(kind, m, d, call, session, o)
        if let path = try call.string("FILE") {
            try FileText.writeAtomically(path, Array(figure.svg(o).utf8))
            session.print("wrote the \(kind) plot of \(m.name) to \(path)")
        } else {
            session.show(figure, o)
        }
    }

    static func make(_ kind: String, _ m: Model, _ d: Dataset?, _ call: CommandCall, _ session: Session, _ o: PlotOptions) throws -> Figure {
        func needs(_ task: ModelTask) throws {
            guard m.task == task else {
                throw call.error("a \(kind) plot is for \(task.rawValue) models; \(m.name) does \(m.task.rawValue)",
                                 hint: m.task == .classification ? "try confusion or roc" : m.task == .regression ? "try residuals or importance" : "try clusters")
            }
        }
        var design: Design? = nil
        var pred: [Double] = [], probs: [[Double]]? = nil
        if let d {
            design = try m.design(for: d, session: session, call: call, needTarget: m.task != .clustering).0
            if let y = design?.y, y.contains(-1) {
                throw call.error("\(plural(y.filter { $0 < 0 }.count, "row")) of \(d.name) have a \(m.target!) the model never saw",
                                 hint: "the classes it knows: " + (m.classes ?? []).joined(separator: ", ") + "; plot on rows of those classes (where …)")
            }
            (pred, probs) = m.predict(design!.x)
        }
        switch kind {
        case "confusion":
            try needs(.classification)
            let c = Metrics.classification(design!.y.map { Int($0) }, pred.map { Int($0) }, classes: m.classes!, probabilities: nil)
            var p = HeatmapPlot(rowLabels: m.classes!.map { "true " + $0 }, columnLabels: m.classes!.map { "pred " + $0 },
                                values: c.confusion.map { $0.map(Double.init) }, range: (0, Double(c.confusion.flatMap { $0 }.max() ?? 1)))
            p.decimals = 0
            p.diverging = false
            p.footnotes = ["rows: true class, columns: predicted; accuracy \(NumberFormat.compact(c.accuracy))"]
            return .heat(p)
        case "roc", "pr":
            try needs(.classification)
            guard let probs else { throw call.error("\(m.name) gives no probabilities to draw a curve from") }
            let y = design!.y.map { Int($0) }
            let classes = m.classes!
            let which = classes.count == 2 ? [try BinaryChoice.read(call, m)!.positive] : Array(classes.indices)
            var series: [XYPlot.Series] = []
            for c in which {
                let (xs, ys) = curve(kind, positive: y.map { $0 == c }, score: probs.map { $0[c] })
                series.append(XYPlot.Series(name: classes[c] + (classes.count > 2 ? " vs rest" : ""), xs: xs, ys: ys, connect: true))
            }
            var p = XYPlot(series: series, xLabel: kind == "roc" ? "false positive rate" : "recall", yLabel: kind == "roc" ? "true positive rate" : "precision")
            if kind == "roc", let auc = Metrics.classification(y, pred.map { Int($0) }, classes: classes, probabilities: probs).rocAUC {
                p.footnotes = ["ROC AUC \(NumberFormat.compact(auc))" + (classes.count > 2 ? " (one-vs-rest, macro)" : "")]
            }
            return .xy(p)
        case "threshold":
            try needs(.classification)
            guard let choice = try BinaryChoice.read(call, m) else { throw call.error("a threshold plot is for a model of two classes; \(m.name) has \(m.classes!.count)") }
            guard let probs else { throw call.error("\(m.name) gives no probabilities to set a threshold on") }
            let y = design!.y.map { Int($0) == choice.positive }
            let scores = probs.map { $0[choice.positive] }
            let curves = thresholdCurves(positive: y, score: scores)
            var p = XYPlot(series: [XYPlot.Series(name: "precision", xs: curves.thresholds, ys: curves.precision, connect: true),
                                    XYPlot.Series(name: "recall", xs: curves.thresholds, ys: curves.recall, connect: true),
                                    XYPlot.Series(name: "F1", xs: curves.thresholds, ys: curves.f1, connect: true)],
                           xLabel: "threshold: P(\(choice.positiveName))", yLabel: "")
            if let best = curves.f1.indices.max(by: { curves.f1[$0] < curves.f1[$1] }) {
                p.footnotes = ["best F1 \(NumberFormat.compact(curves.f1[best])) at threshold=\(NumberFormat.compact(curves.thresholds[best], significant: 3)) "
                               + "(precision \(NumberFormat.compact(curves.precision[best])), recall \(NumberFormat.compact(curves.recall[best]))); "
                               + "evaluate \(m.name) on \(d!.name) threshold=\(NumberFormat.compact(curves.thresholds[best], significant: 3)) scores it"]
            }
            return .xy(p)
        case "residuals":
            try needs(.regression)
            let residuals = zip(design!.y, pred).map { $0 - $1 }
            var p = XYPlot(series: [XYPlot.Series(name: "", xs: pred, ys: residuals, connect: false)], xLabel: "predicted \(m.target!)", yLabel: "residual")
            p.footnotes = ["a good fit scatters evenly around 0"]
            return .xy(p)
        case "importance" where d != nil:
            guard m.task != .clustering else { throw call.error("permutation importance needs a target; \(m.name) finds clusters") }
            // Every feature is measured 5 times over the rows: past 5,000 rows, 5,000 drawn with the seed.
            var x = design!.x, y = design!.y
            var sampled = ""
            if x.rows > 5_000 {
                var random = SeededRandom(seed: session.settings.seed)
                let pick = random.sampleIndices(x.rows, 5_000)
                x = x.rows(pick)
                y = pick.map { y[$0] }
                sampled = " (5,000 of its rows, drawn with the seed)"
            }
            let result = permutationImportance(m, x: x, y: y, seed: session.settings.seed, interrupted: session.interruptCheck)
            try session.interrupt.check()
            var bars = BarPlot(bars: zip(m.features, result.mean).sorted { $0.1 > $1.1 }.map { BarPlot.Bar(label: $0.0, value: $0.1) },
                               valueLabel: "drop in \(result.metric)", categoryLabel: "feature", integerValues: false)
            bars.footnotes = ["permutation importance on \(d!.name)\(sampled): how much \(result.metric) falls when the feature's values are shuffled "
                              + "(mean of 5 shuffles, seed \(session.settings.seed)); baseline \(result.metric) \(NumberFormat.compact(result.baseline))"]
            return .bars(bars)
        case "importance":
            guard let (names, values) = coefficients(m) else {
                throw call.error("\(m.algorithm) has no coefficients or importances to show",
                                 hint: "plot \(m.name) importance on DS measures any model by permutation; the model's own are for linear, logistic, tree, forest and boost")
            }
            let isTree: Bool = {
                switch m.estimator {
                case .tree, .forest, .boost: return true
                default: return false
                }
            }()
            var bars = BarPlot(bars: zip(names, values).sorted { abs($0.1) > abs($1.1) }.map { BarPlot.Bar(label: $0.0, value: $0.1) },
                               valueLabel: isTree ? "importance" : "coefficient", categoryLabel: "feature", integerValues: false)
            bars.footnotes = [isTree ? "impurity decrease each feature brings, summing to 1 (scikit-learn's feature_importances_)"
                                     : "coefficients on the features' own scales: scale them first to compare sizes"]
            return .bars(bars)
        case "loss":
            let curve: [Double]
            switch m.estimator {
            case .logistic(let fit): curve = fit.lossCurve
            case .mlp(let fit): curve = fit.lossCurve
            case .boost(let fit): curve = fit.lossCurve
            default: curve = []
            }
            guard !curve.isEmpty else {
                throw call.error("\(m.name) has no training curve", hint: "iterative fits (logistic, mlp, boost) record one")
            }
            return .xy(XYPlot(series: [XYPlot.Series(name: "", xs: curve.indices.map { Double($0 + 1) }, ys: curve, connect: true)],
                              xLabel: m.algorithm == .mlp ? "epoch" : "iteration", yLabel: "loss"))
        default:  // clusters
            try needs(.clustering)
            guard m.features.count >= 2 else { throw call.error("a clusters plot needs two features; \(m.name) has one") }
            let x = design!.x
            let groups = Dictionary(grouping: 0..<x.rows) { Int(pred[$0]) }
            let series = groups.keys.sorted().map { g in
                XYPlot.Series(name: "cluster \(g)", xs: groups[g]!.map { x[$0, 0] }, ys: groups[g]!.map { x[$0, 1] }, connect: false)
            }
            var p = XYPlot(series: series, xLabel: m.features[0], yLabel: m.features[1])
            if m.features.count > 2 { p.footnotes = ["the first two of \(m.features.count) features"] }
            return .xy(p)
        }
    }

    static func coefficients(_ m: Model) -> ([String], [Double])? {
        switch m.estimator {
        case .linear(let fit): return (m.features, fit.coefficients)
        case .tree(let fit): return (m.features, fit.importances)
        case .forest(let fit): return (m.features, fit.importances)
        case .boost(let fit): return (m.features, fit.importances)
        case .logistic(let fit) where fit.weights.count == 1: return (m.features, fit.weights[0])
        case .logistic(let fit):
            // The largest absolute weight over the classes.
            return (m.features, m.features.indices.map { j in fit.weights.map { $0[j] }.max { abs($0) < abs($1) }! })
        default: return nil
        }
    }

    /// ROC (false/true positive rate) or precision–recall points over every threshold.
    /// `plot roc m1, m2, … on DS` (or pr): one curve per model, for the positive class of two
    /// classes, with each model's AUC (ROC) or average precision (PR) in its name.
    static func curves(_ kind: String, _ call: CommandCall, _ session: Session) throws {
        var words = call.command.arguments.compactMap { arg -> Expr? in if case .positional(let e) = arg { return e }; return nil }
        if words.count >= 2, words[words.count - 2].asName?.text == "to", case .string = words[words.count - 1].kind { words.removeLast(2) }
        guard let on = words.firstIndex(where: { $0.asName?.text == "on" }), on >= 2, on + 1 < words.count,
              let dsName = words[on + 1].asName?.text else {
            throw call.error("plot \(kind) of several models: plot \(kind) M1, M2 on DS", id: .missingArgument)
        }
        guard let d = session.dataset(named: dsName) else {
            throw Diagnostic(.unknownName, .error, "no dataset named '\(dsName)'", file: call.file, range: words[on + 1].range,
                             hint: Suggest.didYouMean(dsName, in: session.datasetNames))
        }
        var models: [Model] = []
        for e in words[1..<on] {
            guard let n = e.asName?.text, let m = session.model(named: n) else {
                let word = e.asName?.text ?? ExprPrinter.print(e)
                throw Diagnostic(.unknownName, .error, "no model named '\(word)'", file: call.file, range: e.range,
                                 hint: Suggest.didYouMean(word, in: session.modelNames) ?? "the models: " + session.modelNames.joined(separator: ", "))
            }
            guard let classes = m.classes, classes.count == 2 else {
                throw Diagnostic(.badArgument, .error, "\(n) is not a model of two classes: curves of several models are for two", file: call.file, range: e.range,
                                 hint: m.classes != nil ? "plot \(n) \(kind) on \(d.name) draws one curve per class" : "\(n) predicts \(m.task == .clustering ? "clusters" : "values"), which have no \(kind) curve")
            }
            models.append(m)
        }
        guard Set(models.map { $0.target ?? "" }).count == 1 else {
            throw call.error("these models predict different targets", hint: "draw models of one target together")
        }
        var series: [XYPlot.Series] = []
        for m in models {
            let choice = try BinaryChoice.read(call, m)!
            let design = try m.design(for: d, session: session, call: call, needTarget: true).0
            guard !design.y.contains(-1) else { throw call.error("rows of \(d.name) have a \(m.target!) \(m.name) never saw") }
            guard let probs = m.predict(design.x).probabilities else { throw call.error("\(m.name) gives no probabilities to draw a curve from") }
            let positive = design.y.map { Int($0) == choice.positive }, score = probs.map { $0[choice.positive] }
            let (xs, ys) = curve(kind, positive: positive, score: score)
            let area = kind == "roc" ? Metrics.auc(positive, score) : Metrics.averagePrecision(positive, score)
            series.append(XYPlot.Series(name: "\(m.name) (\(kind == "roc" ? "AUC" : "AP") \(area.map { NumberFormat.compact($0, significant: 3) } ?? "NA"))",
                                        xs: xs, ys: ys, connect: true))
        }
        let positiveName = try BinaryChoice.read(call, models[0])!.positiveName
        var p = XYPlot(series: series, xLabel: kind == "roc" ? "false positive rate" : "recall", yLabel: kind == "roc" ? "true positive rate" : "precision")
        p.footnotes = ["positive class \(positiveName), on \(d.name)"]
        let o = try PlotCommand.options(call, session)
        let figure = Figure.xy(p)
        if let path = try call.string("FILE") {
            try FileText.writeAtomically(path, Array(figure.svg(o).utf8))
            session.print("wrote the \(kind) plot of \(models.map(\.name).joined(separator: ", ")) to \(path)")
        } else {
            session.show(figure, o)
        }
    }

    /// Permutation importance (scikit-learn's `permutation_importance`, n_repeats=5): the fall of
    /// the score (accuracy, or R²) when one feature's column is shuffled, averaged over repeats.
    static func permutationImportance(_ m: Model, x designX: Matrix, y: [Double], seed: UInt64, interrupted: @escaping @Sendable () -> Bool)
        -> (metric: String, baseline: Double, mean: [Double]) {
        let classes = m.classes != nil
        func score(_ x: Matrix) -> Double {
            let (values, _) = m.predict(x, interrupted: interrupted)
            if classes { return Double(zip(values, y).filter { $0.0 == $0.1 }.count) / Double(max(1, values.count)) }
            return Metrics.regression(y, values).r2
        }
        let baseline = score(designX)
        var random = SeededRandom(seed: seed)
        var mean = [Double](repeating: 0, count: designX.cols)
        for j in 0..<designX.cols {
            for _ in 0..<5 {
                if interrupted() { return (classes ? "accuracy" : "R²", baseline, mean) }
                var x = designX
                var order = Array(0..<x.rows)
                for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(random.next() % UInt64(i + 1))) }
                let column = Array(designX.column(j))
                for r in 0..<x.rows { x[r, j] = column[order[r]] }
                mean[j] += (baseline - score(x)) / 5
            }
        }
        return (classes ? "accuracy" : "R²", baseline, mean)
    }

    /// Precision, recall and F1 of the positive class when it is predicted from each threshold
    /// up: at most 200 thresholds, evenly spaced over the scores' quantiles.
    static func thresholdCurves(positive: [Bool], score: [Double]) -> (thresholds: [Double], precision: [Double], recall: [Double], f1: [Double]) {
        let distinct = Array(Set(score)).sorted()
        let step = max(1, distinct.count / 200)
        let thresholds = stride(from: 0, to: distinct.count, by: step).map { distinct[$0] }
        let total = Double(positive.filter { $0 }.count)
        var precision: [Double] = [], recall: [Double] = [], f1: [Double] = []
        for t in thresholds {
            var tp = 0.0, fp = 0.0
            for (y, s) in zip(positive, score) where s >= t { if y { tp += 1 } else { fp += 1 } }
            let p = tp + fp > 0 ? tp / (tp + fp) : 0, r = total > 0 ? tp / total : 0
            precision.append(p)
            recall.append(r)
            f1.append(p + r > 0 ? 2 * p * r / (p + r) : 0)
        }
        return (thresholds, precision, recall, f1)
    }

    static func curve(_ kind: String, positive: [Bool], score: [Double]) -> ([Double], [Double]) {
        let order = score.indices.sorted { score[$0] > score[$1] }
        let p = Double(positive.filter { $0 }.count), n = Double(positive.count) - p
        var tp = 0.0, fp = 0.0
        var xs: [Double] = kind == "roc" ? [0] : [], ys: [Double] = kind == "roc" ? [0] : []
        for (k, i) in order.enumerated() {
            if positive[i] { tp += 1 } else { fp += 1 }
            if k + 1 < order.count && score[order[k + 1]] == score[i] { continue }
            if kind == "roc" { xs.append(n > 0 ? fp / n : 0); ys.append(p > 0 ? tp / p : 0) }
            else { xs.append(p > 0 ? tp / p : 0); ys.append(tp / (tp + fp)) }
        }
        return (xs, ys)
    }
}
