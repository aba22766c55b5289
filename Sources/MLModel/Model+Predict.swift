import MLDiagnostics
import MLFrame
import MLFrameIO
import MLLearn
import MLPrep

/// One raw value, as a user types it or a client sends it.
public enum RawValue: Sendable, Equatable {
    case missing
    case text(String)
    case number(Double)
    case bool(Bool)
}

/// A prediction in the target's own type: a number, or a class as the target held it.
public enum PredictedValue: Sendable, Equatable {
    case number(Double)
    case int(Int64)
    case bool(Bool)
    case text(String)
}

/// The answer for one row: the value (nil when the row had no value for a feature after the
/// recipe), the class's index and the class probabilities for classifiers, the cluster for k-means.
public struct Prediction: Sendable, Equatable {
    public var value: PredictedValue?
    public var classIndex: Int?
    public var probabilities: [Double]?
    /// Why there is no value: the features the row lacked after the recipe.
    public var missingFeatures: [String]
}

/// Predictions for the rows of a raw frame: the rows that had every feature (`rows`) and, for
/// each, the value (number, class index or cluster) and the class probabilities.
public struct FramePredictions {
    public var rows: [Int]
    public var values: [Double]
    public var probabilities: [[Double]]?
    public var design: Design
    public var features: Frame
}

extension Model {
    /// The one way from raw rows to answers, for `predict`, `evaluate` and the server: the rows
    /// become a frame of the model's raw input columns (names checked, texts read as the loader
    /// reads them, absent columns missing), then go through `predict(raw:)`.
    public func predict(rows: [[String: RawValue]], engine: ExpressionEngine?,
                        interrupted: @escaping @Sendable () -> Bool = { false }) throws -> [Prediction] {
        try predict(raw: try rawFrame(rows), count: rows.count, engine: engine, interrupted: interrupted)
    }

    /// The same path for columns of raw values (what a server's request holds): each input's
    /// values for `count` rows; an input left out is missing in every row.
    public func predict(columns: [String: [RawValue]], count: Int, engine: ExpressionEngine?,
                        interrupted: @escaping @Sendable () -> Bool = { false }) throws -> [Prediction] {
        try predict(raw: try rawFrame(columns: columns, count: count), count: count, engine: engine, interrupted: interrupted)
    }

    func predict(raw frame: Frame, count: Int, engine: ExpressionEngine?, interrupted: @escaping @Sendable () -> Bool) throws -> [Prediction] {
        let p = try predict(raw: frame, engine: engine, interrupted: interrupted)
        var out = [Prediction](repeating: Prediction(value: nil, classIndex: nil, probabilities: nil, missingFeatures: []), count: count)
        for (k, r) in p.rows.enumerated() {
            let v = p.values[k]
            out[r] = Prediction(value: predictedValue(v), classIndex: classes != nil ? Int(v) : (task == .clustering ? Int(v) : nil),
                                probabilities: p.probabilities?[k], missingFeatures: [])
        }
        if p.rows.count < count {
            let answered = Set(p.rows)
            for r in 0..<count where !answered.contains(r) {
                out[r].missingFeatures = features.filter { f in p.features.column(f).map { c in !(c.isValid(r) && (c.double(r)?.isFinite ?? false)) } ?? true }
            }
        }
        return out
    }

    /// Raw columns (as loaded) through the fitted recipe, then the estimator. Rows that lack a
    /// feature after the recipe have no answer (they are not in `rows`).
    public func predict(raw: Frame, engine: ExpressionEngine?, inBlocks: Bool = false,
                        interrupted: @escaping @Sendable () -> Bool = { false }) throws -> FramePredictions {
        let (design, frame) = try design(raw: raw, engine: engine, withTarget: false, inBlocks: inBlocks)
        let (values, probabilities) = predict(design, interrupted: interrupted)
        return FramePredictions(rows: design.rows, values: values, probabilities: probabilities, design: design, features: frame)
    }

