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
        ("ridge", [("alpha", "1")], "‖y − Xw − b‖² + α‖w‖² (intercept not penalized), by Cholesky"),
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
        let (algoName, formula, params) = try ModelCommandParts.read(call, session, extra: [])
        let d = try call.dataset(session, parameter: "DS")
        let trainer = Trainer(call: call, session: session, algorithm: algoName, params: params)
        let model = try trainer.fit(formula: formula, on: d, name: call.binding.first?.text ?? algoName)
        if let b = call.binding.first { try session.checkBindable(b, in: call.file) }
        session.bind(model.name, .model(model))
        for line in model.trainingSummary { session.print(line) }
    }
}
