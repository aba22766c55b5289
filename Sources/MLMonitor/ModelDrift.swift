import MLFrame
import MLModel
import MLPrep

/// A model's side of drift: its training reference (the raw inputs it reads and its
/// predictions), and the same columns for new rows, so both sides line up by name.
public enum ModelDrift {
    /// The reference of every raw input the model reads, then of its predictions; nil when the
    /// model carries no reference profile.
    public static func reference(_ model: Model) -> [DriftColumn]? {
        guard let profile = model.profile else { return nil }
        var columns: [DriftColumn] = []
        for input in model.usedInputs {
            guard let p = profile.columns.first(where: { $0.name == input.name }) else { continue }
            columns.append(DriftColumn(reference: p, type: input.type))
        }
        columns.append(DriftColumn(reference: profile.predictions, type: model.classes == nil && model.task != .clustering ? .float64 : .string))
        return columns
    }

    /// New rows' raw inputs (those the frame has) and the model's predictions for them.
    public static func current(_ model: Model, raw: Frame, engine: ExpressionEngine?) -> [DriftColumn] {
        var columns: [DriftColumn] = []
        for input in model.usedInputs {
            if let c = raw.column(input.name) { columns.append(DriftColumn(c)) }
        }
        if let p = predictions(model, raw: raw, engine: engine) { columns.append(p) }
        return columns
    }

    /// The model's answers for the rows as a column named as its reference names them
    /// ("prediction", or "cluster"): class labels and clusters as categories, values as numbers.
    public static func predictions(_ model: Model, raw: Frame, engine: ExpressionEngine?) -> DriftColumn? {
        guard let answered = try? model.predict(raw: raw, engine: engine) else { return nil }
        let name = model.profile?.predictions.name ?? "prediction"
        let missing = raw.rowCount - answered.rows.count
        if let classes = model.classes {
            return DriftColumn(name: name, values: .texts(answered.values.map { classes[Int($0)] }), missing: missing)
        }
        if model.task == .clustering {
            return DriftColumn(name: name, values: .texts(answered.values.map { String(Int($0)) }), missing: missing)
        }
        return DriftColumn(name: name, values: .numbers(answered.values.filter(\.isFinite)), missing: missing)
    }
}
