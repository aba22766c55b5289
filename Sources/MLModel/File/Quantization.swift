import MLLearn

/// What quantization costs, measured on the training rows the model kept.
enum Quantization {
    static let knnMeasuredRows = 2_000

    static func measure(_ model: Model, _ dtype: QuantizedType, interrupted: @escaping @Sendable () -> Bool = { false }) throws -> ModelHeader.Quantization {
        var q = ModelHeader.Quantization(dtype: dtype)
        let tensors = model.estimator.splitTensors().tensors.filter(\.quantizable)
        q.f64WeightBytes = tensors.reduce(0) { $0 + $1.count * 8 }
        q.weightBytes = tensors.reduce(0) { $0 + $1.count * (dtype == .f64 ? 8 : dtype == .f32 ? 4 : dtype == .f16 ? 2 : 1) }
        guard dtype != .f64, var x = model.trainingSample, x.rows > 0 else { return q }
        // A k-NN prediction reads many training rows: 2,000 rows measure it in a fraction of a second.
        if case .knn = model.estimator, x.rows > knnMeasuredRows {
            x = x.rows(Array(stride(from: 0, to: x.rows, by: (x.rows + knnMeasuredRows - 1) / knnMeasuredRows)))
        }
        let bytes = try Payload.encode(model, quantize: dtype)
        let quantized = try bytes.withUnsafeBytes { try Payload.decode($0) }
        let (a, pa) = model.predict(x, interrupted: interrupted), (b, pb) = quantized.predict(x, interrupted: interrupted)
        if interrupted() { throw ModelFileError.interrupted("the file") }
        var maxAbs = 0.0, maxRel = 0.0, same = 0
        func compare(_ u: Double, _ v: Double) {
            let d = abs(u - v)
            maxAbs = max(maxAbs, d.isNaN ? .infinity : d)
            if model.task == .regression { if u != 0 { maxRel = max(maxRel, d / abs(u)) } else if d > 0 { maxRel = .infinity } }
        }
        if let pa, let pb {
            for (ra, rb) in zip(pa, pb) { for (u, v) in zip(ra, rb) { compare(u, v) } }
        } else {
            for (u, v) in zip(a, b) { compare(u, v) }
        }
        for (u, v) in zip(a, b) where u == v { same += 1 }
        q.rows = x.rows
        // A cluster's number has no size: k-means reports only the rows that keep their cluster.
        q.maxAbsoluteChange = model.task == .clustering ? nil : maxAbs
        // A probability's relative change says little (1e-9 to 2e-9 doubles it): classifiers report absolute ones.
        q.maxRelativeChange = model.task == .regression ? maxRel : nil
        if model.task != .regression { q.labelAgreement = Double(same) / Double(x.rows) }
        return q
    }
}

extension ModelHeader.Quantization {
    init(dtype: QuantizedType) {
        self.dtype = dtype
    }
}
