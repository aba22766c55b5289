import MLDiagnostics
import MLFrame
import MLModel
import MLLearn
import MLModel
import MLPrep
import MLRender

/// Fits a model as `fit` describes: re-fits the dataset's recipe on its rows, builds the design,
/// fits the algorithm, and writes the summary (parameters, rows, time, training metrics, coefficients).
struct Trainer {
    let call: CommandCall
    let session: Session
    let algorithm: Algorithm
    let params: [String: Double]
    /// Whether the model gets its training sample and reference profile (a fold of cv needs neither).
    var keepsDescription = true

    func p(_ name: String, _ value: Double) -> Double { params[name] ?? value }

    func fail(_ message: String, hint: String? = nil) -> Diagnostic {
        Diagnostic(.learnError, .error, message, file: call.file, range: call.command.range, hint: hint)
    }

    func fit(formula: Formula, on d: Dataset, name: String) throws -> Model {
        let engine = SessionExpressionEngine(session: session, datasetName: d.name, file: call.file, range: call.command.range)
        let (recipe, frame, sourceRows): (Recipe, Frame, [Int])
        do {
            (recipe, frame, sourceRows) = try d.recipe.refit(source: d.loaded, rows: d.rowIDs, engine: engine)
        } catch let e as Diagnostic {
            throw e.located(in: call.file, call.command.range)
        }
        if algorithm == .kmeans && formula.target != nil {
            throw fail("kmeans finds groups without a target: write the formula as ~ a + b", hint: "fit kmeans ~ \(formula.target!) + … on \(d.name)")
        }
        if algorithm != .kmeans && formula.target == nil {
            throw fail("\(algorithm) learns a target: write target ~ predictors", hint: "e.g. fit \(algorithm) y ~ . on \(d.name)")
        }
        if let t = formula.target, frame.index(of: t) == nil {
            throw Diagnostic(.unknownName, .error, "no column '\(t)' to use as the target", file: call.file, range: call.command.range,
                             hint: Suggest.didYouMean(t, in: frame.columnNames) ?? "the columns: " + frame.columnNames.prefix(12).joined(separator: ", "))
        }
        // A column the dataset shows but its recipe does not make (predict's answers) cannot be
        // rebuilt on the training rows: say so rather than "no such column".
        for case .column(let n, let r) in formula.terms where frame.index(of: n) == nil && d.frame.index(of: n) != nil {
            throw Diagnostic(.unknownName, .error, "'\(n)' is in \(d.name), but no recipe step makes it (predict added it), so fit cannot rebuild it on the training rows",
                             file: call.file, range: r, hint: "leave it out, or make it with a recipe step (derive, encode, …)")
        }
        let features = try formula.features(in: frame, file: call.file)
        if let t = formula.target, features.contains(t) {
            throw fail("the target '\(t)' is also a feature: a model shown the answer learns nothing",
                       hint: "leave it out of the predictors (the dot already does: \(t) ~ .)")
        }
        guard !features.isEmpty else { throw fail("the formula leaves no feature columns", hint: "name some: y ~ a + b") }
        let targetColumn = formula.target.flatMap { frame.column($0) }
        let task = algorithm.task(targetIsNumeric: targetColumn.map { $0.type.isNumeric } ?? true)
        let classification = task == .classification
        // A tall linear fit reads its design from the columns a block of rows at a time.
        let inBlocks = algorithm == .linear && LinearModels.usesNormalEquations(rows: frame.rowCount, features: features.count)
        let categories = try textCategories(frame, features)
        var design = try Design.build(frame, features: features, target: formula.target, classification: classification,
                                      inBlocks: inBlocks, keepsMissing: algorithm.keepsMissing, categories: categories,
                                      file: call.file, range: call.command.range)
        guard frame.rowCount > 0 else { throw fail("\(d.name) has no rows to fit on", hint: "check the steps that made it (recipe \(d.name)); undo goes back one") }
        guard design.rowCount > 0 else { throw fail("no row has values in every model column", hint: "fill or clean the missing values first") }
        // As many rows as coefficients fit exactly and leave nothing to estimate the error from.
        if task != .clustering && design.rowCount <= features.count + 1 && algorithm == .linear {
            throw fail("\(plural(design.rowCount, "row")) for \(plural(features.count, "feature")) plus an intercept: linear needs more rows than its \(features.count + 1) coefficients",
                       hint: "use fewer features, or ridge (which handles it)")
        }
        if let classes = design.classes, classes.count < 2 {
            throw fail("the target '\(formula.target!)' has a single class (\(classes.first ?? "")) in these rows: there is nothing to tell apart")
        }
        let interrupted = { session.interrupt.isSet }
        let start = ContinuousClock.now
        let estimator: FittedEstimator
        var shown: [(String, String)] = []
        var trainingPredictions: [Double]? = nil
        switch algorithm {
        case .linear:
            if let blocks = design.blocks, LinearModels.usesNormalEquations(rows: design.rowCount, features: features.count),
               let (fit, fitted) = LinearModels.ols(blocks, design.y) {
                estimator = .linear(fit)
                trainingPredictions = fitted
            } else {
                // Short, or too ill-conditioned for the normal equations: QR on the whole matrix.
                if design.blocks != nil {
                    design = try Design.build(frame, features: features, target: formula.target, classification: classification,
                                              file: call.file, range: call.command.range)
                }
                estimator = .linear(try LinearModels.ols(design.x, design.y))
            }
        case .ridge:
            let alpha = p("alpha", 1)
            guard alpha >= 0 else { throw fail("alpha= must be ≥ 0") }
            shown = [("alpha", Value.formatNumber(alpha))]
            estimator = .linear(try LinearModels.ridge(design.x, design.y, alpha: alpha))
        case .lasso, .elasticnet:
            let alpha = p("alpha", 1), ratio = algorithm == .lasso ? 1 : p("l1_ratio", 0.5)
            guard alpha >= 0, (0...1).contains(ratio) else { throw fail("alpha= must be ≥ 0 and l1_ratio= between 0 and 1") }
            shown = [("alpha", Value.formatNumber(alpha))] + (algorithm == .elasticnet ? [("l1_ratio", Value.formatNumber(ratio))] : [])
            let progress = Progress(session: session, label: "sweep", valueLabel: "objective", keepsModel: keepsDescription)
            defer { progress.finish() }
            estimator = .linear(try LinearModels.elasticNet(design.x, design.y, alpha: alpha, l1Ratio: ratio,
                                                            maxIterations: Int(p("max_iter", 100_000)), interrupted: interrupted,
                                                            onIteration: progress.report))
        case .logistic:
            let c = params["C"] ?? 1
            guard c > 0 else { throw fail("C= must be > 0 (C=inf for no penalty)") }
            shown = [("C", Value.formatNumber(c))]
            let progress = Progress(session: session, label: "iteration", keepsModel: keepsDescription)
            defer { progress.finish() }
            let weights = try ModelCommandParts.classWeights(call, y: design.y, classes: design.classes)
            if weights != nil { shown.append(("class_weight", "balanced")) }
            estimator = .logistic(try Logistic.fit(design.x, design.y.map { Int($0) }, classes: design.classes!, C: c,
                                                   maxIterations: Int(p("max_iter", 1000)), sampleWeights: weights.map { w in design.y.map { w[Int($0)] } },
                                                   interrupted: interrupted, onIteration: progress.report))
        case .knn:
            let k = Int(p("k", 5))
            guard k >= 1, k <= design.rowCount else { throw fail("k= must be from 1 to the number of rows (\(design.rowCount))") }
            shown = [("k", String(k))]
            estimator = .knn(KNNFit(k: k, x: design.x, y: design.y, classes: design.classes))
        case .tree:
            let depth = params["max_depth"].map { Int($0) }
            let leaf = Int(p("min_samples_leaf", 1))
            guard depth.map({ $0 >= 1 }) ?? true, leaf >= 1 else { throw fail("max_depth= and min_samples_leaf= must be at least 1") }
            shown = (depth.map { [("max_depth", String($0))] } ?? []) + [("min_samples_leaf", String(leaf))]
            let weights = try ModelCommandParts.classWeights(call, y: design.y, classes: design.classes)
            if weights != nil { shown.append(("class_weight", "balanced")) }
            estimator = .tree(Tree.fit(design.x, design.y, classes: design.classes, maxDepth: depth, minSamplesLeaf: leaf,
                                       classWeights: weights, interrupted: interrupted))
        case .forest:
            let depth = params["max_depth"].map { Int($0) }
            let leaf = Int(p("min_samples_leaf", 1)), count = Int(p("n_trees", 100))
            let features = design.x.cols
            // max_features= a count of features, or a share of them below 1.
            if let share = params["max_features"], !(share > 0) || (share >= 1 && share != share.rounded()) {
                throw fail("max_features= must be a whole number from 1 to the number of features (\(features)), or a share between 0 and 1, not \(Value.formatNumber(share))")
            }
            let maxFeatures: Int? = params["max_features"].map { $0 < 1 ? max(1, Int((Double(features) * $0).rounded(.down))) : Int($0) }
            guard depth.map({ $0 >= 1 }) ?? true, leaf >= 1 else { throw fail("max_depth= and min_samples_leaf= must be at least 1") }
            guard count >= 1, count <= 10_000 else { throw fail("n_trees= must be from 1 to 10000, not \(count)") }
            if let m = maxFeatures, m < 1 || m > features { throw fail("max_features= must be from 1 to the number of features (\(features)), or a share below 1") }
            let seed = params["seed"].map { UInt64(max(0, $0)) } ?? session.settings.seed
            let weights = try ModelCommandParts.classWeights(call, y: design.y, classes: design.classes)
            let forest = Forest.fit(design.x, design.y, classes: design.classes, trees: count, maxFeatures: maxFeatures, maxDepth: depth,
                                    minSamplesLeaf: leaf, seed: seed, classWeights: weights, interrupted: session.interruptCheck)
            // A Ctrl-C keeps the trees grown so far: "82 of 500".
            shown = [("n_trees", forest.trees.count < count ? "\(forest.trees.count) of \(count)" : String(count)), ("max_features", String(forest.maxFeatures))]
            if let depth { shown.append(("max_depth", String(depth))) }
            shown.append(("min_samples_leaf", String(leaf)))
            if weights != nil { shown.append(("class_weight", "balanced")) }
            shown.append(("seed", String(seed)))
            estimator = .forest(forest)
        case .boost:
            // Leaf-wise (LightGBM's, scikit-learn's) splits the leaf that gains most next; depth-wise
            // (XGBoost's default) splits a whole level before the next, to a depth rather than a count.
            let depthwise = try ModelCommandParts.word(call, "growth", allowed: ["leafwise", "depthwise"],
                                                      hint: "leafwise splits the leaf that gains most next; depthwise a whole level at a time") == "depthwise"
            let iterations = Int(p("max_iter", 100)), leaf = Int(p("min_samples_leaf", 20))
            let leaves = params["max_leaf_nodes"].map { Int($0) } ?? (depthwise ? nil : 31)
            let depth = params["max_depth"].map { Int($0) } ?? (depthwise ? 6 : nil)
            let rate = p("learning_rate", 0.1), l2 = p("l2", 0)
            guard iterations >= 1, iterations <= 100_000 else { throw fail("max_iter= must be from 1 to 100000, not \(iterations)") }
            guard leaves.map({ $0 >= 2 }) ?? true else { throw fail("max_leaf_nodes= must be at least 2 (a tree with one leaf learns nothing)") }
            guard depth.map({ $0 >= 1 }) ?? true else { throw fail("max_depth= must be at least 1") }
            guard leaf >= 1 else { throw fail("min_samples_leaf= must be at least 1") }
            guard rate > 0, rate.isFinite else { throw fail("learning_rate= must be more than 0, not \(Value.formatNumber(rate))", hint: "0.1 is scikit-learn's default") }
            guard l2 >= 0, l2.isFinite else { throw fail("l2= must be 0 or more, not \(Value.formatNumber(l2))") }
            if let e = params["early_stopping"], e != 0 && e != 1 { throw fail("early_stopping= is 1 (on) or 0 (off), not \(Value.formatNumber(e))") }
            let stopping = params["early_stopping"].map { $0 != 0 }
            let seed = params["seed"].map { UInt64(max(0, $0)) } ?? session.settings.seed
            let progress = Progress(session: session, label: "iteration", valueLabel: "loss", keepsModel: keepsDescription)
            defer { progress.finish() }
            let weights = try ModelCommandParts.classWeights(call, y: design.y, classes: design.classes)
            let fit = Boost.fit(design.x, design.y, classes: design.classes, iterations: iterations, learningRate: rate, maxLeaves: leaves ?? Int.max,
                                maxDepth: depth, depthwise: depthwise,
                                minSamplesLeaf: leaf, l2: l2, earlyStopping: stopping, seed: seed, classWeights: weights,
                                categories: features.map { categories[$0]?.count ?? 0 }, interrupted: interrupted, onIteration: progress.report)
            // Early stopping (or Ctrl-C) ends it sooner: "37 of 100".
            shown = [("max_iter", fit.iterations < iterations ? "\(fit.iterations) of \(iterations)" : String(iterations)),
                     ("learning_rate", Value.formatNumber(rate))]
                + (leaves.map { [("max_leaf_nodes", String($0))] } ?? []) + (depth.map { [("max_depth", String($0))] } ?? [])
                + (depthwise ? [("growth", "depthwise")] : []) + [("min_samples_leaf", String(leaf))]
            if l2 > 0 { shown.append(("l2", Value.formatNumber(l2))) }
            if weights != nil { shown.append(("class_weight", "balanced")) }
            shown.append(("seed", String(seed)))
            estimator = .boost(fit)
        case .mlp:
            var hidden: [Int] = []
            while let s = params["hidden\(hidden.count)"] { hidden.append(Int(s)) }
            if hidden.isEmpty { hidden = [32] }
            let epochs = Int(p("epochs", 200)), batch = Int(p("batch", 200)), lr = p("lr", 0.001), alpha = p("alpha", 1e-4)
            guard epochs >= 1, batch >= 1, lr > 0, alpha >= 0 else { throw fail("epochs= and batch= must be ≥ 1, lr= > 0, alpha= ≥ 0") }
            let seed = params["seed"].map { UInt64(max(0, $0)) } ?? session.settings.seed
            shown = [("hidden", "[" + hidden.map(String.init).joined(separator: ", ") + "]"), ("epochs", String(epochs)), ("lr", Value.formatNumber(lr)),
                     ("batch", String(batch)), ("alpha", Value.formatNumber(alpha)), ("seed", String(seed))]
            let progress = Progress(session: session, label: "epoch", keepsModel: keepsDescription)
            defer { progress.finish() }
            estimator = .mlp(MLP.fit(design.x, design.y, classes: design.classes, hidden: hidden, epochs: epochs, learningRate: lr,
                                     batch: batch, alpha: alpha, seed: seed, interrupted: interrupted, onEpoch: progress.report))
        case .bayes:
            estimator = .bayes(NaiveBayes.fit(design.x, design.y.map { Int($0) }, classes: design.classes!))
        case .kmeans:
            let k = Int(p("k", 8)), nInit = Int(p("n_init", 10))
            guard k >= 1, k <= design.rowCount else { throw fail("k= must be from 1 to the number of rows (\(design.rowCount))") }
            let seed = params["seed"].map { UInt64(max(0, $0)) } ?? session.settings.seed
            shown = [("k", String(k)), ("n_init", String(nInit)), ("seed", String(seed))]
            let progress = Progress(session: session, label: "iteration", valueLabel: "inertia", keepsModel: keepsDescription)
            defer { progress.finish() }
            estimator = .kmeans(KMeans.fit(design.x, k: k, nInit: nInit, seed: seed, maxIterations: Int(p("max_iter", 300)),
                                           interrupted: interrupted, onIteration: progress.report))
        }
        let elapsed = ContinuousClock.now - start
        var model = Model(name: name, algorithm: algorithm, parameters: shown.map { Model.Parameter($0.0, $0.1) }, formula: formula.text,
                          target: formula.target, features: features, task: task, classes: design.classes, recipe: recipe, estimator: estimator,
                          trainedOn: d.name, trainingRows: design.rowCount)
        model.positive = try BinaryChoice.positiveName(call, classes: design.classes)
        model.categories = categories.isEmpty ? nil : categories
        describeForLater(&model, d, design: design, sourceRows: sourceRows, predictions: trainingPredictions)
        var lines = ["fitted \(name): \(algorithm) \(formula.text) on \(d.name) (\(plural(design.rowCount, "row")), \(plural(features.count, "feature")))"
            + (session.recording ? "" : " in " + Runner.formatElapsed(elapsed))]
        if !shown.isEmpty { lines.append("  " + shown.map { "\($0.0)=\($0.1)" }.joined(separator: " ")) }
        if design.dropped > 0 { lines.append("  left out \(plural(design.dropped, "row")) with a missing value in the model's columns") }
        if let positive = model.positive { lines.append("  positive class: \(positive)") }
        lines += targetNotes(formula.target, recipe, d)
        let steps = recipe.entries.filter { !$0.step.isRowStep }.count
        if steps > 0 { lines.append("  preprocessing: \(plural(steps, "recipe step")) re-fitted on these rows (recipe \(d.name) lists them)") }
        if session.interrupt.isSet { lines.append("  stopped early by Ctrl-C: the model is kept as it was at that point") }
        let maxIterations = Int(p("max_iter", algorithm == .logistic ? 1000 : 100_000))
        var iterations: Int? = nil
        if case .logistic(let fit) = estimator { iterations = fit.iterations }
        if case .linear(let fit) = estimator { iterations = fit.iterations }
        if let iterations, iterations >= maxIterations, !session.interrupt.isSet {
            // One line: the printer wraps it to the width, under its own indent.
            lines.append("  warning: stopped at max_iter=\(maxIterations) before converging: the model may be short of its optimum; "
                         + "scale the features (scale DS zscore) or raise max_iter")
        }
        // A learning rate too large makes the loss grow instead of shrink: say so.
        // (A classifier's cross-entropy starts near log(classes), below 3·√classes; far above it has blown up.)
        if case .mlp(let fit) = estimator, let first = fit.lossCurve.first, let last = fit.lossCurve.last,
           !last.isFinite || (fit.lossCurve.count > 1 && last > first * 10)
            || (design.classes.map { last > max(10, 3 * Double($0.count).squareRoot()) } ?? false) {
            lines.append("  warning: the training loss ended at \(NumberFormat.compact(last, significant: 3)) (\(NumberFormat.compact(first, significant: 3)) after the first epoch): the fit diverged; "
                         + "lower lr= (the default is 0.001) or scale the features")
        }
        if algorithm == .knn || algorithm == .kmeans, let note = scaleNote(design, features) { lines.append(note) }
        if case .kmeans(let fit) = estimator, Set(fit.assign(design.x)).count < fit.centers.count {
            lines.append("  note: only \(Set(fit.assign(design.x)).count) of the \(fit.centers.count) clusters hold rows: there are fewer distinct points than k")
        }
        if let classes = design.classes, classes.count > 20, targetColumn?.type.isNumeric == true {
            lines.append("  note: the numeric target '\(formula.target!)' makes \(classes.count) classes; to predict a number use linear, ridge, knn or tree")
        }
        // The metrics predict every training row (seconds on millions): a Ctrl-C pressed now, after
        // the one that may have stopped the fit, skips them and keeps the model.
        let pressed = session.interrupt.presses
        let interrupt = session.interrupt
        let training: [String], metrics: [Model.Metric]
        if let scored = Report.training(model, design, predictions: trainingPredictions, interrupted: { interrupt.presses > pressed }) {
            (training, metrics) = scored
        } else {
            let classes = model.classes.map { ["  classes: " + $0.joined(separator: ", ")] } ?? []
            (training, metrics) = (classes + ["  training metrics skipped by Ctrl-C: the model is kept; 'evaluate \(name) on \(d.name)' scores it"], [])
        }
        model.metrics = metrics
        let coefficients = Report.coefficients(model, session)
        model.metricLines = training.map { $0.replacingFirstLine() }
        model.trainingSummary = lines + training + coefficients
        return model
    }

