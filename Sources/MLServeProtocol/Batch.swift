import MLDiagnostics
import MLModel
import MLPrep

/// What every protocol's request becomes: raw values by input column, `count` rows, and how to
/// name a row in a message in the client's own terms ("instances[3]", "CSV line 5").
public struct InferenceBatch: Sendable {
    public var count: Int
    public var columns: [String: [RawValue]]
    public var rowName: @Sendable (Int) -> String

    public init(count: Int, columns: [String: [RawValue]], rowName: @escaping @Sendable (Int) -> String) {
        self.count = count
        self.columns = columns
        self.rowName = rowName
    }
}

/// The one prediction path of a server: a batch through the model's own `predict(columns:)`,
/// its failures as 400s that name the column and the row.
public enum BatchPredictor {
    /// `usedInputs`: the model's, when the caller has them worked out (a server does, once).
    public static func predict(_ batch: InferenceBatch, model: Model, usedInputs: [InputColumn]? = nil, engine: ExpressionEngineFactory,
                               interrupted: @escaping @Sendable () -> Bool) throws(ServeError) -> [Prediction] {
        // A misspelt name first: its did-you-mean explains the input that then seems absent.
        for name in batch.columns.keys.sorted() where !model.inputs.contains(where: { $0.name == name }) {
            throw .badRequest("\(model.name) takes no input '\(name)'; "
                              + (Suggest.didYouMean(name, in: model.inputs.map(\.name)) ?? "its inputs: " + model.usedInputs.map(\.name).joined(separator: ", ")))
        }
        let used = usedInputs ?? model.usedInputs
        for input in used where batch.columns[input.name] == nil {
            throw .badRequest("the request lacks the input '\(input.name)' that \(model.name) reads (it reads \(used.map(\.name).joined(separator: ", ")))")
        }
        let answers: [Prediction]
        do {
            answers = try model.predict(columns: batch.columns, count: batch.count, engine: engine.make(model), interrupted: interrupted)
        } catch let d as Diagnostic {
            throw .badRequest(d.message + (d.hint.map { "; " + $0 } ?? ""))
        } catch {
            throw .badRequest("\(error)")
        }
        if interrupted() { throw ServeError(503, "the request took longer than its time limit") }
        if let r = answers.firstIndex(where: { $0.value == nil }) {
            let absent = answers[r].missingFeatures
            let given = absent.first { f in batch.columns[f].map { r < $0.count && $0[r] != .missing } ?? false }
            if let given {
                throw .badRequest("\(batch.rowName(r)): no prediction: the value given for \(given) is one the model's recipe never saw, so it has no value for it")
            }
            throw .badRequest("\(batch.rowName(r)): no prediction: after the recipe this row has no value for " + absent.joined(separator: ", ")
                              + "; send the raw values it comes from")
        }
        return answers
    }
}

/// How a server gets an engine for a recipe's `derive` steps: the shell makes one over an empty
/// session (a saved recipe's expressions carry the session values they read, written in). It is
/// made per request, and only for recipes that derive a column.
public struct ExpressionEngineFactory: Sendable {
    let makeEngine: @Sendable () -> (any ExpressionEngine)?

    public init(_ makeEngine: @escaping @Sendable () -> (any ExpressionEngine)?) { self.makeEngine = makeEngine }

    public static let none = ExpressionEngineFactory { nil }

    public func make(_ model: Model) -> (any ExpressionEngine)? {
        let derives = model.recipe.entries.contains { if case .derive = $0.step { return true } else { return false } }
        return derives ? makeEngine() : nil
    }
}
