import MLDiagnostics
import MLModel
import MLServe
import MLServeProtocol
#if canImport(Glibc)
import Glibc
#endif

/// `mlsh serve FILE.mlsm…`: model files served in the foreground until SIGTERM or SIGINT, which
/// drain the server (no new connections, requests under way finish) and exit 0.
public enum HeadlessServer {
    public struct Arguments {
        public var files: [String] = []
        public var port = 8080
        public var host = "127.0.0.1"
        public var tokens: String?
        public var tlsCertificate: String?
        public var tlsKey: String?
        public var accessLog = false
        public var maxBodyBytes = 8 << 20
        public var timeoutSeconds = 5.0
        public var verify: String?
        public var key: String?
        public var requestLog: String?
        public var requestLogMaxBytes = 64 << 20

        public init() {}
    }

    /// Exit codes: 0 stopped cleanly, 64 a wrong option, 65 a file that is not a model (or fails
    /// its signature), 66 a file that cannot be read, 69 the port cannot be listened on.
    public static func run(_ a: Arguments, stop: InterruptFlag, out: OutputSink = StandardOutput()) -> Int32 {
        func fail(_ message: String, _ hint: String?, _ code: ShellExit) -> Int32 {
            out.writeError("mlsh serve: error: \(message)\n" + (hint.map { "  hint: \($0)\n" } ?? ""))
            return code.rawValue
        }
        var options = ServeOptions()
        options.host = a.host
        guard (0...65535).contains(a.port) else { return fail("--port must be from 0 to 65535, not \(a.port)", "--port 0 picks a free one", .usage) }
        options.port = a.port
        options.maxBodyBytes = a.maxBodyBytes
        options.timeout = .milliseconds(Int64(a.timeoutSeconds * 1000))
        options.tlsCertificate = a.tlsCertificate
        options.tlsKey = a.tlsKey
        if (a.tlsCertificate == nil) != (a.tlsKey == nil) { return fail("HTTPS needs both --tls-cert and --tls-key", nil, .usage) }
        if a.accessLog { options.accessLog = { line in StandardOutput.writeAll(STDERR_FILENO, line + "\n") } }
        if let path = a.tokens {
            do {
                options.tokens = try Tokens(text: TextDecoding.decode(try FileText.read(path), name: path), path: path)
            } catch let e as ServeError {
                return fail(e.message, "a line is TOKEN ROLE[,ROLE…]", .usage)
            } catch let d as Diagnostic {
                return fail("cannot read the tokens file: \(d.message)", nil, .noInput)
            } catch {
                return fail("cannot read the tokens file \(path): \(error)", nil, .noInput)
            }
        }
        if let path = a.requestLog {
            do {
                options.requestLog = try RequestLog(path: path, maxBytes: a.requestLogMaxBytes)
            } catch {
                return fail(error.message, "give a file in a folder you can write to", .cantCreate)
            }
        }
        let key = LoadModelCommand.sealingKey(file: a.key)
        var served: [ServedModel] = []
        for path in a.files {
            let start = ContinuousClock.now
            do {
                let loaded = try ModelFile.load(path, verify: a.verify, key: key)
                let seconds = (ContinuousClock.now - start) / .seconds(1)
                guard !served.contains(where: { $0.name == loaded.model.name }) else {
                    return fail("two files hold a model named \(loaded.model.name)", "load and save one under another name (load model … as NAME, save)", .dataError)
                }
                served.append(ServedModel(name: loaded.model.name, model: loaded.model, loadSeconds: seconds))
            } catch let e as ModelFileError {
                if case .missingFile = e { return fail(e.message, e.hint, .noInput) }
                if case .io = e { return fail(e.message, e.hint, .noInput) }
                return fail("\(path): \(e.message)", e.hint, .dataError)
            } catch {
                return fail("\(path): \(error)", nil, .dataError)
            }
        }
        guard !served.isEmpty else { return fail("no model file given", "mlsh serve model.mlsm [--port 8080]", .usage) }
        let server: RunningServer
        do {
            server = try RunningServer.start(ServerState(models: served, options: options, engine: Session.servingEngine, version: HelpFormatter.version))
        } catch let e as ServeStartError {
            return fail(e.description, e.hint, .unavailable)
        } catch {
            return fail("\(error)", nil, .unavailable)
        }
        // The first line is the address, so that a program that started the server can read the port.
        out.write("listening on \(server.url)\n")
        for m in served {
            out.write("  \(m.name): \(m.model.algorithm.rawValue) \(m.model.formula) at \(server.url)/v2/models/\(m.name)/infer\n")
        }
        while !stop.isSet { usleep(20_000) }
        out.write("stopping: finishing \(server.state.metrics.inFlight) requests under way\n")
        server.stop()
        out.write("stopped after \(plural(server.state.metrics.requests, "request"))\n")
        return 0
    }
}
