import MLModel
import Synchronization

/// The last rows a server answered, their raw inputs and the prediction, for `watch` and drift:
/// a ring of at most `capacity` rows, the oldest dropped first.
public final class RecentRequests: Sendable {
    public struct Row: Sendable {
        public var model: String
        public var inputs: [String: RawValue]
        public var prediction: PredictedValue?
    }

    struct Ring {
        var rows: [Row] = []
        var next = 0
        var seen = 0
    }

    public let capacity: Int
    let ring = Mutex(Ring())

    public init(capacity: Int) { self.capacity = max(0, capacity) }

    func add(model: String, batch columns: [String: [RawValue]], count: Int, answers: [Prediction]) {
        guard capacity > 0 else { return }
        // Only the newest rows of a large batch can stay.
        let first = max(0, count - capacity)
        var rows: [Row] = []
        rows.reserveCapacity(count - first)
        for r in first..<count {
            var inputs: [String: RawValue] = [:]
            for (name, values) in columns { inputs[name] = values[r] }
            rows.append(Row(model: model, inputs: inputs, prediction: answers[r].value))
        }
        ring.withLock { ring in
            ring.seen += count
            for row in rows {
                if ring.rows.count < capacity {
                    ring.rows.append(row)
                } else {
                    ring.rows[ring.next] = row
                }
                ring.next = (ring.next + 1) % capacity
            }
        }
    }

    /// The rows kept, oldest first, and how many rows were answered in all.
    public var snapshot: (rows: [Row], seen: Int) {
        ring.withLock { ring in
            let rows = ring.rows.count < capacity ? ring.rows : Array(ring.rows[ring.next...] + ring.rows[..<ring.next])
            return (rows, ring.seen)
        }
    }
}
