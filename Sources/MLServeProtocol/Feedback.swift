import MLDiagnostics
import MLModel

/// True values for answered requests, so a server can measure its model: `POST
/// /v2/models/{m}/feedback` with `{"id": "ID", "labels": [one per row]}` (or `"label": x` for a
/// one-row request), or a list of such objects.
public enum Feedback {
    public struct Item: Sendable, Equatable {
        public var id: String
        public var labels: [PredictedValue?]
    }

    public static func decode(_ body: [UInt8], model: Model) throws(ServeError) -> [Item] {
        let root = try parseBody(body)
        let objects: [JSONValue]
        switch root {
        case .array(let list):
            guard !list.isEmpty else { throw .badRequest("the list of feedback is empty; send {\"id\": \"ID\", \"labels\": [...]}") }
            objects = list
        case .object: objects = [root]
        default: throw .badRequest("the body is \(root.kindName); send {\"id\": \"ID\", \"labels\": [true values, one per row]}")
        }
        var items: [Item] = []
        for (k, value) in objects.enumerated() {
            let at = objects.count > 1 ? "feedback[\(k)]" : "the feedback"
            guard case .object(let o) = value else { throw .badRequest("\(at) is \(value.kindName); it must be {\"id\": \"ID\", \"labels\": [...]}") }
            for key in o.keys where !["id", "labels", "label"].contains(key) {
                throw .badRequest("\(at) has an unknown key \"\(key)\"; it takes id and labels (or label)")
            }
            let id: String
            switch o["id"] {
            case .string(let s)?: id = s
            case .number(let d, integer: true)?: id = String(Int64(d))
            case nil: throw .badRequest("\(at) has no \"id\": give the id of the request whose true values these are (the X-Request-Id header of its answer)")
            case let other?: throw .badRequest("\(at): id is \(other.kindName); it must be a text")
            }
            let raw: [JSONValue]
            switch (o["labels"], o["label"]) {
            case (.array(let list)?, nil): raw = list
            case (nil, let one?): raw = [one]
            case (let other?, nil): throw .badRequest("\(at): labels is \(other.kindName); it must be a list, one true value per row of the request")
            case (_?, _?): throw .badRequest("\(at) has both labels and label; give one")
            case (nil, nil): throw .badRequest("\(at) has no \"labels\": give the true values, one per row of the request")
            }
            var labels: [PredictedValue?] = []
            for (r, v) in raw.enumerated() {
                labels.append(try label(v, model: model, at: "\(at), label \(r + 1)"))
            }
            items.append(Item(id: id, labels: labels))
        }
        return items
    }

    /// A true value in the target's terms: one of the classes, or a number; null for none.
    static func label(_ v: JSONValue, model: Model, at: String) throws(ServeError) -> PredictedValue? {
        if case .null = v { return nil }
        if let classes = model.classes {
            let text: String
            switch v {
            case .string(let s): text = s
            case .bool(let b): text = b ? "true" : "false"
            case .number(let d, _): text = d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : "\(d)"
            default: throw .badRequest("\(at) is \(v.kindName); give one of the classes: \(classes.joined(separator: ", "))")
            }
            guard let k = classes.firstIndex(of: text) else {
                let near = Suggest.didYouMean(text, in: classes)
                throw .badRequest("\(at) is \"\(text)\", not a class \(model.name) knows; the classes: \(classes.joined(separator: ", "))" + (near.map { "; \($0)" } ?? ""))
            }
            return model.predictedValue(Double(k))
        }
        guard model.task == .regression else { throw .badRequest("\(model.name) finds clusters; there is no true value to compare it with") }
        guard case .number(let d, _) = v, d.isFinite else { throw .badRequest("\(at) is \(v.kindName); give the true value, a number") }
        return .number(d)
    }
}
