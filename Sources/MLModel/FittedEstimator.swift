import MLFrame
import MLLearn

/// The fitted estimator inside a model.
public enum FittedEstimator: Codable, Sendable, Equatable {
    case linear(LinearFit)
    case logistic(LogisticFit)
    case knn(KNNFit)
    case kmeans(KMeansFit)
    case tree(TreeFit)
    case forest(ForestFit)
    case boost(BoostFit)
    case bayes(BayesFit)
    case mlp(MLPFit)

    /// Predictions for the rows of x: values (regression), class indices (classification) or
    /// cluster numbers; and class probabilities where the model gives them. `interrupted` reaches
    /// inside the one slow prediction (knn reads many training rows per row).
    public func predict(_ x: Matrix, classifies: Bool, interrupted: @escaping @Sendable () -> Bool = { false })
        -> (values: [Double], probabilities: [[Double]]?) {
        func classes(_ p: [[Double]]) -> ([Double], [[Double]]?) { (p.map { Double(argmax($0)) }, p) }
        switch self {
        case .linear(let fit): return (fit.predict(x), nil)
        case .logistic(let fit): return classes(fit.probabilities(x))
        case .knn(let fit):
            return classifies ? classes(fit.probabilities(x, interrupted: interrupted)) : (fit.predict(x, interrupted: interrupted), nil)
        case .kmeans(let fit): return (fit.assign(x).map(Double.init), nil)
        case .tree(let fit): return classifies ? classes(fit.probabilities(x)) : (fit.predict(x), nil)
        case .forest(let fit): return classifies ? classes(fit.probabilities(x)) : (fit.predict(x), nil)
        case .boost(let fit): return classifies ? classes(fit.probabilities(x)) : (fit.predict(x), nil)
        case .bayes(let fit): return classes(fit.probabilities(x))
        case .mlp(let fit): return classifies ? classes(fit.probabilities(x)) : (fit.predict(x), nil)
        }
    }
}

/// The index of the largest value; the first among equals (as numpy's argmax).
public func argmax(_ v: [Double]) -> Int {
    var best = 0
    for i in v.indices where v[i] > v[best] { best = i }
    return best
}
