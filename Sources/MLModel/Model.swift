import MLFrame
import MLLearn
import MLPrep

/// A fitted model as a value: what it was fitted as, its fitted preprocessing (the recipe
/// re-fitted on the training rows), the estimator, and what later stages need as numbers (the
/// input schema, the training metrics, a reference profile for drift, where it came from).
/// It needs no session: `predict(rows:)` and `predict(raw:)` take raw rows to answers.
public struct Model: Codable, Sendable {
    public var name: String
    public var algorithm: Algorithm
    /// The parameters as fitted, in help's order ("alpha", "1").
    public var parameters: [Parameter]
    public var formula: String
    public var target: String?
    public var features: [String]
    public var task: ModelTask
    public var classes: [String]?
    /// Two classes: the class of interest (`positive=` at fit), whose precision, recall, F1,
    /// curves and threshold the commands report; nil means the second class.
    public var positive: String?
    public var recipe: Recipe
    /// Boost's features of categories: each text feature with its categories in code order (the
    /// training rows' values, sorted). Nil when there are none.
    public var categories: [String: [String]]?
    public var estimator: FittedEstimator
    /// The dataset's name in the session it was fitted in.
    public var trainedOn: String
    public var trainingRows: Int
    /// The raw columns the model takes (the loaded file's): its recipe starts from these.
    public var inputs: [InputColumn]
    /// The target's type in the loaded file, so that predicted classes come back in it.
    public var targetType: ColumnType?
    /// Training metrics by name ("rmse", "accuracy", "log_loss", "inertia", …).
    public var metrics: [Metric]
    public var profile: ReferenceProfile?
    public var lineage: Lineage?
    /// The fit's report as the shell printed it, for `show MODEL` after `load model`.
    public var trainingSummary: [String]
    public var metricLines: [String]
    /// Up to `sampleLimit` training rows as features (not saved): what `save` measures a
    /// quantized model's change of predictions on.
    public var trainingSample: Matrix?
    public static let sampleLimit = 10_000
    /// Read from a file whose weights were quantized to this type (not saved with the model; the
    /// header of a later save records it).
    public var dequantizedFrom: QuantizedType?

    public struct Parameter: Codable, Sendable, Equatable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public struct Metric: Codable, Sendable, Equatable {
        public var name: String
        public var value: Double
        public init(_ name: String, _ value: Double) {
            self.name = name
            self.value = value
        }
    }

    enum CodingKeys: String, CodingKey {
        case name, algorithm, parameters, formula, target, features, task, classes, positive, recipe, categories, estimator
        case trainedOn = "trained_on", trainingRows = "training_rows", inputs, targetType = "target_type"
        case metrics, profile, lineage, trainingSummary = "training_summary", metricLines = "metric_lines"
    }

    public init(name: String, algorithm: Algorithm, parameters: [Parameter], formula: String, target: String?, features: [String],
                task: ModelTask, classes: [String]?, recipe: Recipe, estimator: FittedEstimator, trainedOn: String, trainingRows: Int,
                inputs: [InputColumn] = [], targetType: ColumnType? = nil) {
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
        self.inputs = inputs
        self.targetType = targetType
        self.metrics = []
        self.trainingSummary = []
        self.metricLines = []
    }

    public var isLinear: Bool {
        if case .linear = estimator { return true }
        return false
    }

    public func metric(_ name: String) -> Double? { metrics.first { $0.name == name }?.value }

    /// The index of the class of interest of a two-class model (the second unless `positive`).
    public var positiveIndex: Int? {
        guard let classes, classes.count == 2 else { return nil }
        return positive.flatMap { classes.firstIndex(of: $0) } ?? 1
    }

    /// The model's answers on a design, read in blocks when the design is (linear models).
    public func predict(_ design: Design, interrupted: @escaping @Sendable () -> Bool = { false }) -> (values: [Double], probabilities: [[Double]]?) {
        if case .linear(let fit) = estimator, let blocks = design.blocks {
            return (blocks.times(fit.coefficients, plus: fit.intercept), nil)
        }
        return predict(design.x, interrupted: interrupted)
    }

    /// The model's answers on feature rows: values, class indices or cluster numbers, and class
    /// probabilities where the model gives them.
    public func predict(_ x: Matrix, interrupted: @escaping @Sendable () -> Bool = { false }) -> (values: [Double], probabilities: [[Double]]?) {
        estimator.predict(x, classifies: classes != nil, interrupted: interrupted)
    }
}

/// One raw input column: its name and type in the loaded file, and what training saw of it.
public struct InputColumn: Codable, Sendable, Equatable {
    public var name: String
    public var type: ColumnType
    /// The texts seen in training (text columns), sorted; nil for other types or past 1,000 of them.
    public var categories: [String]?
    /// How many training rows had it missing.
    public var missing: Int

    public init(name: String, type: ColumnType, categories: [String]? = nil, missing: Int = 0) {
        self.name = name
        self.type = type
        self.categories = categories
        self.missing = missing
    }

    /// The schema of a frame's columns, as seen on its rows (all of them, or those listed): no
    /// copy of the rows is made, so a million-row fit pays one pass per column.
    public static func schema(of frame: Frame, rows: [Int]? = nil) -> [InputColumn] {
        frame.columns.map { c in
            var categories: [String]? = nil
            var missing = 0
            func visit(_ body: (Int) -> Void) {
                if let rows { for r in rows { body(r) } } else { for r in 0..<c.count { body(r) } }
            }
            if let v = c.validity { visit { r in if !v[r] { missing += 1 } } }
            if case .string(let codes, let dictionary) = c.storage {
                var used = [Bool](repeating: false, count: dictionary.count)
                visit { r in if c.isValid(r) { used[Int(codes[r])] = true } }
                let seen = dictionary.indices.filter { used[$0] }.map { dictionary[$0] }
                categories = seen.count <= 1000 ? seen.sorted() : nil
            }
            return InputColumn(name: c.name, type: c.type, categories: categories, missing: missing)
        }
    }
}

/// Where a model came from: its source file (path, size, SHA-256), rows, seed, the mlsh that
/// fitted it and when.
public struct Lineage: Codable, Sendable, Equatable {
    public var source: String
    public var sourceBytes: Int
    public var sourceSHA256: String?
    public var rows: Int
    public var seed: UInt64
    public var mlshVersion: String
    /// ISO 8601, UTC.
    public var created: String

    enum CodingKeys: String, CodingKey {
        case source, sourceBytes = "source_bytes", sourceSHA256 = "source_sha256", rows, seed, mlshVersion = "mlsh_version", created
    }

    public init(source: String, sourceBytes: Int, sourceSHA256: String?, rows: Int, seed: UInt64, mlshVersion: String, created: String) {
        self.source = source
        self.sourceBytes = sourceBytes
        self.sourceSHA256 = sourceSHA256
        self.rows = rows
        self.seed = seed
        self.mlshVersion = mlshVersion
        self.created = created
    }
}
