import MLModel
import Synchronization

/// The last rows a server answered, their raw inputs and the predictions, for `watch` and drift:
/// at most `capacity` rows, the oldest dropped first. Whole requests are kept as they came (their
/// columns are shared, not copied), so keeping them costs a request almost nothing.
public final class RecentRequests: Sendable {
    /// One request's rows: raw values by input column, and the answers.
    public struct Batch: Sendable {
        public var model: String
        public var columns: [String: [RawValue]]
        public var count: Int
        public var predictions: [PredictedValue?]
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

    func add(model: String, batch columns: [String: [RawValue]], count: Int, answers: [Prediction]) {
        guard capacity > 0 else { return }
        let batch = Batch(model: model, columns: columns, count: count, predictions: answers.map(\.value))
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

    /// The requests kept, oldest first (at least `capacity` rows when that many were answered),
    /// and how many rows were answered in all.
    public var snapshot: (batches: [Batch], seen: Int) {
        ring.withLock { ring in (Array(ring.batches[ring.first...]), ring.seen) }
    }
}
