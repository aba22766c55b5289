import MLDiagnostics
import MLFrame
import MLLanguage
import MLLearn
import MLPrep
import MLRender

/// `fit ALGO FORMULA on DS [params] [as NAME]`
struct FitCommand: ShellCommand {
    /// Each algorithm's parameters with their defaults (scikit-learn's, unless noted).
    static let algorithms: [(name: String, parameters: [(String, String)], about: String)] = [
        ("linear", [], "least squares (QR/SVD through LAPACK), with standard errors and p-values"),
        ("ridge", [("alpha", "1")], "least squares + α/2·‖w‖²"),
        ("lasso", [("alpha", "1"), ("max_iter", "100000")], "(1/2n)‖y − Xw‖² + α‖w‖₁, coordinate descent"),
        ("elasticnet", [("alpha", "1"), ("l1_ratio", "0.5"), ("max_iter", "100000")], "(1/2n)‖y − Xw‖² + αρ‖w‖₁ + α(1−ρ)/2‖w‖²"),
        ("logistic", [("C", "1"), ("max_iter", "1000")], "log-loss + 1/(2C)‖w‖² (intercept not penalized), L-BFGS; C=inf for none"),
        ("knn", [("k", "5")], "the k nearest training rows: mean (numbers) or majority (classes)"),
        ("tree", [("max_depth", "none"), ("min_samples_leaf", "1")], "a CART decision tree: Gini (classes) or squared error (numbers)"),
        ("bayes", [], "Gaussian naive Bayes (classes)"),
        ("mlp", [("hidden", "[32]"), ("epochs", "200"), ("lr", "0.001"), ("batch", "200"), ("alpha", "0.0001"), ("seed", "set seed")],
         "a small neural network: ReLU layers, Adam on mini-batches (scale the features first)"),
        ("kmeans", [("k", "8"), ("n_init", "10"), ("seed", "set seed"), ("max_iter", "300")], "k-means++ starts, Lloyd's iterations, best of n_init"),
    ]

    static let spec = CommandSpec(
        name: "fit", stage: .model,
        abstract: "Fit a model: the dataset's recipe is re-fitted on its rows, then the algorithm",
        discussion: "algorithms:\n" + algorithms.map { a in
            "  \(a.name.padding(10)) \(a.about)" + (a.parameters.isEmpty ? "" : "\n  \(String(repeating: " ", count: 10)) " + a.parameters.map { "\($0.0)=\($0.1)" }.joined(separator: " "))
        }.joined(separator: "\n") + "\nRows with a missing value in the model's columns are left out (a note says how many).",
        parameters: [
            Parameter("ALGO", .expression, "the algorithm: " + algorithms.map(\.name).joined(separator: ", ")),
            Parameter("FORMULA", .expression, "target ~ predictors: y ~ a + b, y ~ ., y ~ . - id, ~ a + b (clustering)", optional: true),
            Parameter("DS", .dataset, "the dataset to fit on", keyword: "on"),
        ],
        freeOptions: ("PARAM=VALUE", "the algorithm's parameters (see above)"),
        binds: ["NAME"],
        examples: [
            Example("load \"tutorials/data/mtcars.csv\""),
            Example("fit linear mpg ~ wt + hp on mtcars as m"),
            Example("fit ridge mpg ~ . - model on mtcars alpha=10"),
            Example("load \"tutorials/data/iris.csv\""),
            Example("fit logistic Species ~ . on iris as clf"),
            Example("fit kmeans ~ Petal.Length + Petal.Width on iris k=3 as clusters"),
        ])

    static func run(_ call: CommandCall, in session: Session) throws {
        // `fit kmeans ~ a + b` parses as a formula with the algorithm on its left.
        var algoExpr = call.expr("ALGO")!
        var formulaExpr = call.expr("FORMULA")
        if formulaExpr == nil, case .formula(let lhs?, let rhs) = algoExpr.kind, let n = lhs.asName, algorithms.contains(where: { $0.name == n.text }) {
            formulaExpr = Expr(.formula(lhs: nil, rhs: rhs), SourceRange(rhs.range.start - 1, rhs.range.end))
            algoExpr = lhs
        }
        guard let algoName = algoExpr.asName?.text else {
            throw Diagnostic(.badArgument, .error, "expected an algorithm before the formula", file: call.file, range: algoExpr.range,
                             hint: "fit ALGO FORMULA on DS: the algorithms are " + algorithms.map(\.name).joined(separator: ", "))
        }
        guard let algorithm = algorithms.first(where: { $0.name == algoName }) else {
            throw Diagnostic(.unknownName, .error, "unknown algorithm '\(algoName)'", file: call.file, range: algoExpr.range,
                             hint: Suggest.didYouMean(algoName, in: algorithms.map(\.name)) ?? "the algorithms: " + algorithms.map(\.name).joined(separator: ", "))
        }
        guard let formulaExpr else {
            throw call.error("'fit' needs a formula after the algorithm: \(algoName) y ~ a + b", id: .missingArgument)
        }
        var formulaText = call.text(of: formulaExpr)
        if case .formula(nil, let rhs) = formulaExpr.kind { formulaText = "~ " + call.text(of: rhs) }
        let formula = try Formula.read(formulaExpr, text: formulaText, file: call.file)
        let d = try call.dataset(session, parameter: "DS")
        // Parameters: only the algorithm's own, each a number.
        var params: [String: Double] = [:]
        for (name, value) in call.freeOptions {
            guard algorithm.parameters.contains(where: { $0.0 == name.text }) else {
                let valid = algorithm.parameters.map(\.0)
                throw Diagnostic(.unknownOption, .error, "'\(algoName)' has no parameter '\(name.text)'", file: call.file, range: name.range,
                                 hint: (Suggest.didYouMean(name.text, in: valid).map { $0 + " " } ?? "") + (valid.isEmpty ? "\(algoName) takes no parameters" : "its parameters: " + valid.joined(separator: ", ")))
            }
            let v = try Evaluator(session: session, file: call.file).evaluate(value)
            if name.text == "hidden" {
                // hidden=[32, 16]: one layer size per hidden layer, kept as hidden0, hidden1, …
                let sizes: [Double]
                switch v {
                case .number(let x): sizes = [x]
                case .list(let items): sizes = items.compactMap { if case .number(let x) = $0 { return x }; return nil }
                default: sizes = []
                }
                guard !sizes.isEmpty, sizes.allSatisfy({ $0 >= 1 && $0 <= 4096 && $0 == $0.rounded() }) else {
                    throw Diagnostic(.wrongArgumentType, .error, "hidden= takes layer sizes, e.g. hidden=[32] or hidden=[64, 32]", file: call.file, range: value.range)
                }
                for (k, s) in sizes.enumerated() { params["hidden\(k)"] = s }
                continue
            }
            guard case .number(let x) = v, !x.isNaN else {
                throw Diagnostic(.wrongArgumentType, .error, "\(name.text)= takes a number, got \(v.kindName) \(v.literal)", file: call.file, range: value.range)
            }
            params[name.text] = x
        }
        let trainer = Trainer(call: call, session: session, algorithm: algoName, params: params)
        let model = try trainer.fit(formula: formula, on: d, name: call.binding.first?.text ?? algoName)
        if let b = call.binding.first { try session.checkBindable(b, in: call.file) }
        session.bind(model.name, .model(model))
        for line in model.trainingSummary { session.print(line) }
    }
}
