import MLDiagnostics
import MLFrame

/// Evaluates the expressions of `where` and `derive` steps; the shell provides it.
public protocol ExpressionEngine {
    func mask(_ source: String, in frame: Frame) throws -> [Bool]
    func column(_ source: String, named name: String, in frame: Frame) throws -> Column
    /// Ctrl-C was pressed: long steps (a knn fill) stop between units of work.
    var interrupted: Bool { get }
    /// The expression with the session's values it reads written in as literals, so that a model's
    /// recipe gives the same answers without the session (`derive y = x * rate` with rate = 1.1
    /// becomes `x * 1.1`). Column names are left alone.
    func bindingSessionValues(_ source: String, in frame: Frame) throws -> String
}

extension ExpressionEngine {
    public var interrupted: Bool { false }
    public func bindingSessionValues(_ source: String, in frame: Frame) throws -> String { source }
}

/// What running a step on a frame gave.
public struct StepResult {
    public var frame: Frame
    /// For row steps: the indices of the input rows kept, in their new order.
    public var kept: [Int]?
    public var state: FittedState
    /// What the step did, in a line or two ("filled 2 cells with 43.92").
    public var notes: [String]

    public init(frame: Frame, kept: [Int]? = nil, state: FittedState = .none, notes: [String] = []) {
        self.frame = frame
        self.kept = kept
        self.state = state
        self.notes = notes
    }
}

/// Runs steps: `run` fits a step on the rows it is given and applies it (what a verb does at the
/// prompt, and what re-fitting a recipe does); `apply` uses a fitted state on new rows.
public enum StepRunner {
    public static func run(_ step: RecipeStep, on frame: Frame, engine: ExpressionEngine?) throws -> StepResult {
        switch step {
        case .filter(let source):
            guard let engine else { throw noEngine() }
            let keep = try engine.mask(source, in: frame)
            let rows = keep.indices.filter { keep[$0] }
            return StepResult(frame: frame.take(rows), kept: rows)
        case .dropMissing(let columns):
            return try RowSteps.dropMissing(frame, columns)
        case .dropDuplicates(let columns):
            return try RowSteps.dropDuplicates(frame, columns)
        case .dropOutliers(let column, let method, let k):
            return try Outliers.drop(frame, column, method, k)
        case .sample(let size, let seed):
            return RowSteps.sample(frame, size, seed)
        case .sort(let keys):
            try Columns.require(keys.map(\.column), in: frame)
            let order = frame.sortedIndices(by: keys.map { ($0.column, $0.descending) })
            return StepResult(frame: frame.take(order), kept: order)
        case .fill(let columns, let how):
            return try Fill.run(frame, columns, how, shouldStop: { engine?.interrupted ?? false })
        case .clip(let column, let method, let k):
            return try Outliers.clip(frame, column, method, k)
        case .oneHot(let columns, let dropFirst, let unknown, let maxLevels):
            return try OneHot.run(frame, columns, dropFirst: dropFirst, unknown: unknown, maxLevels: maxLevels)
        case .ordinal(let column, let order):
            return try Ordinal.run(frame, column, order)
        case .scale(let columns, let method):
            return try Scaling.run(frame, columns, method)
        case .normalize(let columns, let norm):
            return try Normalizing.apply(frame, columns, norm)
        case .cast(let column, let type):
            return try Casting.apply(frame, column, type)
        case .derive(let name, let source):
            guard let engine else { throw noEngine() }
            var f = frame
            let column = try engine.column(source, named: name, in: frame)
            f.setColumn(column)
            return StepResult(frame: f)
        case .select(let columns):
            try Columns.require(columns, in: frame)
            return StepResult(frame: frame.selecting(columns))
        case .drop(let columns):
            try Columns.require(columns, in: frame)
            return StepResult(frame: frame.dropping(Set(columns)))
        case .rename(let pairs):
            try Columns.require(pairs.map(\.old), in: frame)
            var f = frame
            for p in pairs { f.rename(p.old, to: p.new) }
            return StepResult(frame: f)
        }
    }

