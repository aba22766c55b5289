import MLDiagnostics
import MLMonitor
import MLRender

/// What `watch` draws: the whole dashboard (a terminal redraws it in place), one line of figures
/// per tick (scripts, pipes, transcripts), and the figures both use. Pure text from a snapshot,
/// so it has snapshot tests at 80 and 120 columns.
struct Dashboard {
    var title: String
    var width: Int
    var unicode = true
    var color = false
    /// Under `mlsh check`: the figures that change from run to run (time, rates, latency) are
    /// shown as `[..]`, which a transcript matches with anything.
    var recording = false

    func paint(_ s: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
    func red(_ s: String) -> String { paint(s, "31;1") }
    func yellow(_ s: String) -> String { paint(s, "33") }
    func green(_ s: String) -> String { paint(s, "32") }
    func dim(_ s: String) -> String { paint(s, "2") }

    /// A rule with a heading: `── drift ─────…`.
    func rule(_ heading: String) -> String {
        let h = unicode ? "─" : "-"
        let text = heading.isEmpty ? "" : " \(heading) "
        return String(repeating: h, count: 2) + text + String(repeating: h, count: max(0, width - 2 - TextWidth.of(text)))
    }

    /// The full dashboard. `rates`: requests per second at each tick so far.
    func render(_ s: MonitorSnapshot, rates: [Double], footer: String? = nil) -> [String] {
        var lines: [String] = []
        let head = "mlsh watch · \(title)"
        let up = recording ? "up [..]" : "up \(Self.duration(s.uptime))"
        lines.append(head + String(repeating: " ", count: max(1, width - TextWidth.of(head) - up.count)) + up)
        lines.append(rule(""))
        let rate = rates.last ?? 0
        let rateText = " \(recording ? "[..] req/s" : Self.rate(rate))  total \(s.requests)  in flight \(s.inFlight)"
        let sparkWidth = max(10, width - 12 - rateText.count)
        lines.append(Self.pad("requests", 12) + (recording ? "[..]" : Sparkline.render(rates, width: sparkWidth, unicode: unicode)) + rateText)
        if recording && s.latency.count > 0 {
            lines.append(Self.pad("latency", 12) + "p50 [..]   (the last \(plural(s.latency.count, "request")))")
        } else if s.latency.count > 0 {
            lines.append(Self.pad("latency", 12) + "p50 \(Self.seconds(s.latency.p50))   p95 \(Self.seconds(s.latency.p95))   p99 \(Self.seconds(s.latency.p99))   "
                         + dim("(the last \(plural(s.latency.count, "request")))"))
        } else {
            lines.append(Self.pad("latency", 12) + dim("no requests in the recent window"))
        }
        lines.append(Self.pad("errors", 12) + errorsText(s))
        lines.append(Self.pad(s.feedback.metric ?? "labels", 12) + feedbackText(s))
        if !s.predictions.isEmpty {
            lines.append(rule("predictions: now vs training"))
            let labelWidth = min(18, s.predictions.map { TextWidth.of($0.label) }.max() ?? 0)
            let barWidth = max(10, width - labelWidth - 30)
            for p in s.predictions.prefix(12) {
                lines.append(Self.pad(Self.truncate(p.label, labelWidth), labelWidth) + "  " + bar(p.current, width: barWidth)
                             + " \(Self.percent(p.current)) " + dim("(training \(Self.percent(p.reference)))"))
            }
        }
        if let d = s.drift {
            lines.append(rule("drift: \(s.sampleRows) recent rows vs training · \(d.drifted) of \(plural(d.columns.count, "column")) drift"))
            lines.append(contentsOf: driftLines(d))
        } else {
            lines.append(rule("drift"))
            lines.append(dim("no rows answered yet: drift needs traffic"))
        }
        if !s.alerts.isEmpty {
            lines.append(rule("alerts"))
            let ruleWidth = s.alerts.map { TextWidth.of($0.rule) }.max() ?? 0
            for a in s.alerts {
                let state = a.firing ? red("FIRING") : green("ok")
                let now = recording && a.rule.hasPrefix("p") ? "[..]" : a.value.map { Self.figure($0, rule: a.rule) }
                lines.append(Self.pad(a.rule, ruleWidth) + "  " + state + (now.map { "  now \($0)" } ?? "  no figure yet")
                             + "  fired \(a.fired)×")
            }
        }
        if let footer { lines.append(dim(footer)) }
        return lines
    }

    func driftLines(_ d: DriftReport) -> [String] {
        let nameWidth = min(24, max(6, d.columns.map { TextWidth.of($0.column) }.max() ?? 6))
        var out = [Self.pad("column", nameWidth) + "  " + Self.pad("test", 13) + Self.left("score", 10) + "  " + Self.pad("drift", 6) + Self.left("PSI", 8) + "  PSI says"]
        for c in d.columns {
            let verdict = c.drifted ? red(Self.pad("DRIFT", 6)) : Self.pad("no", 6)
            let says = c.psiStatus == "act" ? red(c.psiStatus) : c.psiStatus == "watch" ? yellow(c.psiStatus) : green(c.psiStatus)
            out.append(Self.pad(Self.truncate(c.column, nameWidth), nameWidth) + "  " + Self.pad(c.test.rawValue, 13)
                       + Self.left(NumberFormat.compact(c.score), 10) + "  " + verdict + Self.left(NumberFormat.compact(c.psi, significant: 3), 8) + "  " + says)
        }
        return out
    }

    func bar(_ share: Double, width: Int) -> String {
        let full = Int((max(0, min(1, share)) * Double(width)).rounded())
        return String(repeating: unicode ? "█" : "#", count: full) + String(repeating: unicode ? "░" : ".", count: width - full)
    }

    func errorsText(_ s: MonitorSnapshot) -> String {
        let codes = s.errors.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
        guard let rate = s.errorRate else { return codes.isEmpty ? "none" : "none recently (since the start: \(codes))" }
        let text = "\(Self.percent(rate)) of recent requests" + (codes.isEmpty ? "" : " · since the start \(codes)")
        return rate > 0 ? yellow(text) : text
    }

    func feedbackText(_ s: MonitorSnapshot) -> String {
        let f = s.feedback
        guard let metric = f.metric else { return dim("none: a clustering has no true values") }
        guard let value = f.value else {
            return dim("no labels yet: POST /v2/models/\(s.model)/feedback {\"id\": ID, \"labels\": [...]}")
        }
        let training = f.training.map { " (training \(NumberFormat.compact($0)))" } ?? ""
        let worse = f.training.map { metric == "accuracy" ? value < $0 - 0.05 : value > $0 * 1.2 } ?? false
        let text = "\(NumberFormat.compact(value)) on \(plural(f.labelled, "labelled row"))" + training
        return worse ? red(text) : text
    }

    /// One line per tick: `12s  42.0 req/s  p99 2.31 ms  errors 0%  drift 1/3 (PSI 0.31)  accuracy 0.91 (120)`.
    func line(_ s: MonitorSnapshot, rate: Double, elapsed: Double) -> String {
        var parts = [elapsed < 10 ? NumberFormat.c("%.1f", elapsed) + "s" : Self.duration(elapsed), recording ? "[..] req/s" : Self.rate(rate)]
        parts.append(s.latency.count == 0 ? "no recent requests" : recording ? "p50 [..]"
                     : "p50 \(Self.seconds(s.latency.p50)) p99 \(Self.seconds(s.latency.p99))")
        if let e = s.errorRate { parts.append("errors \(Self.percent(e))") }
        if let d = s.drift { parts.append("drift \(d.drifted)/\(d.columns.count)" + (d.largestPSI.map { " (PSI max \(NumberFormat.compact($0, significant: 3)))" } ?? "")) }
        if let m = s.feedback.metric, let v = s.feedback.value { parts.append("\(m) \(NumberFormat.compact(v)) (\(s.feedback.labelled))") }
        let firing = s.alerts.filter(\.firing).map(\.rule)
        if !firing.isEmpty { parts.append("FIRING: " + firing.joined(separator: "; ")) }
        return parts.joined(separator: "  ")
    }

    /// Cut to `n` columns, escape codes (colours) kept whole and not counted.
    static func clip(_ s: String, _ n: Int) -> String {
        guard TextWidth.of(s) > n || s.contains("\u{1B}") else { return s }
        var out = "", w = 0, escape = false
        for ch in s {
            if ch == "\u{1B}" { escape = true }
            if escape {
                out.append(ch)
                if ch.isLetter { escape = false }
                continue
            }
            let cw = TextWidth.of(ch)
            if w + cw > n { continue }
            out.append(ch)
            w += cw
        }
        return out
    }

    /// Cut to `n` columns with an ellipsis.
    static func truncate(_ s: String, _ n: Int) -> String {
        guard TextWidth.of(s) > n else { return s }
        var out = "", w = 0
        for ch in s {
            let cw = TextWidth.of(ch)
            if w + cw > n - 1 { break }
            out.append(ch)
            w += cw
        }
        return out + "…"
    }

    static func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - TextWidth.of(s))) }
    static func left(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - TextWidth.of(s))) + s }

    static func rate(_ r: Double) -> String { NumberFormat.c("%.1f", r) + " req/s" }
    static func percent(_ p: Double) -> String { p == 0 ? "0%" : p < 0.001 ? "<0.1%" : NumberFormat.trimZeros(NumberFormat.c("%.1f", p * 100)) + "%" }

    static func seconds(_ s: Double) -> String {
        s < 1e-3 ? NumberFormat.c("%.0f", s * 1e6) + " µs" : s < 1 ? NumberFormat.c("%.2f", s * 1e3) + " ms" : NumberFormat.c("%.2f", s) + " s"
    }

    static func duration(_ s: Double) -> String {
        if s < 1 { return NumberFormat.c("%.0f", s * 1000) + "ms" }
        let t = Int(s.rounded(.down))
        if t < 60 { return "\(t)s" }
        if t < 3600 { return "\(t / 60)m \(t % 60)s" }
        return "\(t / 3600)h \(t % 3600 / 60)m"
    }

    /// An alert's figure in its rule's units.
    static func figure(_ v: Double, rule: String) -> String {
        if rule.hasPrefix("p50") || rule.hasPrefix("p95") || rule.hasPrefix("p99") { return seconds(v) }
        if rule.hasPrefix("error_rate") || rule.hasPrefix("drift_share") { return percent(v) }
        return NumberFormat.compact(v, significant: 3)
    }
}
