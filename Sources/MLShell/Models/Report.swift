import MLFrame
import MLModel
import MLLearn
import MLModel
import MLRender
import MLDiagnostics

/// Text for models: training metrics, coefficient tables, evaluation tables.
enum Report {
    static func f(_ x: Double) -> String { NumberFormat.compact(x, significant: 4) }
    /// Coefficients as shown (7 digits) and in full, which the csv and json table modes write.
    static func numbers(_ v: [Double]) -> [String?] { v.map { NumberFormat.cell($0) } }
    static func exact(_ v: [Double]) -> [String?] { v.map { formatDouble($0) } }

    /// Training rows a knn model is scored on at most: each of its predictions reads every training
    /// row, so scoring them all grows with the square of the rows (200,000 rows: minutes).
    static let knnScoredRows = 2000

    /// `predictions`: the model's values on the design's rows when the fit already made them.
    /// The lines `fit` prints, and the same figures as numbers for the model file.
    /// Rows predicted at a time while scoring the training rows, Ctrl-C checked between them.
    static let scoringChunk = 16_384

    /// The model's predictions for a design's rows, a chunk at a time; nil when `interrupted`.
    static func predictions(_ m: Model, _ x: Matrix, interrupted: @escaping @Sendable () -> Bool) -> (values: [Double], probabilities: [[Double]]?)? {
        if x.rows <= scoringChunk {
            let p = m.predict(x, interrupted: interrupted)
            return interrupted() ? nil : p
        }
        var values: [Double] = []
        var probabilities: [[Double]]? = nil
        values.reserveCapacity(x.rows)
        for start in stride(from: 0, to: x.rows, by: scoringChunk) {
            if interrupted() { return nil }
            let p = m.predict(x.rows(Array(start..<min(x.rows, start + scoringChunk))), interrupted: interrupted)
            values += p.values
            if let q = p.probabilities {
                if probabilities == nil { probabilities = []; probabilities!.reserveCapacity(x.rows) }
                probabilities!.append(contentsOf: q)
            }
        }
        return interrupted() ? nil : (values, probabilities)
    }

    static func training(_ m: Model, _ full: Design, predictions: [Double]? = nil,
                         interrupted: @escaping @Sendable () -> Bool = { false }) -> (lines: [String], metrics: [Model.Metric])? {
        var d = full
        var sampled = ""
        if case .knn = m.estimator, d.x.rows > knnScoredRows {
            var rng = SeededRandom(seed: 0)
            let rows = rng.sampleIndices(d.x.rows, knnScoredRows)
            d.x = d.x.rows(rows)
            d.y = rows.map { full.y[$0] }
            sampled = " (on \(knnScoredRows) sampled training rows)"
        }
        guard let (values, probabilities) = predictions.map({ ($0, nil) }) ?? Report.predictions(m, d.x, interrupted: interrupted) else { return nil }
        switch m.task {
        case .regression:
            let r = Metrics.regression(d.y, values)
            return (["  training\(sampled): RMSE \(f(r.rmse)), MAE \(f(r.mae)), R² \(f(r.r2))"],
                    [.init("rmse", r.rmse), .init("mae", r.mae), .init("r2", r.r2)])
        case .classification:
            let c = Metrics.classification(d.y.map { Int($0) }, values.map { Int($0) }, classes: m.classes!, probabilities: probabilities)
            var metrics: [Model.Metric] = [.init("accuracy", c.accuracy), .init("f1_macro", c.macro.f1)]
            var line = "  classes: " + m.classes!.joined(separator: ", ") + "\n  training\(sampled): accuracy \(f(c.accuracy))"
            if let l = c.logLoss { line += ", log-loss \(f(l))"; metrics.append(.init("log_loss", l)) }
            if let auc = c.rocAUC { metrics.append(.init("roc_auc", auc)) }
            if case .logistic(let fit) = m.estimator { line += " (\(plural(fit.iterations, "iteration")), objective \(f(fit.objective)))" }
            if case .mlp(let fit) = m.estimator, let last = fit.lossCurve.last { line += " (\(plural(fit.lossCurve.count, "epoch")), final loss \(f(last)))" }
            return ([line], metrics)
        case .clustering:
            guard case .kmeans(let fit) = m.estimator else { return ([], []) }
            var line = "  inertia \(f(fit.inertia)) after \(plural(fit.iterations, "iteration"))"
            var metrics: [Model.Metric] = [.init("inertia", fit.inertia)]
            if d.x.rows <= 5000 {
                let rows = (0..<d.x.rows).map { d.x.row($0) }
                let s = Metrics.silhouette(rows, fit.assign(d.x))
                line += ", silhouette \(f(s))"
                metrics.append(.init("silhouette", s))
            }
            return ([line], metrics)
        }
    }

