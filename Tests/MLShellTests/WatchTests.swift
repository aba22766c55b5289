import Foundation
import MLFrame
import MLFrameIO
import MLDiagnostics
import MLModel
import MLMonitor
@testable import MLServe
@testable import MLShell
import Testing

/// Monitoring through the server (drift of served rows, feedback, alerts) and the dashboard.
@Suite struct MonitorRouteTests {
    /// mtcars' rows as an MLflow dataframe_split of wt and hp, each changed by `shift`.
    static func body(_ shift: (Double, Double) -> (Double, Double)) throws -> String {
        let (frame, _) = try CSVReader.read(path: packageRoot + "/tutorials/data/mtcars.csv", options: CSVOptions())
        let wt = frame.column("wt")!, hp = frame.column("hp")!
        let rows = (0..<frame.rowCount).map { r -> String in
            let (w, h) = shift(wt.double(r)!, hp.double(r)!)
            return "[\(w), \(Int(h))]"
        }
        return #"{"dataframe_split": {"columns": ["wt", "hp"], "data": ["# + rows.joined(separator: ", ") + "]}}"
    }

    static func drift(_ state: ServerState, _ body: String) async throws -> [String: Any] {
        let result = Box()
        try await withRouter(state) { client in
            #expect(try await client.post("/invocations", body).status == 200)
            let monitor = try await client.get("/v2/models/m/monitor")
            #expect(monitor.status == 200, "\(monitor.body)")
            result.text = monitor.body
        }
        return try jsonObject(result.text)
    }

    final class Box: @unchecked Sendable { var text = "" }

    @Test func theTrainingRowsDoNotDriftAndShiftedOnesDo() async throws {
        let same = try await Self.drift(ServeFixtures.state(["m"]), try Self.body { ($0, $1) })
        let sameDrift = try #require(same["drift"] as? [String: Any])
        let sameColumns = try #require(sameDrift["columns"] as? [[String: Any]])
        #expect(sameColumns.count == 3)
        #expect(sameColumns.allSatisfy { $0["drifted"] as? Bool == false }, "\(sameColumns)")
        #expect(sameColumns.map { $0["column"] as? String } == ["hp", "wt", "prediction"])
        #expect(same["sampleRows"] as? Int == 32)

        let shifted = try await Self.drift(ServeFixtures.state(["m"]), try Self.body { ($0 + 1.5, $1 * 1.6) })
        let columns = try #require((shifted["drift"] as? [String: Any])?["columns"] as? [[String: Any]])
        #expect(columns.count == 3)
        #expect(columns.allSatisfy { $0["drifted"] as? Bool == true }, "\(columns)")
        #expect(columns.allSatisfy { ($0["psi"] as? Double ?? 0) > 0.25 })
    }

