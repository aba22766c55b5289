import MLFrame
import MLLearn
import MLModel
#if canImport(Glibc)
import Glibc
#endif

extension Trainer {
    /// Rows the reference profile is computed on at most (an even sample past that): enough for
    /// drift statistics, and a million-row fit stays fast.
    static let profileRows = 100_000

    /// What a model needs beyond its estimator to be used without the session: the schema of its
    /// raw inputs, the target's type, where it came from, a training sample (for measuring what
    /// quantization costs) and the reference profile that drift is measured against.
    func describeForLater(_ model: inout Model, _ d: Dataset, design: Design, sourceRows: [Int], predictions: [Double]?) {
        let trainingRows = design.rows.map { sourceRows[$0] }
        let every = max(1, (trainingRows.count + Self.profileRows - 1) / Self.profileRows)
        let profiled = stride(from: 0, to: trainingRows.count, by: every).map { trainingRows[$0] }
        let raw = d.loaded.take(profiled)
        model.inputs = InputColumn.schema(of: d.loaded, rows: trainingRows.count == d.loaded.rowCount ? nil : trainingRows)
        if let t = model.target { model.targetType = d.loaded.column(t)?.type }
        model.lineage = Lineage(source: d.source.path, sourceBytes: d.source.bytes, sourceSHA256: nil, rows: trainingRows.count,
                                seed: session.settings.seed, mlshVersion: HelpFormatter.version,
                                // A recorded session (mlsh check) makes the same file every time.
                                created: session.recording ? "1970-01-01T00:00:00Z" : Self.utcNow())
        guard keepsDescription else { return }
        // Up to sampleLimit design rows, evenly spaced: quantization is measured on them.
        let step = max(1, (design.rowCount + Model.sampleLimit - 1) / Model.sampleLimit)
        let sample = Array(stride(from: 0, to: design.rowCount, by: step))
        let x: Matrix
        if design.blocks != nil {
            let engine = SessionExpressionEngine(session: session, datasetName: d.name)
            let frame = try? model.recipe.apply(d.loaded.take(sample.map { trainingRows[$0] }), engine: engine)
            x = frame.flatMap { try? Design.build($0, features: model.features, target: nil, classification: false,
                                                  keepsMissing: model.algorithm.keepsMissing).x } ?? Matrix(rows: 0, cols: 0, data: [])
        } else {
            x = design.x.rows(sample)
        }
        model.trainingSample = x.rows > 0 ? x : nil
        let predicted: [Double]
        if let predictions, design.blocks != nil || x.rows == 0 {
            predicted = sample.map { predictions[$0] }
        } else {
            let profiledX = model.algorithm == .knn && x.rows > Report.knnScoredRows ? x.rows(Array(0..<Report.knnScoredRows)) : x
            predicted = model.predict(profiledX).values
        }
        let predictionProfile = model.classes.map { classes in
            ColumnProfile.categorical("prediction", predicted.map { classes[Int($0)] }, missing: 0)
        } ?? (model.task == .clustering ? ColumnProfile.categorical("cluster", predicted.map { String(Int($0)) }, missing: 0)
              : ColumnProfile.numeric("prediction", predicted, missing: 0))
        model.profile = ReferenceProfile(columns: raw.columns.map(ColumnProfile.of), predictions: predictionProfile)
    }

    /// Now, as ISO 8601 in UTC.
    static func utcNow() -> String {
        var t = time(nil), parts = tm()
        gmtime_r(&t, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }
}
