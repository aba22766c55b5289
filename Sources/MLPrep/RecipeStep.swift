import MLFrame

/// One step of a dataset's recipe, as the user asked for it (its parameters, no fitted state).
///
/// Row steps curate the training rows and never run on new rows; column steps are fitted on the
/// rows they see and then applied to any rows, at the prompt, in `evaluate` and when serving.
public enum RecipeStep: Codable, Sendable, Equatable {
    // Row steps.
    case filter(expression: String)
    case dropMissing(columns: [String]?)
    case dropDuplicates(columns: [String]?)
    case dropOutliers(column: String, method: OutlierMethod, k: Double)
    case sample(size: Double, seed: UInt64)
    case sort(keys: [SortKey])
    // Column steps.
    case fill(columns: [String], how: FillHow)
    case clip(column: String, method: OutlierMethod, k: Double)
    case oneHot(columns: [String], dropFirst: Bool, unknown: UnknownPolicy, maxLevels: Int)
    case ordinal(column: String, order: [String]?)
    case scale(columns: [String], method: ScaleMethod)
    case normalize(columns: [String], norm: Norm)
    case cast(column: String, type: ColumnType)
    case derive(name: String, expression: String)
    case select(columns: [String])
    case drop(columns: [String])
    case rename(pairs: [RenamePair])

    public var isRowStep: Bool {
        switch self {
        case .filter, .dropMissing, .dropDuplicates, .dropOutliers, .sample, .sort: return true
        default: return false
        }
    }

    /// Whether the step learns something from the rows it is fitted on (and so can leak).
    public var learnsFromRows: Bool {
        switch self {
        case .fill, .clip, .oneHot, .ordinal, .scale, .dropOutliers: return true
        default: return false
        }
    }
}

public enum OutlierMethod: String, Codable, Sendable { case iqr, zscore }
public enum UnknownPolicy: String, Codable, Sendable { case ignore, error }
public enum ScaleMethod: String, Codable, Sendable { case zscore, minmax, robust }
public enum Norm: String, Codable, Sendable { case l1, l2, max }

public struct SortKey: Codable, Sendable, Equatable {
    public var column: String
    public var descending: Bool
    public init(column: String, descending: Bool) {
        self.column = column
        self.descending = descending
    }
}

public struct RenamePair: Codable, Sendable, Equatable {
    public var old: String
    public var new: String
    public init(old: String, new: String) {
        self.old = old
        self.new = new
    }
}

/// How `fill` finds the value for a missing cell.
public enum FillHow: Codable, Sendable, Equatable {
    case mean, median, mode, min, max
    case number(Double)
    case text(String)
    case knn(k: Int)
    case model

    public var name: String {
        switch self {
        case .mean: return "mean"
        case .median: return "median"
        case .mode: return "mode"
        case .min: return "min"
        case .max: return "max"
        case .number(let d): return "value=\(formatDouble(d))"
        case .text(let s): return "value=\(jsonString(s))"
        case .knn(let k): return "knn k=\(k)"
        case .model: return "model"
        }
    }
}
