import MLDiagnostics
import MLLanguage
import MLMonitor
import MLServe
import MLServeProtocol

/// `alert MODEL FIGURE > VALUE`, `alert MODEL` (list), `alert MODEL off`
struct AlertCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "alert", stage: .lifecycle,
        abstract: "Set an alert on a served model (drift > 0.25, p99 > 50ms, error_rate > 0.01), list them, or clear them",
        discussion: """
            Figures: drift (the largest PSI of the model's inputs), drift_share (the share of inputs \
            that drift), p50, p95 and p99 (latency over the recent window, with a unit: 50ms), \
            error_rate (the share of recent requests answered with an error: 0.01, or "1%" in \
            quotes), accuracy and rmse (over the rows whose true values came back). A rule is \
            checked at each look (a watch tick, a scrape of /metrics, a read of the monitor \
            route); it fires when it begins to hold. Alerts belong to the running servers of the \
            model: stop ends them. watch shows the alerts and /metrics counts \
            them (mlsh_alerts_fired_total). In a script, watch fails when one fires while it \
            watches.
            """,
        parameters: [
            Parameter("MODEL", .name, "a model a server of this session serves"),
            Parameter("RULE", .value, "FIGURE > VALUE or FIGURE < VALUE; off clears the model's rules; none lists them", optional: true),
        ],
        examples: [
            Example("load \"tutorials/data/mtcars.csv\""),
            Example("fit linear mpg ~ wt + hp on mtcars as m"),
            Example("serve m port=0 as live"),
            Example("alert m p99 > 50ms"),
            Example("alert m drift > 0.25"),
            Example("alert m \"error_rate > 1%\""),
            Example("alert m"),
            Example("stop live"),
        ])

    static func run(_ call: CommandCall, in session: Session) throws {
        guard let modelExpr = call.expr("MODEL"), let model = modelExpr.asName?.text else { throw call.error("alert needs a served model's name", id: .missingArgument) }
        let servers = session.runningServers.filter { $0.server.state.store.names.contains(model) }
        guard !servers.isEmpty else {
            let served = session.runningServers.flatMap { $0.server.state.store.names }
            throw Diagnostic(.unknownName, .error, "no server of this session serves a model named '\(model)'", file: call.file, range: modelExpr.range,
                             hint: session.server(named: model).map { "'\(model)' is a server; an alert names its model: alert \($0.state.store.names.first ?? "M") …" }
                                ?? Suggest.didYouMean(model, in: served) ?? (session.model(named: model) != nil ? "serve it first: serve \(model) port=0" : served.isEmpty ? "serve a model first: serve MODEL port=0" : "served: " + served.joined(separator: ", ")))
        }
        let state = servers[0].server.state
        let serverNames = servers.map { "'\($0.name)'" }.joined(separator: ", ")
        guard let ruleExpr = call.expr("RULE") else {
            let rules = state.alertRules.filter { $0.model == model }
            if rules.isEmpty { session.print("\(model) has no alerts; set one: alert \(model) p99 > 50ms") }
            for r in rules { session.print("\(model): \(r.text)") }
            return
        }
        if ruleExpr.asName?.text == "off" {
            let n = servers.map { $0.server.state.removeAlerts(model: model) }.max() ?? 0
            session.print("\(model): \(plural(n, "alert")) cleared")
            return
        }
        let parts: (String, String, String)
        switch ruleExpr.kind {
        case .binary(let op, let lhs, let rhs):
            guard let figure = lhs.asName?.text else { throw call.error(at: "RULE", "an alert starts with the figure it watches", hint: "alert \(model) p99 > 50ms") }
            let value: String
            switch rhs.kind {
            case .number(_, let literal): value = literal
            case .duration(_, let literal): value = literal
            case .string(let s): value = s
            default: throw Diagnostic(.badArgument, .error, "an alert compares with a number", file: call.file, range: rhs.range, hint: "alert \(model) \(figure) > 0.25")
            }
            parts = (figure, op, value)
        case .string(let text):
            guard let op = text.firstIndex(where: { $0 == ">" || $0 == "<" }) else {
                throw call.error(at: "RULE", "'\(text)' is not FIGURE > VALUE", hint: "alert \(model) \"error_rate > 1%\"")
            }
            parts = (String(text[..<op]).trimmingSpaces, String(text[op]), String(text[text.index(after: op)...]).trimmingSpaces)
        default:
            throw call.error(at: "RULE", "expected FIGURE > VALUE, off, or nothing", hint: "alert \(model) p99 > 50ms")
        }
        switch AlertRule.parse(model: model, figure: parts.0, comparison: parts.1, value: parts.2) {
        case .failure(let e):
            let hint = e.choices.isEmpty ? "e.g. alert \(model) p99 > 50ms" : Suggest.didYouMean(parts.0, in: e.choices) ?? "the figures: " + e.choices.joined(separator: ", ")
            throw call.error(at: "RULE", e.message, hint: hint)
        case .success(let rule):
            let served = state.store.model(model)?.model
            if rule.figure == .accuracy, served?.classes == nil {
                throw call.error(at: "RULE", "\(model) predicts no classes: it has no accuracy", hint: served?.task == .regression ? "alert \(model) rmse > …" : "alert on drift or latency")
            }
            if rule.figure == .rmse, served?.task != .regression {
                throw call.error(at: "RULE", "\(model) predicts no values: it has no RMSE", hint: served?.classes != nil ? "alert \(model) accuracy < …" : "alert on drift or latency")
            }
            let added = servers.map { $0.server.state.addAlert(rule) }.contains(true)
            if added {
                session.print("\(model) on \(serverNames): alert when \(rule.text) (\(rule.figure.meaning))")
            } else {
                session.print("\(model) already has the alert \(rule.text)")
            }
        }
    }
}