    /// Raw columns through the fitted recipe to the design the estimator reads (with the target's
    /// values or class indices when `withTarget`; a class the model never saw is −1).
    public func design(raw: Frame, engine: ExpressionEngine?, withTarget: Bool, inBlocks: Bool = false, rowsName: String? = nil) throws -> (Design, Frame) {
        let frame = try applyRecipe(raw, engine: engine)
        for f in features where frame.index(of: f) == nil {
            throw Diagnostic(.unknownColumn, .error, (rowsName.map { "\($0) lacks" } ?? "the rows lack") + " the feature '\(f)' that \(name) was fitted on",
                             hint: "give the raw columns the model was fitted on: " + usedInputs.map(\.name).joined(separator: ", "))
        }
        if withTarget, let t = target, frame.index(of: t) == nil {
            throw Diagnostic(.unknownColumn, .error, "\(rowsName ?? "the rows") \(rowsName == nil ? "have" : "has") no column '\(t)', the target \(name) predicts",
                             hint: "evaluate needs the true values")
        }
        let design = try Design.build(frame, features: features, target: withTarget ? target : nil, classes: classes,
                                      classification: task == .classification, inBlocks: inBlocks && isLinear,
                                      keepsMissing: algorithm.keepsMissing, categories: categories ?? [:])
        return (design, frame)
    }

    /// The fitted recipe on new rows. A fill that learned from the target (`fill … model` or
    /// `knn` on a dataset that still held it) would read a row's true value into its features,
    /// so that the answer depended on the label it predicts (evaluate would flatter the model, and
    /// a server, sent no label, would answer otherwise). For the features, the target is blanked
    /// first, as a served row lacks it; the target itself still comes through the whole recipe.
    func applyRecipe(_ raw: Frame, engine: ExpressionEngine?) throws -> Frame {
        guard let t = target, let c = raw.column(t), recipeFillsFromTarget else { return try recipe.apply(raw, engine: engine) }
        var blank = raw
        blank.setColumn(Column.missing(named: t, type: c.type, count: raw.rowCount))
        var features = try recipe.apply(blank, engine: engine)
        if let labels = try recipe.apply(raw, engine: engine).column(t) { features.setColumn(labels) }
        return features
    }

    /// Whether a fill step of the recipe reads the target as one of its predictors.
    var recipeFillsFromTarget: Bool {
        guard let t = target else { return false }
        return recipe.entries.contains { e in
            switch e.state {
            case .linear(let features, _, _, _), .knn(_, let features, _): return features.contains(t)
            default: return false
            }
        }
    }

    /// A value the estimator gave, in the target's type: a class index becomes the class as the
    /// target held it (a number, a bool or a text); a cluster stays its number.
    public func predictedValue(_ v: Double) -> PredictedValue {
        guard let classes else { return task == .clustering ? .int(Int64(v)) : .number(v) }
        let label = classes[Int(v)]
        switch targetType {
        case .int64?: if let i = Int64(label) { return .int(i) }
        case .float64?: if let d = Double(label) { return .number(d) }
        case .bool?: if label == "true" || label == "false" { return .bool(label == "true") }
        default: break
        }
        return .text(label)
    }

    /// Rows of named raw values as a frame of the model's input columns, each in its loaded type.
    public func rawFrame(_ rows: [[String: RawValue]]) throws -> Frame {
        for row in rows { try checkNames(row.keys) }
        var columns: [Column] = []
        for input in inputs {
            columns.append(try column(input, rows.map { $0[input.name] ?? .missing }))
        }
        return Frame(columns: columns)
    }

    /// Columns of raw values as a frame of the model's input columns; an absent one is missing.
    public func rawFrame(columns given: [String: [RawValue]], count: Int) throws -> Frame {
        try checkNames(given.keys)
        var columns: [Column] = []
        for input in inputs {
            let values = given[input.name] ?? [RawValue](repeating: .missing, count: count)
            precondition(values.count == count, "a column of \(values.count) values for \(count) rows")
            columns.append(try column(input, values))
        }
        return Frame(columns: columns)
    }