    /// The coefficient table of a linear or logistic model.
    static func coefficients(_ m: Model, _ session: Session) -> [String] {
        let terms = ["(intercept)"] + m.features
        var columns: [TextTable.Column] = [.init(header: "term", alignment: .left, cells: terms)]
        switch m.estimator {
        case .linear(let fit):
            columns.append(.init(header: "estimate", alignment: .right, cells: numbers([fit.intercept] + fit.coefficients), exactCells: exact([fit.intercept] + fit.coefficients)))
            if let se = fit.standardErrors, let p = fit.pValues {
                columns.append(.init(header: "std error", alignment: .right, cells: numbers(se), exactCells: exact(se)))
                columns.append(.init(header: "p-value", alignment: .right, cells: p.map { $0 < 1e-4 ? "<0.0001" : NumberFormat.compact($0, significant: 3) },
                                     exactCells: exact(p)))
            } else if m.algorithm == .linear {
                var note = ["  note: the features are linearly dependent (rank \(fit.rank) of \(m.features.count + 1)): no standard errors;",
                            "        the estimates are the minimum-norm answer"]
                // The usual cause, when the recipe one-hot encodes without dropping a column.
                if m.recipe.entries.contains(where: { if case .oneHot(_, false, _, _) = $0.step { return true }; return false }) {
                    note[1] += ". One-hot columns of one variable add up to the"
                    note.append("        intercept: `encode … onehot … drop=first` removes that dependence")
                } else {
                    note[1] += ". A constant column, or one"
                    note.append("        that is a multiple or a sum of others, does this")
                }
                return note + table(columns, session)
            }
        case .logistic(let fit):
            if fit.weights.count == 1 {
                columns.append(.init(header: "log-odds of \(fit.classes[1])", alignment: .right,
                                     cells: numbers([fit.intercepts[0]] + fit.weights[0]), exactCells: exact([fit.intercepts[0]] + fit.weights[0])))
            } else {
                for (k, c) in fit.classes.enumerated() {
                    columns.append(.init(header: c, alignment: .right, cells: numbers([fit.intercepts[k]] + fit.weights[k]), exactCells: exact([fit.intercepts[k]] + fit.weights[k])))
                }
            }
        case .tree(let fit):
            let t = TextTable(columns: [
                .init(header: "feature", alignment: .left, cells: m.features),
                .init(header: "importance", numbers: fit.importances, shown: { NumberFormat.compact($0, significant: 3) }),
            ])
            var tt = t
            tt.footer = "depth \(fit.depth), \(plural(fit.leaves, "leaf"))".replacingOccurrences("leafs", "leaves")
            return [session.tableRenderer.render(tt, mode: session.settings.table).trimmingSuffix("\n")]
        case .boost(let fit):
            var t = TextTable(columns: [
                .init(header: "feature", alignment: .left, cells: m.features),
                .init(header: "importance", numbers: fit.importances, shown: { NumberFormat.compact($0, significant: 3) }),
            ])
            t.footer = "\(plural(fit.iterations, "iteration")) × \(plural(fit.outputs, "tree")), \(plural(fit.trees.map(\.leaves).reduce(0, +), "leaf"))".replacingOccurrences("leafs", "leaves")
            var lines = [session.tableRenderer.render(t, mode: session.settings.table).trimmingSuffix("\n")]
            if let v = fit.validationLoss, let best = v.min() {
                lines.insert("  held-out loss: \(NumberFormat.compact(best, significant: 4)) at best (a tenth of the rows, left out of the fit, stops it)", at: 0)
            }
            return lines
        case .forest(let fit):
            var t = TextTable(columns: [
                .init(header: "feature", alignment: .left, cells: m.features),
                .init(header: "importance", numbers: fit.importances, shown: { NumberFormat.compact($0, significant: 3) }),
            ])
            let depths = fit.trees.map(\.depth), leaves = fit.trees.map(\.leaves)
            t.footer = "\(plural(fit.trees.count, "tree")), depth \(depths.min() ?? 0)–\(depths.max() ?? 0), "
                + "\(leaves.reduce(0, +) / max(1, leaves.count)) leaves on average"
            var lines = [session.tableRenderer.render(t, mode: session.settings.table).trimmingSuffix("\n")]
            if let oob = fit.oobScore {
                lines.insert("  out-of-bag \(m.classes != nil ? "accuracy" : "R²"): \(NumberFormat.compact(oob, significant: 4)) (each row scored by the trees that did not draw it)", at: 0)
            }
            return lines
        default:
            return []
        }
        return table(columns, session)
    }

    static func table(_ columns: [TextTable.Column], _ session: Session) -> [String] {
        var t = TextTable(columns: columns)
        t.footer = plural(columns[0].cells.count, "term")
        return [session.tableRenderer.render(t, mode: session.settings.table).trimmingSuffix("\n")]
    }
}

extension String {
    func replacingOccurrences(_ a: String, _ b: String) -> String {
        var out = ""
        var rest = Substring(self)
        while let r = rest.firstRange(of: a) { out += rest[..<r.lowerBound] + b; rest = rest[r.upperBound...] }
        return out + rest
    }

    /// Drops a "  classes: …" first line (show MODEL prints the classes itself).
    func replacingFirstLine() -> String {
        hasPrefix("  classes:") ? split(separator: "\n", maxSplits: 1).dropFirst().joined() : self
    }

    func trimmingSuffix(_ s: String) -> String { hasSuffix(s) ? String(dropLast(s.count)) : self }
}
