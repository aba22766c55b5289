import MLFrame
import MLModel
import MLRender
import MLMonitor
import MLServeProtocol

/// An alert rule and what it has done so far.
struct AlertEntry: Sendable {
    var rule: AlertRule
    var firing = false
    var fired = 0
    var value: Double? = nil
}

extension ServerState {
    /// One served model's figures now (nil when the server has no model of that name). Reading
    /// them also checks the model's alerts: an alert fires when its condition begins to hold.
    public func monitor(_ name: String) -> MonitorSnapshot? {
        guard let served = store.model(name) else { return nil }
        let model = served.model
        let (recentLatency, totalLatency, recentErrors) = window.summary()
        var snapshot = MonitorSnapshot(
            model: name, uptime: options.clock.now() - startedAt, requests: totalLatency.count,
            errors: errorCodes.withLock { Dictionary(uniqueKeysWithValues: $0.map { (String($0.key), $0.value) }) },
            inFlight: metrics.inFlight, latency: recentLatency, latencyTotal: totalLatency,
            recentRequests: recentLatency.count, recentErrors: recentErrors)
        let (all, seen) = recent.snapshot
        // The newest rows, at most the sample's size (one large request is cut to its last rows).
        var batches: [RecentRequests.Batch] = []
        var rows = 0
        for b in all.reversed() where b.model == name && rows < options.sampleSize {
            let take = min(b.count, options.sampleSize - rows)
            batches.append(take == b.count ? b : b.last(take))
            rows += take
        }
        batches.reverse()
        snapshot.rowsAnswered = seen
        snapshot.sampleRows = rows
        if snapshot.sampleRows > 0, let reference = ModelDrift.reference(model) {
            var columns: [String: [RawValue]] = [:]
            for input in served.usedInputs {
                columns[input.name] = batches.flatMap { $0.columns[input.name] ?? [RawValue](repeating: .missing, count: $0.count) }
            }
            if let raw = try? model.rawFrame(columns: columns, count: snapshot.sampleRows) {
                let current = ModelDrift.current(model, raw: raw, engine: engine.make(model))
                snapshot.drift = Drift.report(reference: reference, current: current)
                if let predicted = current.last, let referencePredictions = reference.last {
                    snapshot.predictions = Self.shares(referencePredictions, predicted, edges: model.profile?.predictions.edges)
                }
            }
        }
        snapshot.feedback = feedback(model, batches)
        snapshot.alerts = checkAlerts(name, snapshot)
        return snapshot
    }

    /// Each class's share (or each training decile's, for values), in training and now.
    static func shares(_ reference: DriftColumn, _ current: DriftColumn, edges: [Double]?) -> [PredictionShare] {
        switch (reference.values, current.values) {
        case (.texts(let r), .texts(let c)):
            var rc: [String: Int] = [:], cc: [String: Int] = [:]
            for t in r { rc[t, default: 0] += 1 }
            for t in c { cc[t, default: 0] += 1 }
            let labels = Set(rc.keys).union(cc.keys).sorted { (rc[$0] ?? 0, $1) > (rc[$1] ?? 0, $0) }
            return labels.map { PredictionShare(label: $0, reference: Double(rc[$0] ?? 0) / Double(max(1, r.count)),
                                                current: Double(cc[$0] ?? 0) / Double(max(1, c.count))) }
        case (.numbers(let r), .numbers(let c)):
            guard let edges, edges.count > 2 else { return [] }
            let rb = ColumnProfile.binCounts(r, edges: edges), cb = ColumnProfile.binCounts(c, edges: edges)
            return rb.indices.map { k in
                PredictionShare(label: "\(NumberFormat.compact(edges[k], significant: 3))…\(NumberFormat.compact(edges[k + 1], significant: 3))",
                                reference: Double(rb[k]) / Double(max(1, r.count)), current: Double(cb[k]) / Double(max(1, c.count)))
            }
        default: return []
        }
    }

    /// Accuracy or RMSE over the kept rows whose true values came back.
    func feedback(_ model: Model, _ batches: [RecentRequests.Batch]) -> FeedbackSummary {
        let metric: String? = model.classes != nil ? "accuracy" : model.task == .regression ? "RMSE" : nil
        guard let metric else { return FeedbackSummary() }
        let training = model.metrics.first { $0.name.lowercased() == metric.lowercased() }?.value
        var n = 0, right = 0, squares = 0.0
        for b in batches {
            guard let labels = b.labels else { continue }
            for (p, l) in zip(b.predictions, labels) {
                guard let p, let l else { continue }
                n += 1
                if metric == "accuracy" { if p == l { right += 1 } } else if case .number(let y) = l, case .number(let f) = p { squares += (y - f) * (y - f) }
            }
        }
        let value: Double? = n == 0 ? nil : metric == "accuracy" ? Double(right) / Double(n) : (squares / Double(n)).squareRoot()
        return FeedbackSummary(metric: metric, labelled: n, value: value, training: training)
    }

    /// Feedback for a model: each item's labels joined to its kept request, all or none.
    func label(_ items: [Feedback.Item], model name: String) throws(ServeError) -> Int {
        guard let (n, outcome) = recent.label(items.map { ($0.id, $0.labels) }, model: name) else {
            return items.reduce(0) { $0 + $1.labels.count }
        }
        let item = items[n]
        let at = items.count > 1 ? "feedback[\(n)]: " : ""
        switch outcome {
        case .noRequest:
            throw ServeError(404, at + "no recent request with id '\(item.id)' for \(name); the server keeps the last \(recent.capacity) rows' requests, so label them soon after they are answered")
        case .otherModel(let other):
            throw ServeError(400, at + "the request '\(item.id)' went to \(other), not \(name); send its feedback to /v2/models/\(other)/feedback")
        case .wrongCount(let count):
            throw ServeError(400, at + "the request '\(item.id)' had \(count) \(count == 1 ? "row" : "rows"); give \(count) \(count == 1 ? "label" : "labels"), not \(item.labels.count)")
        }
    }

    /// Adds a rule; false when one the same is already there.
    public func addAlert(_ rule: AlertRule) -> Bool {
        alerts.withLock { list in
            guard !list.contains(where: { $0.rule == rule }) else { return false }
            list.append(AlertEntry(rule: rule))
            return true
        }
    }

    public func removeAlerts(model: String?) -> Int {
        alerts.withLock { list in
            let before = list.count
            list.removeAll { model == nil || $0.rule.model == model }
            return before - list.count
        }
    }

    public var alertRules: [AlertRule] { alerts.withLock { $0.map(\.rule) } }

    var modelsWithAlerts: [String] { Array(Set(alertRules.map(\.model))).sorted() }

    /// Checks the model's rules against the snapshot: a rule fires when it begins to hold.
    func checkAlerts(_ model: String, _ snapshot: MonitorSnapshot) -> [AlertState] {
        let states = alerts.withLock { list -> [AlertState] in
            var out: [AlertState] = []
            for k in list.indices where list[k].rule.model == model {
                let value = snapshot.figure(list[k].rule.figure)
                let holds = list[k].rule.holds(value)
                if holds && !list[k].firing { list[k].fired += 1 }
                list[k].firing = holds
                list[k].value = value
                out.append(AlertState(rule: list[k].rule.text, firing: holds, fired: list[k].fired, value: value))
            }
            return out
        }
        for s in states { metrics.alert(model: model, rule: s.rule, fired: s.fired, firing: s.firing) }
        return states
    }
}

