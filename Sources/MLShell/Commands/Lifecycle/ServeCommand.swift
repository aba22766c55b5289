import MLDiagnostics
import MLFrame
import MLModel
import MLRender
import MLServe
import MLServeProtocol

/// `serve MODEL[, MODEL...] [port=8080] [host=…] [tokens=…] [tls_cert=… tls_key=…] [as NAME]`
struct ServeCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "serve", stage: .lifecycle,
        abstract: "Serve models over HTTP in the background (Open Inference/KServe V2, KServe V1, MLflow)",
        discussion: """
            The prompt stays usable while the server runs. Requests go through each model's own \
            fitted recipe, as predict does. Routes: POST /v2/models/M/infer, POST /v1/models/M:predict, \
            POST /invocations (the first model), GET /v2/health/ready, GET /metrics. Serving again \
            under a running server's name swaps its model in place, dropping no request. \
            servers lists the running servers and stop NAME stops one; leaving mlsh stops them all.
            """,
        parameters: [
            Parameter("MODEL", .name, "the models to serve (by name; load model \"FILE.mlsm\" first for a saved one)", variadic: true),
        ],
        options: [
            OptionSpec("port", .integer, "the TCP port; 0 picks a free one", default: "8080"),
            OptionSpec("host", .string, "the address to listen on; \"0.0.0.0\" for every interface", default: "\"127.0.0.1\""),
            OptionSpec("tokens", .string, "a file of bearer tokens, one per line: TOKEN ROLE[,ROLE…] (roles: infer, read, metrics, admin)"),
            OptionSpec("tls_cert", .string, "a PEM certificate chain, to serve HTTPS (with tls_key)"),
            OptionSpec("tls_key", .string, "the PEM private key of tls_cert"),
            OptionSpec("max_body", .integer, "the largest request body taken, in bytes (larger: 413)", default: "8388608"),
            OptionSpec("timeout", .duration, "the longest a prediction may take (longer: 503)", default: "5s"),
            OptionSpec("request_log", .string, "write every answered row to this JSON Lines file (rotated past 64 MiB, 3 kept); load reads it back"),
        ],
        binds: ["NAME"],
        examples: [
            Example("load \"tutorials/data/mtcars.csv\""),
            Example("fit linear mpg ~ wt + hp on mtcars as m"),
            Example("serve m port=0 as example", "a free port; the URL is printed"),
            Example("servers"),
            Example("stop example"),
        ])

    static func run(_ call: CommandCall, in session: Session) throws {
        var models: [Model] = []
        for e in call.exprs("MODEL") {
            let m = try call.model(session, expr: e)
            guard !models.contains(where: { $0.name == m.name }) else { throw call.error(at: "MODEL", "\(m.name) is named twice") }
            models.append(m)
        }
        let name = call.binding.first?.text ?? models[0].name
        if let running = session.server(named: name) {
            try swap(models, into: running, name: name, call, session)
            return
        }
        let options = try self.options(call)
        let state = ServerState(models: models.map { ServedModel(name: $0.name, model: $0) }, options: options,
                                engine: Session.servingEngine, version: HelpFormatter.version)
        let server: RunningServer
        do {
            server = try RunningServer.start(state)
        } catch let e as ServeStartError {
            throw call.error(at: e.description.contains("TLS") ? "tls_cert" : e.description.hasPrefix("cannot listen") ? "host" : "port",
                             e.description, hint: e.hint, id: .serveFailed)
        }
        session.addServer(name, server)
        let names = models.map(\.name).joined(separator: ", ")
        session.print("serving \(names) on \(server.url) as '\(name)': Open Inference (/v2), KServe V1 (/v1), MLflow (/invocations)")
        let auth = options.tokens != nil ? " -H 'Authorization: Bearer TOKEN'" : ""
        // Whole, not wrapped: it is meant to be pasted.
        session.output.write("  try: curl -s\(auth) \(server.url)/v2/models/\(models[0].name)/infer -d '\(exampleBody(models[0]))'\n")
        session.print("  'servers' lists the running servers; 'stop \(name)' stops this one")
    }

    static func options(_ call: CommandCall) throws -> ServeOptions {
        var o = ServeOptions()
        if let port = try call.integer("port") {
            guard (0...65535).contains(port) else { throw call.error(at: "port", "port must be from 0 to 65535, not \(port)", hint: "port=0 picks a free one") }
            o.port = port
        }
        if let host = try call.string("host") {
            guard !host.isEmpty else { throw call.error(at: "host", "host is empty", hint: "host=\"127.0.0.1\" (this machine) or \"0.0.0.0\" (every interface)") }
            o.host = host
        }
        if let path = try call.string("tokens") {
            let text: String
            do {
                text = try TextDecoding.decode(try FileText.read(path), name: path)
            } catch {
                throw call.error(at: "tokens", "cannot read the tokens file \(path): \(error.message)", hint: "write one token per line: TOKEN ROLE[,ROLE…]")
            }
            do {
                o.tokens = try Tokens(text: text, path: path)
            } catch {
                throw call.error(at: "tokens", error.message, hint: "a line is TOKEN ROLE[,ROLE…], e.g. 3f9c…e1 infer,read")
            }
        }
        let cert = try call.string("tls_cert"), key = try call.string("tls_key")
        if (cert == nil) != (key == nil) {
            throw call.error(at: cert == nil ? "tls_key" : "tls_cert", "HTTPS needs both tls_cert= and tls_key=")
        }
        o.tlsCertificate = cert
        o.tlsKey = key
        if let n = try call.integer("max_body") {
            guard n >= 1024 else { throw call.error(at: "max_body", "max_body must be at least 1024 bytes, not \(n)") }
            o.maxBodyBytes = n
        }
        if let t = try call.duration("timeout") {
            guard t > 0 else { throw call.error(at: "timeout", "timeout must be more than 0") }
            o.timeout = .milliseconds(Int64(t * 1000))
        }
        if let path = try call.string("request_log") {
            do {
                o.requestLog = try RequestLog(path: path)
            } catch {
                throw call.error(at: "request_log", error.message, hint: "give a file in a folder you can write to, e.g. request_log=\"requests.jsonl\"")
            }
        }
        return o
    }

    /// `serve m2 as live` while `live` runs: the slot takes the new model under its URL name.
    static func swap(_ models: [Model], into server: RunningServer, name: String, _ call: CommandCall, _ session: Session) throws {
        guard models.count == 1 else {
            throw call.error(at: "MODEL", "'\(name)' is running: serve one model as \(name) to swap it in, or stop \(name) first")
        }
        for option in ["port", "host", "tokens", "tls_cert", "tls_key", "max_body", "timeout"] where call.has(option) {
            throw call.error(at: option, "'\(name)' is running: a swap changes the model only", hint: "stop \(name), then serve again with \(option)=")
        }
        let slots = server.state.store.names
        let slot = slots.count == 1 ? slots[0] : slots.first { $0 == models[0].name }
        guard let slot else {
            throw call.error(at: "MODEL", "'\(name)' serves \(slots.joined(separator: ", ")); none is named \(models[0].name)",
                             hint: "a server of several models swaps the one of the same name")
        }
        _ = server.state.swap(slot, with: ServedModel(name: slot, model: models[0]))
        session.print("swapped \(models[0].name) into '\(name)' (\(server.url)/v2/models/\(slot)); requests under way finish on the old model")
    }

    /// A body for the curl line: one row of typical values (the middle of each input's training
    /// histogram, its most common category).
    static func exampleBody(_ m: Model) -> String {
        var parts: [String] = []
        for input in m.usedInputs {
            let profile = m.profile?.columns.first { $0.name == input.name }
            let datatype = ModelSignature.datatype(input.type)
            var value: String
            switch input.type {
            case .float64, .int64:
                var x = 0.0
                if let e = profile?.edges, e.count >= 2 { x = (e[(e.count - 1) / 2] + e[e.count / 2]) / 2 }
                value = input.type == .int64 ? String(Int64(x.rounded())) : NumberFormat.compact(x, significant: 3)
            case .bool: value = "true"
            case .string, .date:
                let top = profile.flatMap { p in p.categories.flatMap { c in p.frequencies.flatMap { f in zip(c, f).max { $0.1 < $1.1 }?.0 } } }
                value = jsonString(top ?? input.categories?.first ?? (input.type == .date ? "2024-01-01" : "a"))
            }
            parts.append("{\"name\":\(jsonString(input.name)),\"shape\":[1],\"datatype\":\"\(datatype)\",\"data\":[\(value)]}")
        }
        return "{\"inputs\":[" + parts.joined(separator: ",") + "]}"
    }
}

extension Diagnostic.ID {
    static let serveFailed = Diagnostic.ID("serve-failed")
}
