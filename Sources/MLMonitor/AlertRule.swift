/// A condition on a served model's figures, checked at each look (a `watch` tick, a scrape of
/// `/metrics`, a read of the monitor route): `drift > 0.25`, `p99 > 50ms`, `error_rate > 1%`.
public struct AlertRule: Codable, Sendable, Equatable {
    public enum Figure: String, Codable, Sendable, CaseIterable {
        case drift, driftShare = "drift_share", p50, p95, p99, errorRate = "error_rate", accuracy, rmse
        /// Latencies compare in seconds; the rule's text may give ms, µs or s.
        public var isTime: Bool { self == .p50 || self == .p95 || self == .p99 }
        public var isShare: Bool { self == .errorRate || self == .driftShare || self == .accuracy }
        public var meaning: String {
            switch self {
            case .drift: "the largest PSI of the model's inputs"
            case .driftShare: "the share of the model's columns (inputs and prediction) that drift"
            case .p50, .p95, .p99: "a latency percentile over the recent window"
            case .errorRate: "the share of recent requests answered with an error"
            case .accuracy: "the accuracy over the labelled rows"
            case .rmse: "the RMSE over the labelled rows"
            }
        }
    }

    public var model: String
    public var figure: Figure
    public var above: Bool
    public var threshold: Double

    public init(model: String, figure: Figure, above: Bool, threshold: Double) {
        self.model = model
        self.figure = figure
        self.above = above
        self.threshold = threshold
    }

    /// The rule as it is written: `p99 > 50ms`.
    public var text: String {
        let value: String
        if figure.isTime {
            value = threshold < 1e-3 ? "\(trim(threshold * 1e6))µs" : threshold < 1 ? "\(trim(threshold * 1e3))ms" : "\(trim(threshold))s"
        } else if figure.isShare && figure != .accuracy {
            value = "\(trim(threshold * 100))%"
        } else {
            value = trim(threshold)
        }
        return "\(figure.rawValue) \(above ? ">" : "<") \(value)"
    }

    func trim(_ x: Double) -> String {
        let r = (x * 1e6).rounded() / 1e6
        return r == r.rounded() && abs(r) < 1e15 ? String(Int64(r)) : String(r)
    }

    /// Whether the figure, when there is one, crosses the threshold.
    public func holds(_ value: Double?) -> Bool {
        guard let value, value.isFinite else { return false }
        return above ? value > threshold : value < threshold
    }

    /// Reads `FIGURE > VALUE[unit]`; the error says what was wrong, in words for the user.
    public static func parse(model: String, figure: String, comparison: String, value: String) -> Result<AlertRule, AlertRuleError> {
        guard let f = Figure(rawValue: figure) else {
            return .failure(AlertRuleError(message: "no figure '\(figure)' to alert on", choices: Figure.allCases.map(\.rawValue)))
        }
        guard comparison == ">" || comparison == "<" else {
            return .failure(AlertRuleError(message: "an alert compares with > or <, not '\(comparison)'", choices: [">", "<"]))
        }
        var text = Substring(value)
        var scale = 1.0
        let timeUnits: Set<String> = ["ms", "µs", "us", "s", "m", "h"]
        for (unit, factor) in [("ms", 1e-3), ("µs", 1e-6), ("us", 1e-6), ("s", 1.0), ("m", 60.0), ("h", 3600.0), ("%", 0.01)] where text.hasSuffix(unit) {
            let timeUnit = timeUnits.contains(unit)
            if timeUnit != f.isTime || (unit == "%" && !f.isShare) {
                return .failure(AlertRuleError(message: "\(figure) is \(f.isTime ? "a time: give ms, µs or s" : f.isShare ? "a share: give a percentage or a fraction" : "a plain number"), not '\(unit)'", choices: []))
            }
            text = text.dropLast(unit.count)
            scale = factor
            break
        }
        guard let number = Double(text), number.isFinite else {
            return .failure(AlertRuleError(message: "'\(value)' is not a number" + (f.isTime ? " with a unit (50ms)" : ""), choices: []))
        }
        if f.isTime && scale == 1.0 && !value.hasSuffix("s") {
            return .failure(AlertRuleError(message: "\(figure) is a time: give its unit, as in \(figure) > 50ms", choices: []))
        }
        let threshold = number * scale
        if threshold < 0 {
            return .failure(AlertRuleError(message: "\(figure) is never below 0; '\(value)' cannot be crossed", choices: []))
        }
        if f.isShare && threshold > 1 {
            return .failure(AlertRuleError(message: "\(figure) is a share, at most 100%; '\(value)' cannot be crossed", choices: []))
        }
        return .success(AlertRule(model: model, figure: f, above: comparison == ">", threshold: threshold))
    }
}

public struct AlertRuleError: Error, Sendable {
    public var message: String
    public var choices: [String]
}

/// A rule and what it has done: whether it holds now, how often it began to hold, its last value.
public struct AlertState: Codable, Sendable, Equatable {
    public var rule: String
    public var firing: Bool
    public var fired: Int
    public var value: Double?

    public init(rule: String, firing: Bool, fired: Int, value: Double?) {
        self.rule = rule; self.firing = firing; self.fired = fired; self.value = value
    }
}