    @Test func feedbackGivesAccuracyAndClearErrors() async throws {
        let state = ServeFixtures.state(["pc", "m"])
        try await withRouter(state) { client in
            let infer = #"{"id": "r1", "inputs": [{"name": "bill_length_mm", "datatype": "FP64", "shape": [2], "data": [39.1, 46.5]}, {"name": "bill_depth_mm", "datatype": "FP64", "shape": [2], "data": [18.7, 17.9]}, {"name": "island", "datatype": "BYTES", "shape": [2], "data": ["Torgersen", "Dream"]}]}"#
            let answered = try await client.post("/v2/models/pc/infer", infer)
            #expect(answered.status == 200, "\(answered.body)")
            let before = try jsonObject(try await client.get("/v2/models/pc/monitor").body)
            let noLabels = try #require(before["feedback"] as? [String: Any])
            #expect(noLabels["labelled"] as? Int == 0)
            #expect(noLabels["value"] == nil)

            let cases: [(String, String, Int, String)] = [
                ("pc", #"{"id": "r1", "labels": ["Adelie", "Adelie"]}"#, 200, #"{"model_name":"pc","requests":1,"rows":2}"#),
                ("pc", #"{"id": "nope", "labels": ["Adelie"]}"#, 404, #"{"error":"no recent request with id 'nope' for pc; the server keeps the last 1000 rows' requests, so label them soon after they are answered"}"#),
                ("pc", #"{"id": "r1", "labels": ["Adelie"]}"#, 400, #"{"error":"the request 'r1' had 2 rows; give 2 labels, not 1"}"#),
                ("pc", #"{"id": "r1", "labels": ["Adelie", "Gentoo "]}"#, 400, #"{"error":"the feedback, label 2 is \"Gentoo \", not a class pc knows; the classes: Adelie, Chinstrap, Gentoo; did you mean 'Gentoo'?"}"#),
                ("pc", #"{"labels": ["Adelie"]}"#, 400, #"{"error":"the feedback has no \"id\": give the id of the request whose true values these are (the X-Request-Id header of its answer)"}"#),
                ("pc", #"{"id": "r1", "labels": ["Adelie", "Adelie"], "extra": 1}"#, 400, #"{"error":"the feedback has an unknown key \"extra\"; it takes id and labels (or label)"}"#),
                ("m", #"{"id": "r1", "labels": [1, 2]}"#, 400, #"{"error":"the request 'r1' went to pc, not m; send its feedback to /v2/models/pc/feedback"}"#),
                ("m", #"{"id": "r1", "labels": ["x", 2]}"#, 400, #"{"error":"the feedback, label 1 is a text; give the true value, a number"}"#),
                ("pcx", #"{"id": "r1", "labels": ["Adelie"]}"#, 404, #"{"error":"no model 'pcx' here; serving: pc, m; did you mean 'pc'?"}"#),
                ("pc", #"[]"#, 400, #"{"error":"the list of feedback is empty; send {\"id\": \"ID\", \"labels\": [...]}"}"#),
                // All or none: the first item is good, the second is not, and neither is applied.
                ("pc", #"[{"id": "r1", "labels": ["Gentoo", "Gentoo"]}, {"id": "zz", "labels": ["Adelie"]}]"#, 404, #"{"error":"feedback[1]: no recent request with id 'zz' for pc; the server keeps the last 1000 rows' requests, so label them soon after they are answered"}"#),
            ]
            for (model, body, status, expected) in cases {
                let a = try await client.post("/v2/models/\(model)/feedback", body)
                #expect(a.status == status, "\(body): \(a.body)")
                #expect(a.body == expected, "\(body)")
            }
            let after = try jsonObject(try await client.get("/v2/models/pc/monitor").body)
            let feedback = try #require(after["feedback"] as? [String: Any])
            #expect(feedback["metric"] as? String == "accuracy")
            #expect(feedback["labelled"] as? Int == 2)
            // The first row (39.1 mm, Torgersen) is an Adelie; the second (46.5 mm, Dream) is not.
            #expect(feedback["value"] as? Double == 0.5)
            #expect((feedback["training"] as? Double).map { $0 > 0.9 } == true)
        }
    }

    /// One large request is cut to its newest rows: drift reads at most the sample's size.
    @Test func aLargeRequestIsCutToTheSample() async throws {
        let state = ServeFixtures.state(["m"])
        let rows = (0..<1500).map { "[\(2 + Double($0 % 30) / 10), \(100 + $0 % 50)]" }.joined(separator: ", ")
        let body = #"{"dataframe_split": {"columns": ["wt", "hp"], "data": ["# + rows + "]}}"
        let result = Box()
        try await withRouter(state) { client in
            #expect(try await client.post("/invocations", body).status == 200)
            result.text = try await client.get("/v2/models/m/monitor").body
        }
        let monitor = try jsonObject(result.text)
        #expect(monitor["sampleRows"] as? Int == 1000)
        #expect(monitor["rowsAnswered"] as? Int == 1500)
        #expect(monitor["requests"] as? Int == 1, "the monitor's own reads are not counted")
    }

    @Test func alertsFireOnceWhenTheyBeginToHoldAndAreOnMetrics() async throws {
        let state = ServeFixtures.state(["m"])
        #expect(state.addAlert(AlertRule(model: "m", figure: .drift, above: true, threshold: 0.25)))
        #expect(!state.addAlert(AlertRule(model: "m", figure: .drift, above: true, threshold: 0.25)))
        #expect(state.addAlert(AlertRule(model: "m", figure: .p99, above: true, threshold: 10)))
        try await withRouter(state) { client in
            #expect(try await client.post("/invocations", try MonitorRouteTests.body { ($0 + 1.5, $1 * 1.6) }).status == 200)
            for _ in 0..<3 { _ = try await client.get("/v2/models/m/monitor") }
            let metrics = try await client.get("/metrics").body
            #expect(metrics.contains(#"mlsh_alerts_fired_total{model="m",alert="drift > 0.25"} 1"#), "\(metrics)")
            #expect(metrics.contains(#"mlsh_alert_firing{model="m",alert="drift > 0.25"} 1"#))
            #expect(metrics.contains(#"mlsh_alerts_fired_total{model="m",alert="p99 > 10s"} 0"#))
            let monitor = try jsonObject(try await client.get("/v2/models/m/monitor").body)
            let alerts = try #require(monitor["alerts"] as? [[String: Any]])
            #expect(alerts.count == 2)
            #expect(alerts[0]["rule"] as? String == "drift > 0.25")
            #expect(alerts[0]["firing"] as? Bool == true)
            #expect(alerts[0]["fired"] as? Int == 1)
            #expect(alerts[1]["firing"] as? Bool == false)
        }
    }
}

@Suite struct AlertRuleTests {
    @Test func rulesReadTheirUnits() throws {
        func parse(_ f: String, _ op: String, _ v: String) -> String {
            switch AlertRule.parse(model: "m", figure: f, comparison: op, value: v) {
            case .success(let r): return "\(r.figure.rawValue) \(r.above ? ">" : "<") \(r.threshold) = \(r.text)"
            case .failure(let e): return "error: \(e.message)"
            }
        }
        #expect(parse("p99", ">", "50ms") == "p99 > 0.05 = p99 > 50ms")
        #expect(parse("p95", ">", "250µs") == "p95 > 0.00025 = p95 > 250µs")
        #expect(parse("error_rate", ">", "1%") == "error_rate > 0.01 = error_rate > 1%")
        #expect(parse("error_rate", ">", "0.02") == "error_rate > 0.02 = error_rate > 2%")
        #expect(parse("accuracy", "<", "0.8") == "accuracy < 0.8 = accuracy < 0.8")
        #expect(parse("drift", ">", "0.25") == "drift > 0.25 = drift > 0.25")
        #expect(parse("p99", ">", "50") == "error: p99 is a time: give its unit, as in p99 > 50ms")
        #expect(parse("drift", ">", "5ms") == "error: drift is a plain number, not 'ms'")
        #expect(parse("latency", ">", "5ms") == "error: no figure 'latency' to alert on")
        #expect(parse("drift", ">=", "1") == "error: an alert compares with > or <, not '>='")
        #expect(parse("rmse", ">", "x") == "error: 'x' is not a number")
        #expect(parse("p99", ">", "1m") == "p99 > 60.0 = p99 > 60s")
        #expect(parse("error_rate", ">", "150%") == "error: error_rate is a share, at most 100%; '150%' cannot be crossed")
        #expect(parse("drift", ">", "-1") == "error: drift is never below 0; '-1' cannot be crossed")
    }

    @Test func theLatencyWindowForgetsOldRequests() {
        let clock = ManualClock()
        let w = LatencyWindow(clock: clock, window: 20)
        for ms in 1...100 { w.record(Double(ms) / 1000, error: ms % 10 == 0) }
        var s = w.summary()
        #expect(s.recent.count == 100 && s.total.count == 100 && s.recentErrors == 10)
        #expect(abs(s.recent.p50 - 0.050) < 0.0005 && abs(s.recent.p99 - 0.099) < 0.0005)
        clock.advance(10)  // one half-window: the requests are still recent
        w.record(0.5)
        s = w.summary()
        #expect(s.recent.count == 101 && s.recentErrors == 10)
        clock.advance(10)  // the first half-window drops out
        s = w.summary()
        #expect(s.recent.count == 1 && s.total.count == 101 && s.recentErrors == 0)
        clock.advance(45)
        s = w.summary()
        #expect(s.recent.count == 0 && s.total.count == 101)
    }
}

/// The dashboard as text, at 80 and 120 columns (Tests/MLShellTests/Snapshots/dashboard-*.txt;
/// RECORD_SNAPSHOTS=1 rewrites them).
@Suite struct DashboardTests {
    static let snapshot = MonitorSnapshot(
        model: "churn", uptime: 754, requests: 12_480, errors: ["400": 31, "503": 2], inFlight: 3,
        latency: LatencySummary(count: 1840, p50: 0.00042, p95: 0.0013, p99: 0.0047, max: 0.02),
        latencyTotal: LatencySummary(count: 12_480, p50: 0.0004, p95: 0.0012, p99: 0.004, max: 0.05),
        recentRequests: 1840, recentErrors: 9, rowsAnswered: 40_112, sampleRows: 1000,
        drift: DriftReport(columns: [
            ColumnDrift(column: "tenure_months", kind: .numeric, test: .wasserstein, score: 0.31, threshold: 0.1, drifted: true, psi: 0.42, referenceCount: 5000, currentCount: 1000),
            ColumnDrift(column: "monthly_charges", kind: .numeric, test: .wasserstein, score: 0.04, threshold: 0.1, drifted: false, psi: 0.03, referenceCount: 5000, currentCount: 1000),
            ColumnDrift(column: "contract", kind: .categorical, test: .jensenshannon, score: 0.12, threshold: 0.1, drifted: true, psi: 0.18, referenceCount: 5000, currentCount: 1000),
            ColumnDrift(column: "prediction", kind: .categorical, test: .jensenshannon, score: 0.05, threshold: 0.1, drifted: false, psi: 0.011, referenceCount: 5000, currentCount: 1000),
        ]),
        predictions: [PredictionShare(label: "stays", reference: 0.73, current: 0.64), PredictionShare(label: "leaves", reference: 0.27, current: 0.36)],
        feedback: FeedbackSummary(metric: "accuracy", labelled: 212, value: 0.81, training: 0.86),
        alerts: [AlertState(rule: "drift > 0.25", firing: true, fired: 2, value: 0.42),
                 AlertState(rule: "p99 > 50ms", firing: false, fired: 0, value: 0.0047)])

    static let rates: [Double] = [12, 14, 13, 20, 28, 35, 31, 30, 22, 18, 16, 15, 17, 19, 24]

    @Test(arguments: [80, 120])
    func dashboardSnapshot(_ width: Int) throws {
        let board = Dashboard(title: "live · churn · http://127.0.0.1:8080", width: width)
        let text = board.render(Self.snapshot, rates: Self.rates, footer: "every 1s · q or Ctrl-C leaves").joined(separator: "\n") + "\n"
        #expect(text.split(separator: "\n").allSatisfy { TextWidth.of($0) <= width }, "\(text)")
        try assertSnapshot(text, named: "dashboard-\(width)")
        let line = board.line(Self.snapshot, rate: 24, elapsed: 3)
        #expect(line == "3.0s  24.0 req/s  p50 420 µs p99 4.70 ms  errors 0.5%  drift 2/4 (PSI max 0.42)  accuracy 0.81 (212)  FIRING: drift > 0.25")
    }

    @Test func theMonitorJSONRoundTrips() throws {
        let back = try MonitorSnapshot.decode(Self.snapshot.json())
        #expect(back == Self.snapshot)
    }
}

/// watch in a script, on a clock the test moves: a line per tick, the dashboard at the end, and
/// a failure when an alert holds.
@Suite struct WatchCommandTests {
    @Test func aScriptWatchesForItsDurationAndFailsOnAnAlert() async throws {
        try await offPool {
            let (s, out) = recordingSession()
            let clock = ManualClock()
            s.clock = clock
            let text = run("""
                load "\(packageRoot)/tutorials/data/mtcars.csv"
                fit linear mpg ~ wt + hp on mtcars as m
                serve m port=0 as live
                watch live every=1s for=3s
                alert m drift > 0.25
                request live "/invocations" body='{"dataframe_split": {"columns": ["wt", "hp"], "data": [[5.5, 300], [5.2, 320], [5.9, 350]]}}'
                watch m every=1s for=2s
                """, in: s)
            let ticks = text.split(separator: "\n").filter { $0.contains("req/s  ") && !$0.hasPrefix("requests") }
            #expect(ticks.count == 4 + 3, "\(text)")
            #expect(ticks.first?.hasPrefix("0.0s  ") == true && ticks[3].hasPrefix("3.0s  "), "\(ticks)")
            #expect(text.contains("no rows answered yet: drift needs traffic"))
            #expect(text.contains("FIRING: drift > 0.25"))
            #expect(text.contains("error: an alert held while watching m: drift > 0.25"), "\(text)")
            _ = out
            s.closeServers()
        }
    }
}

/// The errors of drift, watch, alert and plot drift, pinned.
@Suite struct MonitoringErrorTests {
    @Test func errorsSayWhatWhereAndWhatToDo() async throws {
        try await offPool {
            let (s, _) = recordingSession()
            _ = run("""
                load "\(packageRoot)/tutorials/data/mtcars.csv"
                fit linear mpg ~ wt + hp on mtcars as m
                load "\(packageRoot)/tutorials/data/iris.csv" as small
                serve m port=0 as live
                """, in: s)
            let cases: [(String, String)] = [
                ("drift m vs small", "error: small lacks the inputs hp, wt that m reads\n 1 | drift m vs small\n   | ^~~~~~~~~~~~~~~~\nhint: compare rows with the columns m was fitted on: hp, wt\n"),
                ("drift mtcars vs small", "error: mtcars and small have no column in common\n 1 | drift mtcars vs small\n   | ^~~~~~~~~~~~~~~~~~~~~\nhint: compare datasets with the same columns\n"),
                ("drift m vs mtcars cols=[mpg]", "error: 'mpg' is not compared: m does not read it\n 1 | drift m vs mtcars cols=[mpg]\n   |                         ^~~\nhint: the columns compared: hp, wt, prediction\n"),
                ("drift mm vs mtcars", "error: no dataset or model named 'mm'\n 1 | drift mm vs mtcars\n   |       ^~\nhint: did you mean 'm'?\n"),
                ("watch nothing", "error: no running server or served model named 'nothing'\n 1 | watch nothing\n   |       ^~~~~~~\nhint: the servers: live\n"),
                ("watch \"https://x:1\"", "error: 'https://x:1' is not a server's URL\n 1 | watch \"https://x:1\"\n   |       ^~~~~~~~~~~~~\nhint: watch reads plain http; watch the server from its own machine\n"),
                ("watch live every=1ms", "error: every= takes 10ms to 1h\n 1 | watch live every=1ms\n   |                  ^~~\nhint: every=1s\n"),
                ("watch live model=q", "error: live serves no model 'q'\n 1 | watch live model=q\n   |                  ^\nhint: did you mean 'm'?\n"),
                ("alert live p99 > 5ms", "error: no server of this session serves a model named 'live'\n 1 | alert live p99 > 5ms\n   |       ^~~~\nhint: 'live' is a server; an alert names its model: alert m …\n"),
                ("alert m latency > 5ms", "error: no figure 'latency' to alert on\n 1 | alert m latency > 5ms\n   |         ^~~~~~~~~~~~~\nhint: the figures: drift, drift_share, p50, p95, p99, error_rate, accuracy, rmse\n"),
                ("alert m p99 > 5", "error: p99 is a time: give its unit, as in p99 > 50ms\n 1 | alert m p99 > 5\n   |         ^~~~~~~\nhint: e.g. alert m p99 > 50ms\n"),
                ("plot drift m vs mtcars hpp", "error: 'hpp' is not a column both sides have\n 1 | plot drift m vs mtcars hpp\n   |                        ^~~\nhint: did you mean 'hp'?\n"),
            ]
            for (line, expected) in cases {
                let out = run(line, in: s)
                #expect(out.replacingOccurrences(of: "<input>:1:", with: "").hasSuffix(expected), "\(line)\n\(out)")
            }
            s.closeServers()
        }
    }
}
