/// The algorithms `fit` knows: one enum, so that the trainer, help, completion, search and the
/// model file all read the same list.
public enum Algorithm: String, Codable, Sendable, CaseIterable {
    case linear, ridge, lasso, elasticnet, logistic, knn, tree, forest, boost, bayes, mlp, kmeans

    /// Each parameter with its default (scikit-learn's, unless noted), as help shows it.
    public var parameters: [(name: String, defaultValue: String)] {
        switch self {
        case .linear, .bayes: return []
        case .ridge: return [("alpha", "1")]
        case .lasso: return [("alpha", "1"), ("max_iter", "100000")]
        case .elasticnet: return [("alpha", "1"), ("l1_ratio", "0.5"), ("max_iter", "100000")]
        case .logistic: return [("C", "1"), ("max_iter", "1000"), ("class_weight", "none")]
        case .knn: return [("k", "5")]
        case .tree: return [("max_depth", "none"), ("min_samples_leaf", "1"), ("class_weight", "none")]
        case .forest: return [("n_trees", "100"), ("max_features", "√features (classes), all (numbers)"), ("max_depth", "none"),
                              ("min_samples_leaf", "1"), ("class_weight", "none"), ("seed", "set seed")]
        case .boost: return [("max_iter", "100"), ("learning_rate", "0.1"), ("max_leaf_nodes", "31 (depthwise: none)"), ("max_depth", "none (depthwise: 6)"),
                             ("growth", "leafwise"), ("min_samples_leaf", "20"),
                             ("l2", "0"), ("early_stopping", "past 10000 rows"), ("class_weight", "none"), ("seed", "set seed")]
        case .mlp: return [("hidden", "[32]"), ("epochs", "200"), ("lr", "0.001"), ("batch", "200"), ("alpha", "0.0001"), ("seed", "set seed")]
        case .kmeans: return [("k", "8"), ("n_init", "10"), ("seed", "set seed"), ("max_iter", "300")]
        }
    }

    /// One line on what it fits.
    public var about: String {
        switch self {
        case .linear: return "least squares (QR/SVD through LAPACK), with standard errors and p-values"
        case .ridge: return "‖y − Xw − b‖² + α‖w‖² (intercept not penalized), by Cholesky"
        case .lasso: return "(1/2n)‖y − Xw‖² + α‖w‖₁, coordinate descent"
        case .elasticnet: return "(1/2n)‖y − Xw‖² + αρ‖w‖₁ + α(1−ρ)/2‖w‖²"
        case .logistic: return "log-loss + 1/(2C)‖w‖² (intercept not penalized), L-BFGS; C=inf for none"
        case .knn: return "the k nearest training rows: mean (numbers) or majority (classes)"
        case .tree: return "a CART decision tree: Gini (classes) or squared error (numbers)"
        case .forest: return "a random forest: n_trees trees on bootstrap samples, max_features tried per split, averaged; out-of-bag score"
        case .boost: return "gradient boosting on binned features (as HistGradientBoosting): leaf-wise or depth-wise trees, Newton steps, early stopping; missing values and text (as categories) taken as they are"
        case .bayes: return "Gaussian naive Bayes (classes)"
        case .mlp: return "a small neural network: ReLU layers, Adam on mini-batches (scale the features first)"
        case .kmeans: return "k-means++ starts, Lloyd's iterations, best of n_init"
        }
    }

    /// Whether it learns a target (all but k-means, which finds groups).
    public var learnsTarget: Bool { self != .kmeans }

    /// What it predicts for a target of this kind: logistic and bayes always classify; knn, tree
    /// and mlp classify a non-numeric target and regress a numeric one.
    public func task(targetIsNumeric: Bool) -> ModelTask {
        switch self {
        case .kmeans: return .clustering
        case .logistic, .bayes: return .classification
        case .knn, .tree, .forest, .boost, .mlp: return targetIsNumeric ? .regression : .classification
        case .linear, .ridge, .lasso, .elasticnet: return .regression
        }
    }

    /// Whether it takes rows with missing features (boost learns which side they go to).
    public var keepsMissing: Bool { self == .boost }

    /// Whether it takes text features as they are, as categories (boost splits them into groups).
    public var takesCategories: Bool { self == .boost }

    /// Whether the model is a linear function of its features.
    public var isLinear: Bool { [.linear, .ridge, .lasso, .elasticnet].contains(self) }
}

/// What a model predicts.
public enum ModelTask: String, Codable, Sendable { case regression, classification, clustering }
