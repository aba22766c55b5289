import MLDiagnostics
import MLFrame
import MLLearn
import MLPrep

/// What a model predicts.
public enum ModelTask: String, Codable, Sendable { case regression, classification, clustering }

/// The fitted estimator inside a model.
public enum FittedEstimator: Codable, Sendable {
    case linear(LinearFit)
    case logistic(LogisticFit)
    case knn(KNNFit)
    case kmeans(KMeansFit)
    case tree(TreeFit)
    case bayes(BayesFit)
    case mlp(MLPFit)
}

/// A fitted model: the algorithm and its parameters, the recipe re-fitted on the training rows
/// (its preprocessing), the features it uses, and the fitted estimator.
public final class TrainedModel {
    public let name: String
    public let algorithm: String
    public let parameters: [(String, String)]
    public let formula: String
    public let target: String?
    public let features: [String]
    public let task: ModelTask
    public let classes: [String]?
    public let recipe: Recipe
    public let estimator: FittedEstimator
    public let trainedOn: String
    public let trainingRows: Int
    /// The raw columns the model takes (the loaded file's): its recipe starts from these.
    public var inputs: [(name: String, type: ColumnType)] = []
    public var trainingSummary: [String] = []
    /// The training metrics, for `show MODEL` (which draws the coefficient table in the current mode).
    public var metricLines: [String] = []

    init(name: String, algorithm: String, parameters: [(String, String)], formula: String, target: String?, features: [String],
         task: ModelTask, classes: [String]?, recipe: Recipe, estimator: FittedEstimator, trainedOn: String, trainingRows: Int) {
        self.name = name
        self.algorithm = algorithm
        self.parameters = parameters
        self.formula = formula
        self.target = target
        self.features = features
        self.task = task
        self.classes = classes
        self.recipe = recipe
        self.estimator = estimator
        self.trainedOn = trainedOn
        self.trainingRows = trainingRows
    }

    /// Predictions for a design matrix: values (regression), class indices (classification) or
    /// cluster numbers; and class probabilities where the model gives them.
    /// Predictions for the rows of x. `interrupt` reaches inside the one slow prediction (knn reads
    /// every training row per row); the caller checks it afterwards.
    /// Whether the model is a linear function of its features (linear, ridge, lasso, elasticnet).
    var isLinear: Bool {
        if case .linear = estimator { return true }
        return false
    }

    /// The model's answers on a design, read in blocks when the design is (linear models).
    func predict(_ design: Design, interrupt: InterruptFlag? = nil) -> (values: [Double], probabilities: [[Double]]?) {
        if case .linear(let fit) = estimator, let blocks = design.blocks {
            return (blocks.times(fit.coefficients, plus: fit.intercept), nil)
        }
        return predict(design.x, interrupt: interrupt)
    }

    func predict(_ x: Matrix, interrupt: InterruptFlag? = nil) -> (values: [Double], probabilities: [[Double]]?) {
        let stop: @Sendable () -> Bool = { interrupt?.isSet ?? false }
        switch estimator {
        case .linear(let fit): return (fit.predict(x), nil)
        case .logistic(let fit):
            let p = fit.probabilities(x)
            return (p.map { Double(argmax($0)) }, p)
        case .knn(let fit):
            if classes != nil {
                let p = fit.probabilities(x, interrupted: stop)
                return (p.map { Double(argmax($0)) }, p)
            }
            return (fit.predict(x, interrupted: stop), nil)
        case .kmeans(let fit): return (fit.assign(x).map(Double.init), nil)
        case .tree(let fit):
            if classes != nil {
                let p = fit.probabilities(x)
                return (p.map { Double(argmax($0)) }, p)
            }
            return (fit.predict(x), nil)
        case .bayes(let fit):
            let p = fit.probabilities(x)
            return (p.map { Double(argmax($0)) }, p)
        case .mlp(let fit):
            if classes != nil {
                let p = fit.probabilities(x)
                return (p.map { Double(argmax($0)) }, p)
            }
            return (fit.predict(x), nil)
        }
    }
}

/// The index of the largest value; the first among equals (as numpy's argmax).
func argmax(_ v: [Double]) -> Int {
    var best = 0
    for i in v.indices where v[i] > v[best] { best = i }
    return best
}
