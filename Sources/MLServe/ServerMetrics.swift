import MLModel
import Prometheus
import Synchronization

/// What a server counts, for `/metrics` (Prometheus text, through swift-prometheus) and for
/// the `servers` table. Names follow Prometheus' conventions: a `mlsh_` prefix, `_total` on
/// counters, base units (seconds).
public final class ServerMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    let inFlightGauge: Gauge
    let requestCount = Atomic<Int>(0)
    let errorCount = Atomic<Int>(0)
    let inFlightCount = Atomic<Int>(0)
    /// One set of buckets per metric name (swift-prometheus requires it): the first regression
    /// model's, kept when a model is swapped in.
    let valueBuckets = Mutex<[Double]?>(nil)
    /// The metric objects made so far, by their labels: making one through the registry costs
    /// a lookup by name, the help text's checks and an array of labels on every request.
    let requestCounters = MetricCache<RequestKey, Counter>()
    let durationHistograms = MetricCache<String, DurationHistogram>()
    let classCounters = MetricCache<[String], Counter>()
    let valueHistograms = MetricCache<String, ValueHistogram>()
    let alertCounters = MetricCache<[String], Counter>()
    let alertGauges = MetricCache<[String], Gauge>()
    /// How many firings of each alert are already counted on its counter.
    let alertsCounted = Mutex<[[String]: Int]>([:])

    struct RequestKey: Hashable {
        var model: String
        var protocolName: String
        var status: Int
    }

    public var requests: Int { requestCount.load(ordering: .relaxed) }
    public var errors: Int { errorCount.load(ordering: .relaxed) }
    public var inFlight: Int { inFlightCount.load(ordering: .relaxed) }

    static let durationBuckets: [Duration] = [
        .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .microseconds(2500), .milliseconds(5),
        .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
        .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
    ]

    public init() {
        inFlightGauge = registry.makeGauge(descriptor: .init(namespace: "mlsh", metricName: "requests_in_flight", unitName: "",
                                                             helpText: "Requests being answered now"))
    }

    func started() {
        inFlightCount.add(1, ordering: .relaxed)
        inFlightGauge.increment()
    }

    /// One answered request: by model ("" for routes that name none), protocol and status.
    func finished(model: String, protocol name: String, status: Int, duration: Duration) {
        inFlightCount.subtract(1, ordering: .relaxed)
        inFlightGauge.decrement()
        requestCount.add(1, ordering: .relaxed)
        if status >= 400 { errorCount.add(1, ordering: .relaxed) }
        requestCounters.get(RequestKey(model: model, protocolName: name, status: status)) {
            registry.makeCounter(descriptor: .init(namespace: "mlsh", metricName: "requests", unitName: "total",
                                                   helpText: "Requests answered, by model, protocol and HTTP status code"),
                                 labels: [("model", model), ("protocol", name), ("code", String(status))])
        }.increment()
        durationHistograms.get(name) {
            registry.makeDurationHistogram(descriptor: .init(namespace: "mlsh", metricName: "request_duration", unitName: "seconds",
                                                             helpText: "Time from the request's head to its answer"),
                                           labels: [("protocol", name)], buckets: Self.durationBuckets)
        }.record(duration)
    }

    /// The answers given: counted by class (classifiers, k-means), or their values in a
    /// histogram whose buckets are the edges of the training predictions' histogram.
    func predicted(_ served: ServedModel, _ answers: [Prediction]) {
        let model = served.model
        if model.classes != nil || model.task == .clustering {
            var counts: [String: Int] = [:]
            for a in answers {
                guard let v = a.value else { continue }
                let label: String
                switch v {
                case .text(let s): label = s
                case .int(let i): label = String(i)
                case .bool(let b): label = b ? "true" : "false"
                case .number(let d): label = d.description
                }
                counts[label, default: 0] += 1
            }
            for (label, n) in counts {
                classCounters.get([served.name, label]) {
                    registry.makeCounter(descriptor: .init(namespace: "mlsh", metricName: "predictions", unitName: "total",
                                                           helpText: "Predictions given, by model and predicted class (or cluster)"),
                                         labels: [("model", served.name), ("class", label)])
                }.increment(by: Int64(n))
            }
        } else {
            let histogram = valueHistograms.get(served.name) {
                registry.makeValueHistogram(
                    descriptor: .init(namespace: "mlsh", metricName: "predicted_value", unitName: "",
                                      helpText: "Predicted values, in buckets from the training predictions' histogram"),
                    labels: [("model", served.name)], buckets: buckets(model))
            }
            // An overflowing input can make an infinite answer; it would poison the sum for good.
            for a in answers { if case .number(let d)? = a.value, d.isFinite { histogram.record(d) } }
        }
    }

    func buckets(_ model: Model) -> [Double] {
        valueBuckets.withLock { kept in
            if let kept { return kept }
            var b = [-1000.0, -100, -10, -1, 0, 1, 10, 100, 1000]
            if let edges = model.profile?.predictions.edges, edges.count > 2 { b = Array(edges.dropFirst().dropLast()) }
            kept = b
            return b
        }
    }

    /// An alert's firings so far (a counter) and whether it holds now (a gauge, 1 or 0).
    func alert(model: String, rule: String, fired: Int, firing: Bool) {
        let key = [model, rule]
        let new = alertsCounted.withLock { counted -> Int in
            let n = fired - (counted[key] ?? 0)
            counted[key] = fired
            return n
        }
        let counter = alertCounters.get(key) {
            registry.makeCounter(descriptor: .init(namespace: "mlsh", metricName: "alerts_fired", unitName: "total",
                                                   helpText: "Times an alert began to hold, by model and rule"),
                                 labels: [("model", model), ("alert", rule)])
        }
        if new > 0 { counter.increment(by: Int64(new)) }
        alertGauges.get(key) {
            registry.makeGauge(descriptor: .init(namespace: "mlsh", metricName: "alert_firing", unitName: "",
                                                 helpText: "Whether an alert holds now (1) or not (0), by model and rule"),
                               labels: [("model", model), ("alert", rule)])
        }.set(to: firing ? 1 : 0)
    }

    func loaded(_ served: ServedModel) {
        registry.makeGauge(descriptor: .init(namespace: "mlsh", metricName: "model_load", unitName: "seconds",
                                             helpText: "How long the model took to load"),
                           labels: [("model", served.name)]).set(to: served.loadSeconds)
    }

    public func text() -> [UInt8] { registry.emitToBuffer() }
}

/// Metric objects by their labels, made once. Two requests racing to make the same one get the
/// same object: the registry returns the one it has for the same name and labels.
final class MetricCache<Key: Hashable & Sendable, Metric: Sendable>: Sendable {
    private let made = Mutex<[Key: Metric]>([:])

    func get(_ key: Key, make: () -> Metric) -> Metric {
        if let m = made.withLock({ $0[key] }) { return m }
        let m = make()
        made.withLock { $0[key] = m }
        return m
    }
}