    func checkNames(_ names: some Collection<String>) throws {
        // A scan of the few inputs per name: cheaper, per request, than hashing them into a set.
        let unknown = names.filter { key in !inputs.contains { $0.name == key } }
        for key in unknown.sorted() {
            throw Diagnostic(.unknownColumn, .error, "\(name) takes no input '\(key)'",
                             hint: Suggest.didYouMean(key, in: inputs.map(\.name)) ?? "its inputs: " + usedInputs.map(\.name).joined(separator: ", "))
        }
    }

    func column(_ input: InputColumn, _ values: [RawValue]) throws -> Column {
        let n = values.count
        var valid = [Bool](repeating: true, count: n)
        func bad(_ r: Int, _ what: String) -> Diagnostic {
            Diagnostic(.wrongArgumentType, .error,
                       "\(input.name)" + (n > 1 ? " (row \(r + 1))" : "") + ": \(name) learned it from \(input.type.rawValue) values, not \(what)",
                       hint: input.type.isNumeric ? "send a number, or nothing (missing)" : input.type == .bool ? "send true or false" : "send a date as YYYY-MM-DD")
        }
        func parsed(_ r: Int) throws -> FieldText.Parsed {
            switch values[r] {
            case .missing: return .missing
            case .text(let s):
                guard let p = FieldText.parse(s, as: input.type) else { throw bad(r, "the text \"\(s)\"") }
                return p
            case .number(let d):
                switch input.type {
                case .float64: return d.isNaN ? .missing : .float(d)
                case .int64:
                    if d.isNaN { return .missing }
                    guard d == d.rounded(), abs(d) < 9.2e18 else { throw bad(r, "the number \(formatDouble(d))") }
                    return .int(Int64(d))
                case .string: return .text(formatDouble(d))
                case .bool:
                    guard d == 0 || d == 1 else { throw bad(r, "the number \(formatDouble(d))") }
                    return .bool(d == 1)
                case .date: throw bad(r, "a number")
                }
            case .bool(let b):
                switch input.type {
                case .bool: return .bool(b)
                case .string: return .text(b ? "true" : "false")
                case .int64: return .int(b ? 1 : 0)
                case .float64: return .float(b ? 1 : 0)
                case .date: throw bad(r, "true or false")
                }
            }
        }
        let storage: ColumnStorage
        switch input.type {
        case .float64:
            var v = [Double](repeating: .nan, count: n)
            for r in 0..<n { if case .float(let d) = try parsed(r) { v[r] = d } else { valid[r] = false } }
            storage = .float(v)
        case .int64:
            var v = [Int64](repeating: 0, count: n)
            for r in 0..<n { if case .int(let d) = try parsed(r) { v[r] = d } else { valid[r] = false } }
            storage = .int(v)
        case .bool:
            var v = [Bool](repeating: false, count: n)
            for r in 0..<n { if case .bool(let d) = try parsed(r) { v[r] = d } else { valid[r] = false } }
            storage = .bool(v)
        case .date:
            var v = [Int32](repeating: 0, count: n)
            for r in 0..<n { if case .date(let d) = try parsed(r) { v[r] = d } else { valid[r] = false } }
            storage = .date(v)
        case .string:
            var codes = [UInt32](repeating: 0, count: n)
            var dictionary: [String] = [], index: [String: UInt32] = [:]
            for r in 0..<n {
                guard case .text(let s) = try parsed(r) else { valid[r] = false; continue }
                if let c = index[s] { codes[r] = c } else {
                    index[s] = UInt32(dictionary.count)
                    codes[r] = UInt32(dictionary.count)
                    dictionary.append(s)
                }
            }
            storage = .string(codes: codes, dictionary: dictionary.isEmpty ? [""] : dictionary)
        }
        return Column(name: input.name, storage: storage, validity: Bitmap(valid))
    }
}
