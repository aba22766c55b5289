import MLModel
import Synchronization

/// The last rows a server answered, their raw inputs and the predictions, for `watch` and drift:
/// at most `capacity` rows, the oldest dropped first. Whole requests are kept as they came (their
/// columns are shared, not copied), so keeping them costs a request almost nothing.
public final class RecentRequests: Sendable {
    /// One request's rows: raw values by input column, and the answers.
    public struct Batch: Sendable {
        /// The request's id: the client's (an Open Inference `id`, or an X-Request-Id header) or
        /// the server's count; feedback names it.
        public var id: String
        public var model: String
        public var columns: [String: [RawValue]]
        public var count: Int
        public var predictions: [PredictedValue?]
        /// The true values, once feedback gave them (one per row; nil where none came).
        public var labels: [PredictedValue?]?

        /// Its last `n` rows.
        func last(_ n: Int) -> Batch {
            var b = self
            b.columns = columns.mapValues { Array($0.suffix(n)) }
            b.count = n
            b.predictions = Array(predictions.suffix(n))
            b.labels = labels.map { Array($0.suffix(n)) }
            return b
        }
    }

    struct Ring {
        var batches: [Batch] = []
        var first = 0
        var rows = 0
        var seen = 0
    }

    public let capacity: Int
    let ring = Mutex(Ring())

    public init(capacity: Int) { self.capacity = max(0, capacity) }

    func add(id: String, model: String, batch columns: [String: [RawValue]], count: Int, answers: [Prediction]) {
        guard capacity > 0 else { return }
        let batch = Batch(id: id, model: model, columns: columns, count: count, predictions: answers.map(\.value))
        ring.withLock { ring in
            ring.seen += count
            ring.batches.append(batch)
            ring.rows += count
            // Drop whole old requests while the rest still hold `capacity` rows.
            while ring.first < ring.batches.count - 1, ring.rows - ring.batches[ring.first].count >= capacity {
                ring.rows -= ring.batches[ring.first].count
                ring.first += 1
            }
            if ring.first > 64, ring.first * 2 > ring.batches.count {
                ring.batches.removeFirst(ring.first)
                ring.first = 0
            }
        }
    }

    /// Gives a kept request of `model` its true values: .noRequest when none has that id (never
    /// seen, another model's, or dropped since), .wrongCount when the labels are not one per row.
    /// Several at once, all or none: the first that cannot be labelled is returned with its
    /// position, and nothing is changed.
    func label(_ items: [(id: String, labels: [PredictedValue?])], model: String) -> (index: Int, outcome: LabelOutcome)? {
        ring.withLock { ring in
            var found: [Int] = []
            for (n, item) in items.enumerated() {
                guard let k = ring.batches[ring.first...].lastIndex(where: { $0.id == item.id }) else { return (n, .noRequest) }
                guard ring.batches[k].model == model else { return (n, .otherModel(ring.batches[k].model)) }
                guard ring.batches[k].count == item.labels.count else { return (n, .wrongCount(ring.batches[k].count)) }
                found.append(k)
            }
            for (k, item) in zip(found, items) { ring.batches[k].labels = item.labels }
            return nil
        }
    }

    enum LabelOutcome: Equatable {
        case noRequest, otherModel(String), wrongCount(Int)
    }

    /// The requests kept, oldest first (at least `capacity` rows when that many were answered),
    /// and how many rows were answered in all.
    public var snapshot: (batches: [Batch], seen: Int) {
        ring.withLock { ring in (Array(ring.batches[ring.first...]), ring.seen) }
    }
}
