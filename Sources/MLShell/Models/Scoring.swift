import MLDiagnostics
import MLFrame
import MLModel
import MLLearn

/// One number to rank models by, with the others worth showing beside it.
struct Score {
    /// (name, value) pairs; the first is the one models are ranked by.
    var metrics: [(String, Double)]
    var lowerIsBetter: Bool
    /// Rows whose class the model never saw: left out of the metrics, and said so.
    var unseen = 0
    var primary: Double { metrics[0].1 }
}

extension Model {
    /// The model's metrics on a dataset (its raw rows through the model's recipe).
    func score(on d: Dataset, session: Session, call: CommandCall) throws -> Score {
        let (design, _) = try self.design(for: d, session: session, call: call, needTarget: task != .clustering, inBlocks: true)
        guard design.rowCount > 0 else { throw call.error("no row of \(d.name) has values in every model column") }
        let (values, probabilities) = predict(design, interrupted: session.interruptCheck)
        try session.interrupt.check()
        switch task {
        case .regression:
            let r = Metrics.regression(design.y, values)
            return Score(metrics: [("RMSE", r.rmse), ("MAE", r.mae), ("R²", r.r2)], lowerIsBetter: true)
        case .classification:
            let known = zip(design.y, values).filter { $0.0 >= 0 }
            // No row of a class the model knows (a fold whose test rows hold only classes its
            // training rows lack): there is nothing to score, not a score of 0.
            if known.isEmpty {
                return Score(metrics: [("accuracy", .nan), ("macro F1", .nan), ("log-loss", .nan)], lowerIsBetter: false, unseen: design.y.count)
            }
            let c = Metrics.classification(known.map { Int($0.0) }, known.map { Int($0.1) }, classes: classes!,
                                           probabilities: probabilities.map { p in design.y.indices.filter { design.y[$0] >= 0 }.map { p[$0] } })
            var m: [(String, Double)] = [("accuracy", c.accuracy), ("macro F1", c.macro.f1)]
            if let l = c.logLoss { m.append(("log-loss", l)) }
            return Score(metrics: m, lowerIsBetter: false, unseen: design.y.count - known.count)
        case .clustering:
            guard case .kmeans(let fit) = estimator else { return Score(metrics: [], lowerIsBetter: true) }
            let labels = fit.assign(design.x)
            var inertia = 0.0
            for r in 0..<design.x.rows {
                let p = design.x.row(r), c = fit.centers[labels[r]]
                inertia += zip(p, c).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
            }
            return Score(metrics: [("inertia", inertia)], lowerIsBetter: true)
        }
    }
}

/// k folds of a dataset's rows, shuffled by a seed (as scikit-learn's KFold with shuffle).
enum Folds {
    static func make(rows: Int, k: Int, seed: UInt64) -> [[Int]] {
        var rng = SeededRandom(seed: seed)
        var order = Array(0..<rows)
        for i in stride(from: rows - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        // The first rows % k folds get one row more.
        var folds: [[Int]] = []
        var start = 0
        for f in 0..<k {
            let size = rows / k + (f < rows % k ? 1 : 0)
            folds.append(order[start..<(start + size)].sorted())
            start += size
        }
        return folds
    }
}