    /// Distance-based algorithms (knn, kmeans) weigh each feature by its spread: when the spreads
    /// differ by more than 10×, the widest decides the neighbours alone. Said with the figures.
    /// Boost takes text features as categories: each one's values in the frame, sorted (the codes
    /// the trees split on). At most 255, one bin each, as scikit-learn's HistGradientBoosting.
    func textCategories(_ frame: Frame, _ features: [String]) throws -> [String: [String]] {
        guard algorithm.takesCategories else { return [:] }
        var found: [String: [String]] = [:]
        for f in features {
            guard let c = frame.column(f), c.type == .string else { continue }
            let values = Set((0..<c.count).compactMap { c.text($0) }).sorted()
            guard values.count <= 255 else {
                throw fail("the feature '\(f)' has \(values.count) categories; boost takes at most 255",
                           hint: "leave it out (~ . - \(f)): so many values are more a name than a category")
            }
            found[f] = values
        }
        return found
    }

    func scaleNote(_ design: Design, _ features: [String]) -> String? {
        guard design.x.cols >= 2, design.x.rows >= 2 else { return nil }
        let spreads = (0..<design.x.cols).map { c -> Double in
            let v = design.x.column(c)
            let mean = v.reduce(0, +) / Double(v.count)
            return (v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(v.count - 1)).squareRoot()
        }
        guard let hi = spreads.indices.max(by: { spreads[$0] < spreads[$1] }),
              let lo = spreads.indices.filter({ spreads[$0] > 0 }).min(by: { spreads[$0] < spreads[$1] }),
              spreads[hi] > 10 * spreads[lo] else { return nil }
        let ratio = NumberFormat.compact(spreads[hi] / spreads[lo], significant: 3)
        return "  note: the features' spreads differ \(ratio)× (\(features[hi]) sd \(NumberFormat.compact(spreads[hi], significant: 3)), "
            + "\(features[lo]) sd \(NumberFormat.compact(spreads[lo], significant: 3))): \(algorithm) measures distances in raw units, "
            + "so \(features[hi]) decides them; scale them first (scale DS zscore [...])"
    }

