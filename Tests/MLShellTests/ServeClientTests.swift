import Foundation
import MLModel
import MLServe
import Testing

/// `mlsh serve` as a user runs it: the built binary on a free port, real clients in Python
/// (NVIDIA's tritonclient for the V2 protocol, requests for V1 and MLflow, prometheus_client's
/// parser for /metrics), then SIGTERM.
@Suite(.serialized) struct ServeClientTests {
    /// Saves pc (penguins, with a recipe) and m (mtcars) with the binary; returns their paths.
    static func savedModels() throws -> (dir: String, pc: String, m: String) {
        let dir = NSTemporaryDirectory() + "mlsh-serve-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let r = try runMlsh(["-c", """
            load "tutorials/data/penguins.csv"; fill bill_length_mm median; fill bill_depth_mm median; encode onehot island
            fit logistic species ~ bill_length_mm + bill_depth_mm + island_Dream + island_Torgersen on penguins as pc
            save pc "\(dir)/pc.mlsm"
            load "tutorials/data/mtcars.csv"; fit linear mpg ~ wt + hp on mtcars as m; save m "\(dir)/m.mlsm"
            """])
        #expect(r.status == 0, "\(r.stderr)")
        return (dir, dir + "/pc.mlsm", dir + "/m.mlsm")
    }

    /// A running `mlsh serve`: its process, the URL from its first line, and what it printed.
    final class Served: @unchecked Sendable {
        let process = Process()
        let out = Pipe(), err = Pipe()
        var url = ""
        var firstLines = ""

        init(_ args: [String]) throws {
            process.executableURL = URL(fileURLWithPath: mlshBinary)
            process.arguments = ["serve"] + args
            process.currentDirectoryURL = URL(fileURLWithPath: packageRoot)
            process.standardOutput = out
            process.standardError = err
            try process.run()
            // The first line is "listening on URL" (or the process ends with an error).
            var text = ""
            let handle = out.fileHandleForReading
            while !text.contains("\n") {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                text += String(decoding: chunk, as: UTF8.self)
            }
            firstLines = text
            if let line = text.split(separator: "\n").first, line.hasPrefix("listening on ") { url = String(line.dropFirst(13)) }
        }

        /// SIGTERM, then everything it printed and its exit status.
        func terminate() -> (status: Int32, out: String, err: String) {
            process.terminate()
            process.waitUntilExit()
            let rest = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            return (process.terminationStatus, firstLines + rest, String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
        }
    }

    @Test func realClientsGetWhatPredictGives() throws {
        let (dir, pcPath, mPath) = try Self.savedModels()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let pc = try ModelFile.load(pcPath).model, m = try ModelFile.load(mPath).model
        // Rows as a client sends them: a missing value, an island never seen in training.
        let rows: [[String: Any]] = [
            ["island": "Torgersen", "bill_length_mm": 39.1, "bill_depth_mm": 18.7],
            ["island": "Dream", "bill_length_mm": 49.5, "bill_depth_mm": 19.0],
            ["island": "Biscoe", "bill_length_mm": NSNull(), "bill_depth_mm": 14.2],
            ["island": "Atlantis", "bill_length_mm": 45.0, "bill_depth_mm": 15.0],
            ["island": "Biscoe", "bill_length_mm": 47.3, "bill_depth_mm": 13.8],
        ]
        func raw(_ r: [String: Any], depthAsFloat32: Bool = false) -> [String: RawValue] {
            var out: [String: RawValue] = [:]
            for (k, v) in r {
                if let s = v as? String { out[k] = .text(s) }
                else if let d = v as? Double { out[k] = .number(k == "bill_depth_mm" && depthAsFloat32 ? Double(Float(d)) : d) }
                else { out[k] = .missing }
            }
            return out
        }
        func classes(_ p: [Prediction]) -> [String] { p.map { if case .text(let s)? = $0.value { s } else { "?" } } }
        let all = try pc.predict(rows: rows.map { raw($0) }, engine: nil)
        let complete = rows.filter { !($0["bill_length_mm"] is NSNull) }
        // tritonclient sends bill_depth_mm as FP32: the expected answers read the same float32 values.
        let completeAnswers = try pc.predict(rows: complete.map { raw($0, depthAsFloat32: true) }, engine: nil)
        let mRows: [[String: Any]] = [["wt": 2.62, "hp": 110], ["wt": 3.215, "hp": 110], ["wt": 5.424, "hp": 215]]
        let mAnswers = try m.predict(rows: mRows.map { ["wt": .number($0["wt"] as! Double), "hp": .number(Double($0["hp"] as! Int))] }, engine: nil)
        let expected: [String: Any] = [
            "pc": ["rows": rows, "classes": classes(all),
                   "complete_rows": complete, "complete_classes": classes(completeAnswers),
                   "complete_probabilities": completeAnswers.map { $0.probabilities! }],
            "m": ["rows": mRows, "values": mAnswers.map { if case .number(let d)? = $0.value { d } else { Double.nan } }],
        ]
        #expect(classes(all).count == 5 && classes(completeAnswers).count == 4)
        let expectedPath = dir + "/expected.json"
        try JSONSerialization.data(withJSONObject: expected).write(to: URL(fileURLWithPath: expectedPath))

        let py = try runProgram("/bin/bash", [packageRoot + "/scripts/serve-venv"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(py.hasSuffix("/python"), "serve-venv printed \(py)")
        let served = try Served([pcPath, mPath, "--port", "0"])
        #expect(served.url.hasPrefix("http://127.0.0.1:"), "\(served.firstLines)")
        let clients = try runProgram(py, [packageRoot + "/scripts/serve_clients.py", served.url, expectedPath])
        let end = served.terminate()
        #expect(clients.status == 0, "\(clients.stdout)\n\(clients.stderr)")
        #expect(clients.stdout.hasSuffix("0 failed\n"), "\(clients.stdout)")
        #expect(clients.stdout.split(separator: "\n").filter { $0.hasPrefix("ok ") }.count == 28, "\(clients.stdout)")
        #expect(end.status == 0, "\(end.err)")
        #expect(end.out.contains("stopping: finishing 0 requests under way\nstopped after "), "\(end.out)")
    }

    @Test func aPortInUseAndAMissingFileSaySo() throws {
        let (dir, pcPath, _) = try Self.savedModels()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let first = try Served([pcPath, "--port", "0"])
        let port = try #require(first.url.split(separator: ":").last.map(String.init))
        let second = try runMlsh(["serve", pcPath, "--port", port])
        #expect(second.status == 69)
        #expect(second.stderr == "mlsh serve: error: port \(port) on 127.0.0.1 is in use (another server?)\n  hint: pick another port, or port 0 for a free one\n")
        #expect(first.terminate().status == 0)
        let missing = try runMlsh(["serve", dir + "/nope.mlsm", "--port", "0"])
        #expect(missing.status == 66)
        #expect(missing.stderr.hasPrefix("mlsh serve: error: no file \(dir)/nope.mlsm\n"), "\(missing.stderr)")
        let notModel = try runMlsh(["serve", packageRoot + "/tutorials/data/mtcars.csv", "--port", "0"])
        #expect(notModel.status == 65, "\(notModel.stderr)")
    }

    /// HTTPS through Hummingbird's TLS: a self-signed certificate made with openssl, read by curl.
    @Test func tlsServesHTTPS() throws {
        let (dir, pcPath, _) = try Self.savedModels()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let made = try runProgram("/usr/bin/env", ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
                                                   "-days", "1", "-keyout", dir + "/key.pem", "-out", dir + "/cert.pem"])
        try #require(made.status == 0, "\(made.stderr)")
        let served = try Served([pcPath, "--port", "0", "--tls-cert", dir + "/cert.pem", "--tls-key", dir + "/key.pem"])
        #expect(served.url.hasPrefix("https://127.0.0.1:"), "\(served.firstLines)")
        let secure = try runProgram("/usr/bin/env", ["curl", "-sk", served.url + "/v1/models/pc:predict", "-d",
                                                     #"{"instances": [["Biscoe", 47.3, 13.8]]}"#])
        #expect(secure.stdout == #"{"predictions":["Gentoo"]}"#)
        let plain = try runProgram("/usr/bin/env", ["curl", "-s", served.url.replacingOccurrences(of: "https:", with: "http:") + "/v2/health/ready"])
        #expect(plain.status != 0 && plain.stdout.isEmpty)
        #expect(served.terminate().status == 0)
        let wrong = try runMlsh(["serve", pcPath, "--port", "0", "--tls-cert", dir + "/nope.pem", "--tls-key", dir + "/key.pem"])
        #expect(wrong.status == 69)
        #expect(wrong.stderr.hasPrefix("mlsh serve: error: cannot use the TLS certificate \(dir)/nope.pem and key \(dir)/key.pem: "), "\(wrong.stderr)")
    }
}
