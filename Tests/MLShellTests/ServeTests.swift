import Foundation
import MLModel
@testable import MLServe
import MLServeProtocol
@testable import MLShell
import Testing

/// The server's routes in process: each answer pinned, and every prediction equal to what the
/// model's own `predict` gives for the same raw rows.
@Suite struct ServeRouteTests {
    @Test func healthAndMetadataRoutes() async throws {
        try await withRouter(ServeFixtures.state(["m", "pc"])) { c in
            var a = try await c.get("/v2/health/live")
            #expect(a.status == 200 && a.body == #"{"live":true}"#)
            a = try await c.get("/v2/health/ready")
            #expect(a.status == 200 && a.body == #"{"ready":true}"#)
            a = try await c.get("/v2")
            #expect(a.body == #"{"name":"mlsh","version":"test","extensions":[]}"#)
            a = try await c.get("/v2/models/m")
            #expect(a.body == #"{"name":"m","versions":["1"],"platform":"mlsh_linear","inputs":[{"name":"hp","datatype":"INT64","shape":[-1]},{"name":"wt","datatype":"FP64","shape":[-1]}],"outputs":[{"name":"predict","datatype":"FP64","shape":[-1]}]}"#)
            a = try await c.get("/v2/models/pc")
            #expect(a.body == #"{"name":"pc","versions":["1"],"platform":"mlsh_logistic","inputs":[{"name":"island","datatype":"BYTES","shape":[-1]},{"name":"bill_length_mm","datatype":"FP64","shape":[-1]},{"name":"bill_depth_mm","datatype":"FP64","shape":[-1]}],"outputs":[{"name":"predict","datatype":"BYTES","shape":[-1]},{"name":"probabilities","datatype":"FP64","shape":[-1,3]}],"parameters":{"classes":["Adelie","Chinstrap","Gentoo"]}}"#)
            a = try await c.get("/v2/models/pc/versions/1")
            #expect(a.status == 200)
            a = try await c.get("/v2/models/pc/ready")
            #expect(a.body == #"{"name":"pc","ready":true}"#)
            a = try await c.get("/v1/models")
            #expect(a.body == #"{"models":["m","pc"]}"#)
            a = try await c.get("/v1/models/m")
            #expect(a.body == #"{"name":"m","ready":true}"#)
            a = try await c.get("/ping")
            #expect(a.status == 200 && a.body == "\n")
            a = try await c.get("/health")
            #expect(a.status == 200)
            a = try await c.get("/version")
            #expect(a.body == "test")
        }
    }

