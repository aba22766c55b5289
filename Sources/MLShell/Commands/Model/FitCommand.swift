import MLDiagnostics
import MLFrame
import MLLanguage
import MLLearn
import MLModel
import MLPrep
import MLRender

/// `fit ALGO FORMULA on DS [params] [as NAME]`
struct FitCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "fit", stage: .model,
        abstract: "Fit a model: the dataset's recipe is re-fitted on its rows, then the algorithm",
        discussion: "algorithms:\n" + Algorithm.allCases.map { a in
            "  \(a.rawValue.padding(10)) \(a.about)" + (a.parameters.isEmpty ? "" : "\n  \(String(repeating: " ", count: 10)) " + a.parameters.map { "\($0.name)=\($0.defaultValue)" }.joined(separator: " "))
        }.joined(separator: "\n") + "\nRows with a missing value in the model's columns are left out (a note says how many).",
        parameters: [
            Parameter("ALGO", .expression, "the algorithm: " + Algorithm.allCases.map(\.rawValue).joined(separator: ", ")),
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
        let (algorithm, formula, params) = try ModelCommandParts.read(call, session, extra: [])
        let d = try call.dataset(session, parameter: "DS")
        let trainer = Trainer(call: call, session: session, algorithm: algorithm, params: params)
        let model = try trainer.fit(formula: formula, on: d, name: call.binding.first?.text ?? algorithm.rawValue)
        if let b = call.binding.first { try session.checkBindable(b, in: call.file) }
        session.bind(model.name, .model(model))
        for line in model.trainingSummary { session.print(line) }
    }
}