    /// Recipe steps that change the target: the model then learns (and is scored on) the changed
    /// values. Said once at fit, since a pipeline in scikit-learn would never touch y.
    func targetNotes(_ target: String?, _ recipe: Recipe, _ d: Dataset) -> [String] {
        guard let target else { return [] }
        var notes: [String] = []
        for e in recipe.entries where !e.step.isRowStep {
            switch e.step {
            case .fill(let columns, _) where columns.contains(target):
                let missing = d.loaded.column(target)?.missingCount ?? 0
                guard missing > 0 else { continue }
                notes.append("  warning: '\(e.command)' fills the target \(target): the model learns, and evaluate scores,")
                notes.append("           made-up values; to learn from known ones only: clean \(d.name) missing drop cols=[\(target)] first")
            case .scale(let columns, _) where columns.contains(target), .normalize(let columns, _) where columns.contains(target):
                notes.append("  note: '\(e.command)' changes the target \(target): predictions come in its scaled units, not the file's")
            case .clip(let column, _, _) where column == target, .cast(let column, _) where column == target,
                 .derive(let column, _) where column == target && d.loaded.index(of: target) != nil:
                notes.append("  note: '\(e.command)' changes the target \(target): the model learns the changed values")
            default: continue
            }
        }
        return notes
    }
}