    /// The three protocols, each body form, against `predict(rows:)` on the same raw rows.
    @Test func everyProtocolAnswersAsPredictDoes() async throws {
        let pc = ServeFixtures.models["pc"]!
        let rows: [[String: RawValue]] = [
            ["island": .text("Torgersen"), "bill_length_mm": .number(39.1), "bill_depth_mm": .number(18.7)],
            ["island": .text("Dream"), "bill_length_mm": .number(49.5), "bill_depth_mm": .number(19.0)],
            ["island": .text("Biscoe"), "bill_length_mm": .missing, "bill_depth_mm": .number(14.2)],
            ["island": .text("Atlantis"), "bill_length_mm": .number(45.0), "bill_depth_mm": .number(15.0)],
        ]
        let expected = try pc.predict(rows: rows, engine: nil)
        let classes = expected.map { a -> String in if case .text(let s)? = a.value { return s } else { return "?" } }
        #expect(classes.count == 4)
        let v2 = """
            {"id":"q1","inputs":[{"name":"island","shape":[4],"datatype":"BYTES","data":["Torgersen","Dream","Biscoe","Atlantis"]},
            {"name":"bill_length_mm","shape":[4,1],"datatype":"FP64","data":[[39.1],[49.5],[null],[45.0]]},
            {"name":"bill_depth_mm","shape":[4],"datatype":"FP32","data":[18.7,19.0,14.2,15.0]}]}
            """
        let records = #"[{"island":"Torgersen","bill_length_mm":39.1,"bill_depth_mm":18.7},{"island":"Dream","bill_length_mm":49.5,"bill_depth_mm":19.0},{"island":"Biscoe","bill_length_mm":null,"bill_depth_mm":14.2},{"island":"Atlantis","bill_length_mm":45.0,"bill_depth_mm":15.0}]"#
        let positional = #"[["Torgersen",39.1,18.7],["Dream",49.5,19.0],["Biscoe",null,14.2],["Atlantis",45.0,15.0]]"#
        let columnar = #"{"island":["Torgersen","Dream","Biscoe","Atlantis"],"bill_length_mm":[39.1,49.5,NaN,45.0],"bill_depth_mm":[18.7,19.0,14.2,15.0]}"#
        let split = #"{"dataframe_split":{"index":[0,1,2,3],"columns":["island","bill_length_mm","bill_depth_mm"],"data":[["Torgersen",39.1,18.7],["Dream",49.5,19.0],["Biscoe",null,14.2],["Atlantis",45.0,15.0]]}}"#
        let csv = "island,bill_length_mm,bill_depth_mm\r\nTorgersen,39.1,18.7\r\nDream,49.5,19.0\r\n\"Biscoe\",,14.2\r\nAtlantis,45.0,15.0\r\n"
        try await withRouter(ServeFixtures.state(["pc"])) { c in
            let a = try await c.post("/v2/models/pc/infer", v2, type: nil)
            #expect(a.status == 200, "\(a.body)")
            let o = try jsonObject(a.body)
            #expect(o["id"] as? String == "q1")
            let outputs = try #require(o["outputs"] as? [[String: Any]])
            #expect(outputs.count == 2)
            #expect(outputs[0]["data"] as? [String] == classes)
            let probabilities = try #require(outputs[1]["data"] as? [Double])
            #expect(outputs[1]["shape"] as? [Int] == [4, 3])
            let want = expected.flatMap { $0.probabilities! }
            #expect(probabilities.count == want.count)
            for (x, y) in zip(probabilities, want) { #expect(abs(x - y) <= 1e-12) }

            for (uri, body, type) in [("/v1/models/pc:predict", #"{"instances":\#(records)}"#, "application/json"),
                                      ("/v1/models/pc:predict", #"{"instances":\#(positional)}"#, "application/json"),
                                      ("/v1/models/pc:predict", #"{"inputs":\#(records)}"#, "application/json"),
                                      ("/invocations", split, "application/json"),
                                      ("/invocations", #"{"dataframe_records":\#(records)}"#, "application/json; charset=utf-8"),
                                      ("/invocations", #"{"instances":\#(positional)}"#, "application/json"),
                                      ("/invocations", #"{"inputs":\#(columnar),"params":{}}"#, "application/json"),
                                      ("/invocations", csv, "text/csv")] {
                let a = try await c.post(uri, body, type: type)
                #expect(a.status == 200, "\(uri) \(body): \(a.body)")
                let predictions = try jsonObject(a.body)["predictions"] as? [String]
                #expect(predictions == classes, "\(uri) \(body)")
            }
        }
    }

    @Test func regressionAndClustersAnswerAsPredictDoes() async throws {
        let m = ServeFixtures.models["m"]!, km = ServeFixtures.models["km"]!
        let rows: [[String: RawValue]] = [["wt": .number(2.62), "hp": .number(110)], ["wt": .number(5.424), "hp": .number(215)]]
        let want = try m.predict(rows: rows, engine: nil).map { a -> Double in if case .number(let d)? = a.value { return d } else { return .nan } }
        let clusters = try km.predict(rows: rows, engine: nil).map { $0.classIndex! }
        try await withRouter(ServeFixtures.state(["m", "km"])) { c in
            let body = #"{"inputs":[{"name":"wt","shape":[2],"datatype":"FP64","data":[2.62,5.424]},{"name":"hp","shape":[2],"datatype":"INT64","data":[110,215]}]}"#
            var a = try await c.post("/v2/models/m/infer", body)
            let data = try #require((try jsonObject(a.body)["outputs"] as? [[String: Any]])?.first?["data"] as? [Double])
            #expect(data.count == want.count)
            for (x, y) in zip(data, want) { #expect(abs(x - y) <= 1e-12) }
            // One [N, F] tensor: the inputs in the order the metadata lists them (hp, wt).
            a = try await c.post("/v2/models/km/infer", #"{"inputs":[{"name":"x","shape":[2,2],"datatype":"FP64","data":[[110,2.62],[215,5.424]]}]}"#)
            let outputs = try #require(try jsonObject(a.body)["outputs"] as? [[String: Any]])
            #expect(outputs.count == 1 && outputs[0]["name"] as? String == "cluster" && outputs[0]["datatype"] as? String == "INT64")
            #expect(outputs[0]["data"] as? [Int] == clusters)
            a = try await c.post("/v1/models/m:predict", #"{"instances":[{"wt":2.62,"hp":110},{"wt":5.424,"hp":215}]}"#)
            let v1 = try #require(try jsonObject(a.body)["predictions"] as? [Double])
            #expect(v1.count == want.count)
            for (x, y) in zip(v1, want) { #expect(abs(x - y) <= 1e-12) }
            // outputs= picks the tensors.
            a = try await c.post("/v2/models/m/infer", #"{"inputs":[{"name":"wt","shape":[1],"datatype":"FP64","data":[3]},{"name":"hp","shape":[1],"datatype":"INT64","data":[100]}],"outputs":[{"name":"predict"}]}"#)
            #expect(a.status == 200)
        }
    }

    @Test func tokensGuardEveryRouteButHealth() async throws {
        var options = ServeOptions()
        options.tokens = try Tokens(text: "# test\nreader-token-0123456789 read\ninfer-token-0123456789 infer\nadmin-token-0123456789 admin\n", path: "tokens")
        try await withRouter(ServeFixtures.state(["m"], options: options)) { c in
            var a = try await c.get("/v2/health/ready")
            #expect(a.status == 200)
            a = try await c.get("/ping")
            #expect(a.status == 200)
            a = try await c.get("/v2/models/m")
            #expect(a.status == 401 && a.body == #"{"error":"this server needs a bearer token: send the header Authorization: Bearer TOKEN"}"#)
            a = try await c.get("/v2/models/m", token: "reader-token-0123456789x")
            #expect(a.status == 401 && a.body == #"{"error":"the bearer token is not one this server knows"}"#)
            a = try await c.get("/v2/models/m", token: "reader-token-0123456789")
            #expect(a.status == 200)
            let body = #"{"instances":[{"wt":3,"hp":100}]}"#
            a = try await c.post("/v1/models/m:predict", body, token: "reader-token-0123456789")
            #expect(a.status == 403 && a.body == #"{"error":"the token does not have the role 'infer' that this route needs"}"#)
            a = try await c.post("/v1/models/m:predict", body, token: "infer-token-0123456789")
            #expect(a.status == 200)
            a = try await c.get("/metrics", token: "infer-token-0123456789")
            #expect(a.status == 403)
            a = try await c.get("/metrics", token: "admin-token-0123456789")
            #expect(a.status == 200)
        }
    }

    @Test func tokenFilesThatAreWrongSayWhere() {
        #expect(throws: ServeError(400, "t.txt:2: a token needs at least 16 characters to be hard to guess (e.g. openssl rand -hex 24)")) {
            try Tokens(text: "# c\nshort infer\n", path: "t.txt")
        }
        #expect(throws: ServeError(400, "t.txt:1: unknown role 'write'; roles are infer, read, metrics, admin")) {
            try Tokens(text: "0123456789abcdef0123 write\n", path: "t.txt")
        }
        #expect(throws: ServeError(400, "t.txt:1: expected TOKEN ROLE[,ROLE…], found 1 word")) {
            try Tokens(text: "0123456789abcdef0123\n", path: "t.txt")
        }
        #expect(throws: ServeError(400, "t.txt holds no tokens; write one per line: TOKEN ROLE[,ROLE…]")) {
            try Tokens(text: "# nothing\n\n", path: "t.txt")
        }
    }

    @Test func aBodyPastTheLimitIs413() async throws {
        var options = ServeOptions()
        options.maxBodyBytes = 2048
        try await withRouter(ServeFixtures.state(["m"], options: options)) { c in
            let rows = Array(repeating: #"{"wt":3,"hp":100}"#, count: 200).joined(separator: ",")
            let a = try await c.post("/v1/models/m:predict", #"{"instances":[\#(rows)]}"#)
            #expect(a.status == 413 && a.body == #"{"error":"the body is larger than this server takes (2 KiB); send fewer rows at a time"}"#)
        }
    }

    @Test func metricsAreCountedInPrometheusText() async throws {
        try await withRouter(ServeFixtures.state(["pc"])) { c in
            _ = try await c.post("/v1/models/pc:predict", #"{"instances":[["Dream",49.5,19.0],["Biscoe",47,14]]}"#)
            _ = try await c.post("/v1/models/pc:predict", #"{"instances":[["Dream",49.5]]}"#)
            let a = try await c.get("/metrics")
            #expect(a.contentType == "text/plain; version=0.0.4; charset=utf-8")
            let lines = a.body.split(separator: "\n").map(String.init)
            #expect(lines.contains(#"mlsh_requests_total{model="pc",protocol="v1",code="200"} 1"#))
            #expect(lines.contains(#"mlsh_requests_total{model="",protocol="v1",code="400"} 1"#))
            #expect(lines.contains(#"mlsh_predictions_total{model="pc",class="Chinstrap"} 1"#))
            #expect(lines.contains(#"mlsh_predictions_total{model="pc",class="Gentoo"} 1"#))
            #expect(lines.contains("# TYPE mlsh_request_duration_seconds histogram"))
            #expect(lines.contains(#"mlsh_request_duration_seconds_count{protocol="v1"} 2"#))
            #expect(lines.contains("# TYPE mlsh_model_load_seconds gauge"))
            #expect(lines.contains("# TYPE mlsh_requests_in_flight gauge"))
        }
    }

    /// A swap while a client sends requests: every request answered, by one model or the other.
    @Test func swappingDropsNoRequest() async throws {
        let state = ServeFixtures.state(["m"])
        let other = ServeFixtures.models["km"]!
        let first = ServeFixtures.models["m"]!
        try await withRouter(state) { c in
            try await withThrowingTaskGroup(of: [Int].self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        var statuses: [Int] = []
                        for _ in 0..<50 { statuses.append(try await c.post("/v1/models/m:predict", #"{"instances":[{"wt":3,"hp":100}]}"#).status) }
                        return statuses
                    }
                }
                for k in 0..<20 { _ = state.swap("m", with: ServedModel(name: "m", model: k % 2 == 0 ? other : first)) }
                var all: [Int] = []
                for try await s in group { all += s }
                #expect(all.count == 200)
                #expect(all.allSatisfy { $0 == 200 })
            }
        }
        #expect(state.store.model("m")!.model.algorithm == first.algorithm)
    }

    @Test func aPredictionPastTheTimeLimitIs503() async throws {
        var options = ServeOptions()
        options.timeout = .nanoseconds(1)
        try await withRouter(ServeFixtures.state(["m"], options: options)) { c in
            let a = try await c.post("/v1/models/m:predict", #"{"instances":[{"wt":3,"hp":100}]}"#)
            #expect(a.status == 503 && a.body == #"{"error":"the request took longer than its time limit"}"#)
        }
    }
}

/// The JSON parser's numbers: its fast path (15 digits, a power of ten up to 22) must give the
/// very double that strtod gives (Swift's `Double(String)`), bit for bit.
@Suite struct JSONNumberTests {
    @Test func numbersReadAsStrtodReadsThem() throws {
        var rng = SystemRandomNumberGenerator()
        var texts: [String] = ["0", "-0", "1", "-1", "0.1", "1e22", "1e23", "9007199254740993", "123456789012345",
                               "1234567890123456", "0.000001", "1e-22", "1e-23", "4.35", "2.2250738585072014e-308", "1.7976931348623157e308"]
        for _ in 0..<20_000 {
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: texts.append(Double.random(in: -1e6...1e6, using: &rng).description)
            case 1: texts.append(String(Double.random(in: -1...1, using: &rng) * pow(10, Double(Int.random(in: -30...30, using: &rng)))))
            case 2:
                let digits = (0..<Int.random(in: 1...17, using: &rng)).map { _ in String(Int.random(in: 0...9, using: &rng)) }.joined()
                let point = Int.random(in: 0...digits.count, using: &rng)
                let mantissa = String(digits.prefix(point)).isEmpty ? "0" : String(Int(String(digits.prefix(point)).prefix(18)) ?? 0)
                texts.append(mantissa + (point < digits.count ? "." + digits.dropFirst(point) : ""))
            default: texts.append("\(Int.random(in: 1...999, using: &rng))e\(Int.random(in: -25...25, using: &rng))")
            }
        }
        let parsed = try JSONParser.parse(Array(("[" + texts.joined(separator: ",") + "]").utf8))
        guard case .array(let values) = parsed else { Issue.record("not a list"); return }
        #expect(values.count == texts.count)
        for (text, v) in zip(texts, values) {
            guard case .number(let d, _) = v else { Issue.record("\(text) is not a number"); continue }
            #expect(d.bitPattern == Double(text)!.bitPattern, "\(text)")
        }
    }
}

/// The serve, servers, stop and request commands in a session, as typed at the prompt (each
/// session on a thread of its own, as the prompt's).
@Suite struct ServeCommandTests {
    static let setup = """
        load "tutorials/data/mtcars.csv"
        fit linear mpg ~ wt + hp on mtcars as m
        """

    /// Runs each line as its own command (as typed at the prompt: an error does not stop the
    /// next), after the setup; returns what they printed.
    func session(_ text: String) async throws -> String {
        try await offPool {
            _ = FileManager.default.changeCurrentDirectoryPath(packageRoot)
            let (s, out) = recordingSession()
            _ = run(Self.setup, in: s)
            _ = out.take()
            var printed = ""
            for line in text.split(separator: "\n") { printed += run(String(line), in: s) }
            s.closeServers()
            return printed
        }
    }

    @Test func mistakesAreSaidWithWhereAndWhat() async throws {
        var out = try await session("serve mm port=0")
        #expect(out.hasPrefix("<input>:1:7: error: no model named 'mm'\n"), "\(out)")
        #expect(out.contains("hint: did you mean 'm'?"))
        out = try await session("serve m port=70000")
        #expect(out.hasPrefix("<input>:1:14: error: port must be from 0 to 65535, not 70000\n"), "\(out)")
        out = try await session("serve m port=0 tokens=\"/nonexistent/tokens\"")
        #expect(out.hasPrefix("<input>:1:23: error: cannot read the tokens file /nonexistent/tokens: "), "\(out)")
        out = try await session("serve m port=0 tls_cert=\"c.pem\"")
        #expect(out.hasPrefix("<input>:1:25: error: HTTPS needs both tls_cert= and tls_key=\n"), "\(out)")
        out = try await session("serve m port=0 host=\"10.255.255.1\"")
        #expect(out.hasPrefix("<input>:1:21: error: cannot listen on 10.255.255.1: not an address of this machine\n"), "\(out)")
        out = try await session("stop live")
        #expect(out.hasPrefix("<input>:1:6: error: no server named 'live'\n"), "\(out)")
        out = try await session("request live \"/v2\"")
        #expect(out.hasPrefix("<input>:1:9: error: no server named 'live'\n"), "\(out)")
    }

    @Test func serveSwapRequestAndStop() async throws {
        let out = try await session("""
            serve m port=0 as live
            request live "/v1/models/m:predict" body='{"instances": [{"wt": 2.62, "hp": 110}]}' as answer
            print answer
            fit linear mpg ~ wt on mtcars as m2
            serve m2 as live
            request live "/v2/models/m"
            request live "v2"
            serve m2 port=1 as live
            stop all
            servers
            """)
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.count > 20)
        #expect(lines[0].hasPrefix("serving m on http://127.0.0.1:") && lines[0].hasSuffix(" as 'live': Open Inference (/v2), KServe V1"), "\(out)")
        #expect(out.contains("HTTP 200 · X-Request-Id: 1\n{\"predictions\":[23.572329403308835]}\n{\"predictions\":[23.572329403308835]}\n"), "\(out)")
        #expect(out.contains("swapped m2 into 'live' (http://127.0.0.1:"), "\(out)")
        #expect(out.contains(#""inputs":[{"name":"wt","datatype":"FP64","shape":[-1]}]"#), "the swapped model reads wt alone: \(out)")
        #expect(out.contains("error: a path starts with '/', e.g. \"/v2/health/ready\""), "\(out)")
        #expect(out.contains("error: 'live' is running: a swap changes the model only"), "\(out)")
        #expect(out.contains("stopped 'live' (http://127.0.0.1:"), "\(out)")
        #expect(out.hasSuffix("no server is running; serve MODEL starts one\n"), "\(out)")
    }
}

/// The JSON Lines request log: a line per answered row, typed as the model read it, loaded back
/// as a dataset; rotated past its size, the oldest files removed.
@Suite struct RequestLogTests {
    @Test func everyAnsweredRowIsLoggedAndLoadsBack() async throws {
        let folder = NSTemporaryDirectory() + "mlsh-request-log-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let out = try await offPool {
            run("""
                load "\(packageRoot)/tutorials/data/mtcars.csv"
                fit linear mpg ~ wt + hp on mtcars as m
                serve m port=0 request_log="\(folder)/r.jsonl" as live
                request live "/invocations" body='{"dataframe_split": {"columns": ["wt", "hp"], "data": [[2.62, 110], [3.5, 150]]}}' id="a"
                request live "/invocations" body='wt,hp\n2.875,110\n' type="text/csv"
                stop live
                load "\(folder)/r.jsonl" as logged
                """)
        }
        let lines = try String(contentsOfFile: folder + "/r.jsonl", encoding: .utf8).split(separator: "\n")
        try #require(lines.count == 3, "\(out)")
        let first = try jsonObject(String(lines[0]))
        #expect(first["request_id"] as? String == "a" && first["model"] as? String == "m")
        #expect(first["wt"] as? Double == 2.62 && first["hp"] as? Double == 110)
        #expect(abs((first["prediction"] as? Double ?? 0) - 23.5723294033088) < 1e-9)
        #expect((first["time"] as? String)?.count == 24)
        let second = try jsonObject(String(lines[1]))
        #expect(second["request_id"] as? String == "a" && second["hp"] as? Double == 150, "\(lines[1])")
        let third = try jsonObject(String(lines[2]))
        #expect(third["wt"] as? Double == 2.875 && third["request_id"] as? String == "1", "CSV cells are logged as numbers: \(lines[2])")
        #expect(out.contains("loaded logged: 3 rows × 6 columns"), "\(out)")
        #expect(out.contains("types={time: string, request_id: string, model: string, hp: int, wt: float,"), "\(out)")
    }

    @Test func theLogRotatesAndKeepsItsNewestFiles() throws {
        let folder = NSTemporaryDirectory() + "mlsh-request-log-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/r.jsonl"
        let log = try RequestLog(path: path, maxBytes: 2048, keep: 2)
        let served = ServedModel(name: "m", model: ServeFixtures.models["m"]!)
        let answer = try served.model.predict(columns: ["wt": [.number(3)], "hp": [.number(100)]], count: 1, engine: nil)
        for k in 0..<200 {
            log.add(id: "\(k)", served: served, columns: ["wt": [.number(3)], "hp": [.number(Double(k))]], count: 1, answers: answer, time: 0)
        }
        log.close()
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(files == ["r.jsonl", "r.jsonl.1", "r.jsonl.2"], "\(files)")
        for f in files {
            let size = try FileManager.default.attributesOfItem(atPath: folder + "/" + f)[.size] as! Int
            #expect(size < 2048 + 200, "\(f): \(size)")
        }
        // The newest row is in the current file, and the rows run on from file to file.
        let current = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(current.last?.contains(#""request_id":"199""#) == true)
        #expect(log.counts.written == 200 && log.counts.dropped == 0)
    }
}
