import FoundationEssentials
import MLModel

/// What `watch` shows of one served model at one moment: the server's traffic and latency, the
/// model's drift against its training reference, its accuracy where labels came back, and its
/// alerts. The monitor route (`GET /v2/models/{m}/monitor`) sends it as JSON.
public struct MonitorSnapshot: Codable, Sendable, Equatable {
    public var model: String
    public var uptime: Double
    /// Requests the server answered (every route), and those answered with an error, by code.
    public var requests: Int
    public var errors: [String: Int]
    public var inFlight: Int
    /// Over the recent window (between half a minute and a minute), and since the start.
    public var latency: LatencySummary
    public var latencyTotal: LatencySummary
    /// Requests and errors in the recent window, for the error rate.
    public var recentRequests: Int
    public var recentErrors: Int
    /// Rows answered in all, and the recent ones kept for drift.
    public var rowsAnswered: Int
    public var sampleRows: Int
    public var drift: DriftReport?
    /// The predictions' distribution: the training reference's shares beside the recent rows'.
    public var predictions: [PredictionShare]
    public var feedback: FeedbackSummary
    public var alerts: [AlertState]

    public var errorRate: Double? { recentRequests > 0 ? Double(recentErrors) / Double(recentRequests) : nil }

    public init(model: String, uptime: Double = 0, requests: Int = 0, errors: [String: Int] = [:], inFlight: Int = 0,
                latency: LatencySummary = .init(), latencyTotal: LatencySummary = .init(), recentRequests: Int = 0, recentErrors: Int = 0,
                rowsAnswered: Int = 0, sampleRows: Int = 0, drift: DriftReport? = nil, predictions: [PredictionShare] = [],
                feedback: FeedbackSummary = .init(), alerts: [AlertState] = []) {
        self.model = model; self.uptime = uptime; self.requests = requests; self.errors = errors; self.inFlight = inFlight
        self.latency = latency; self.latencyTotal = latencyTotal; self.recentRequests = recentRequests; self.recentErrors = recentErrors
        self.rowsAnswered = rowsAnswered; self.sampleRows = sampleRows; self.drift = drift; self.predictions = predictions
        self.feedback = feedback; self.alerts = alerts
    }

    /// The value an alert's figure has now; nil when there is none yet (no traffic, no labels).
    public func figure(_ f: AlertRule.Figure) -> Double? {
        switch f {
        case .drift: return drift?.largestPSI
        case .driftShare: return drift.map(\.share)
        case .p50: return latency.count > 0 ? latency.p50 : nil
        case .p95: return latency.count > 0 ? latency.p95 : nil
        case .p99: return latency.count > 0 ? latency.p99 : nil
        case .errorRate: return errorRate
        case .accuracy: return feedback.metric == "accuracy" ? feedback.value : nil
        case .rmse: return feedback.metric == "RMSE" ? feedback.value : nil
        }
    }
}

/// One class (or one bin of the training predictions' deciles): its share in training and now.
public struct PredictionShare: Codable, Sendable, Equatable {
    public var label: String
    public var reference: Double
    public var current: Double

    public init(label: String, reference: Double, current: Double) {
        self.label = label; self.reference = reference; self.current = current
    }
}

/// How the model does on the rows whose true labels came back.
public struct FeedbackSummary: Codable, Sendable, Equatable {
    /// "accuracy" (classes) or "RMSE" (values); nil for a model with neither (k-means).
    public var metric: String?
    public var labelled: Int
    public var value: Double?
    /// The same figure on the training rows, from `fit`.
    public var training: Double?

    public init(metric: String? = nil, labelled: Int = 0, value: Double? = nil, training: Double? = nil) {
        self.metric = metric; self.labelled = labelled; self.value = value; self.training = training
    }
}

extension MonitorSnapshot {
    /// The snapshot as the monitor route sends it.
    public func json() -> [UInt8] {
        (try? Array(FileJSON.encoder().encode(self))) ?? Array("{}".utf8)
    }

    /// A snapshot as the monitor route sent it.
    public static func decode(_ bytes: [UInt8]) throws -> MonitorSnapshot {
        try FileJSON.decoder().decode(MonitorSnapshot.self, from: Data(bytes))
    }
}

extension MonitorSnapshot {
    /// The names in a `GET /v1/models` answer: `{"models": [...]}`.
    public static func modelNames(_ bytes: [UInt8]) throws -> [String] {
        struct List: Decodable { var models: [String] }
        return try JSONDecoder().decode(List.self, from: Data(bytes)).models
    }
}
