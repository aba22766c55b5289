import MLModel

/// KServe's V1 protocol: `{"instances": [...]}` (or `{"inputs": [...]}`) in, `{"predictions":
/// [...]}` out, the predictions in the target's own type as scikit-learn's `predict` gives them.
public enum KServeV1 {
    public static func decode(_ body: [UInt8], model: Model) throws(ServeError) -> InferenceBatch {
        let root = try parseBody(body).requireObject("send {\"instances\": [rows]}")
        let key = root["instances"] != nil ? "instances" : "inputs"
        guard let value = root[key] else { throw .badRequest("the request has no \"instances\": send {\"instances\": [rows]}") }
        guard case .array(let items) = value else { throw .badRequest("\(key) is \(value.kindName); it must be a list of rows") }
        return try Rows.batch(items, model: model, path: key)
    }

    /// The predictions as a list under `key`: classes, numbers or clusters.
    public static func encode(_ answers: [Prediction], key: String = "predictions") -> [UInt8] {
        var w = JSONWriter(capacity: 32 + answers.count * 12)
        w.raw("{"); w.key(key); w.raw("[")
        for (r, a) in answers.enumerated() {
            if r > 0 { w.raw(",") }
            if let v = a.value { w.value(v) } else { w.raw("null") }
        }
        w.raw("]}")
        return w.bytes
    }
}