    /// Applies a fitted column step to new rows; row steps do nothing here (they curate training data).
    public static func apply(_ step: RecipeStep, state: FittedState, to frame: Frame, engine: ExpressionEngine?) throws -> Frame {
        switch (step, state) {
        case (_, _) where step.isRowStep:
            return frame
        case (.fill(let columns, _), .fillValues(let values)):
            return try Fill.apply(frame, columns, values)
        case (.fill(let columns, _), .knn(let k, let features, let donors)):
            return try KNNFill.apply(frame, columns, k: k, features: features, donors: donors, shouldStop: { engine?.interrupted ?? false })
        case (.fill(let columns, _), .linear(let features, let intercept, let coefficients, let means)):
            return try ModelFill.apply(frame, columns[0], features, intercept, coefficients, means)
        case (.clip(let column, _, _), .bounds(let low, let high)):
            return try Outliers.applyClip(frame, column, low, high)
        case (.oneHot(let columns, let dropFirst, let unknown, _), .categories(let categories)):
            return try OneHot.apply(frame, columns, categories, dropFirst: dropFirst, unknown: unknown)
        case (.ordinal(let column, _), .order(let order)):
            return try Ordinal.apply(frame, column, order).frame
        case (.scale(let columns, _), .affine(let centers, let scales)):
            return try Scaling.apply(frame, columns, centers, scales)
        default:
            // Steps with nothing fitted run the same way on any rows.
            return try run(step, on: frame, engine: engine).frame
        }
    }

    static func noEngine() -> Diagnostic {
        Diagnostic(.prepError, .error, "this step needs the expression evaluator, which is not available here")
    }
}

extension Diagnostic.ID {
    public static let prepError = Diagnostic.ID("prep-error")
}

/// Column checks shared by the steps.
enum Columns {
    static func require(_ names: [String], in frame: Frame) throws {
        for n in names where frame.index(of: n) == nil {
            throw Diagnostic(.unknownColumn, .error, "no column '\(n)'",
                             hint: Suggest.didYouMean(n, in: frame.columnNames) ?? "the columns are: " + frame.columnNames.prefix(12).joined(separator: ", "))
        }
    }

    /// Infinite values make a learned mean, scale or bound meaningless: refuse, and say what to do.
    static func requireFinite(_ values: [Double], _ name: String, learning what: String) throws {
        guard let bad = values.first(where: { !$0.isFinite }) else { return }
        throw Diagnostic(.prepError, .error, "'\(name)' holds \(bad > 0 ? "inf" : "-inf"), so its \(what) \(what.hasSuffix("s") ? "are not numbers" : "is not a number")",
                         hint: "drop or clip those rows first (where \(name) > -1e300 and \(name) < 1e300)")
    }

    static func numeric(_ name: String, in frame: Frame, step: String) throws -> Column {
        try require([name], in: frame)
        let c = frame.column(name)!
        guard c.type.isNumeric || c.type == .bool else {
            let numeric = frame.columns.filter { $0.type.isNumeric }.map(\.name)
            throw Diagnostic(.wrongColumnType, .error, "'\(step)' needs numbers, but '\(name)' is \(c.type.rawValue)",
                             hint: numeric.isEmpty ? "there are no numeric columns" : "numeric columns: " + numeric.prefix(10).joined(separator: ", "))
        }
        return c
    }

    /// A float64 column from values (NaN = missing).
    static func float(_ name: String, _ values: [Double]) -> Column {
        let valid = values.map { !$0.isNaN }
        return Column(name: name, storage: .float(values), validity: valid.allSatisfy { $0 } ? nil : Bitmap(valid))
    }

    /// The column's values as doubles, NaN where missing.
    static func doubles(_ c: Column) -> [Double] {
        (0..<c.count).map { c.double($0) ?? .nan }
    }
}

extension Diagnostic.ID {
    public static let unknownColumn = Diagnostic.ID("unknown-column")
    public static let wrongColumnType = Diagnostic.ID("wrong-column-type")
}
