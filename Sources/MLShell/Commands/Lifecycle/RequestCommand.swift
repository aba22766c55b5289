import MLDiagnostics
import MLFrame
import MLFrameIO
import MLModel
import MLServe
import MLServeProtocol
import MLRender

/// `request SERVER "PATH" [body=TEXT] [method=get|post] [type=TEXT] [token=TEXT] [as NAME]`
struct RequestCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "request", stage: .lifecycle,
        abstract: "Send an HTTP request to a running server and show the answer (a client at the prompt)",
        discussion: """
            SERVER is a server's name (as servers lists it). With a body the method is POST, else GET; \
            the body's type is application/json unless type= says otherwise (text/csv for MLflow's CSV). \
            'as NAME' binds the answer's body as text. rows=DS sends a dataset's rows as CSV (to \
            /invocations, MLflow's route); to a /feedback route, rows=DS labels=COLUMN sends that \
            column's values as the true values of the request id= names. A long answer is shown \
            cut to one line.
            """,
        parameters: [
            Parameter("SERVER", .name, "the server's name"),
            Parameter("PATH", .string, "the path, e.g. \"/v2/models/m/infer\""),
        ],
        options: [
            OptionSpec("body", .string, "the request body"),
            OptionSpec("method", .word(["get", "post"]), "the HTTP method", default: "post with a body, else get"),
            OptionSpec("type", .string, "the body's Content-Type", default: "\"application/json\""),
            OptionSpec("token", .string, "a bearer token, sent as Authorization: Bearer TOKEN"),
            OptionSpec("rows", .dataset, "send this dataset's rows (as CSV; or, with labels=, as feedback)"),
            OptionSpec("labels", .name, "with rows= to a /feedback route: the column of true values"),
            OptionSpec("id", .string, "the request's id (sent as X-Request-Id; feedback names it)"),
        ],
        binds: ["NAME"],
        examples: [
            Example("load \"tutorials/data/mtcars.csv\""),
            Example("fit linear mpg ~ wt on mtcars as m"),
            Example("serve m port=0"),
            Example("request m \"/v2/models/m/infer\" body='{\"inputs\": [{\"name\": \"wt\", \"shape\": [1], \"datatype\": \"FP64\", \"data\": [3]}]}'"),
            Example("stop m"),
        ])

    static func run(_ call: CommandCall, in session: Session) throws {
        let (name, server) = try session.server(call, parameter: "SERVER")
        guard server.state.options.tlsCertificate == nil else {
            throw call.error(at: "SERVER", "'\(name)' serves HTTPS; request speaks plain HTTP only", hint: "use curl -k \(server.url)…")
        }
        let path = try call.string("PATH")!
        guard path.hasPrefix("/") else { throw call.error(at: "PATH", "a path starts with '/', e.g. \"/v2/health/ready\"") }
        var body = try call.string("body")
        var type = try call.string("type")
        let id = try call.string("id")
        var rowsSent: Int? = nil
        if call.has("rows") {
            if body != nil { throw call.error(at: "rows", "give body= or rows=, not both") }
            let d = try call.dataset(session, parameter: "rows")
            rowsSent = d.frame.rowCount
            if let labelName = call.expr("labels")?.asName?.text {
                guard path.hasSuffix("/feedback") else { throw call.error(at: "labels", "labels= goes with a /feedback route", hint: "request \(name) \"/v2/models/M/feedback\" rows=\(d.name) labels=\(labelName) id=\"ID\"") }
                guard let id else { throw call.error(at: "labels", "feedback needs the id= of the request it labels", hint: "send the rows with id=\"b1\", then their labels with the same id") }
                guard let column = d.frame.column(labelName) else {
                    throw call.error(at: "labels", "\(d.name) has no column '\(labelName)'", hint: Suggest.didYouMean(labelName, in: d.frame.columnNames) ?? "its columns: " + d.frame.columnNames.joined(separator: ", "))
                }
                body = feedbackBody(id: id, column)
            } else {
                guard !path.hasSuffix("/feedback") else {
                    throw call.error(at: "rows", "feedback sends true values: give labels=COLUMN and the id= of the request they are for",
                                     hint: "request \(name) \"\(path)\" rows=\(d.name) labels=COLUMN id=\"ID\"")
                }
                // Only the columns the model reads: a server refuses a column its model does not know
                // (a target made with derive, say).
                var frame = d.frame
                if let model = servedModel(path, server) {
                    let known = Set(model.inputs.map(\.name))
                    frame = frame.selecting(frame.columnNames.filter { known.contains($0) })
                }
                body = String(decoding: FrameWriter.write(frame, format: .csv), as: UTF8.self)
                type = type ?? "text/csv"
            }
        }
        let method = (call.word("method") ?? (body == nil ? "get" : "post")).uppercased()
        var headers: [(String, String)] = []
        if body != nil { headers.append(("Content-Type", type ?? "application/json")) }
        if let id, !path.hasSuffix("/feedback") { headers.append(("X-Request-Id", id)) }
        if let token = try call.string("token") { headers.append(("Authorization", "Bearer " + token)) }
        let host = server.host == "0.0.0.0" || server.host == "::" ? "127.0.0.1" : server.host
        let reply: LocalHTTPClient.Reply
        do {
            reply = try LocalHTTPClient.send(host: host, port: server.port, method: method, path: path, headers: headers, body: Array((body ?? "").utf8))
        } catch {
            throw call.error("the request to \(server.url)\(path) failed: \(error.description)", id: .serveFailed)
        }
        let text = String(decoding: reply.body, as: UTF8.self)
        session.print("HTTP \(reply.status)" + (rowsSent.map { " · \(plural($0, "row")) sent" } ?? "")
                      + (reply.header("x-request-id").map { " · X-Request-Id: \($0)" } ?? ""))
        // A long answer to rows= is cut to a line; an error is shown whole.
        let shown = rowsSent != nil && reply.status < 400 && text.count > session.width
            ? String(text.prefix(session.width - 20)) + "… (\(formatBytes(reply.body.count)))\n" : text
        if !shown.isEmpty { session.output.write(shown.hasSuffix("\n") ? shown : shown + "\n") }
        if let name = call.binding.first {
            try session.checkBindable(name, in: call.file)
            session.bind(name.text, .string(text))
        }
    }

    /// {"id": ID, "labels": [the column's values]}: texts quoted, missing as null.
    static func feedbackBody(id: String, _ column: Column) -> String {
        var w = JSONWriter()
        w.raw("{"); w.key("id"); w.string(id); w.raw(","); w.key("labels"); w.raw("[")
        for r in 0..<column.count {
            if r > 0 { w.raw(",") }
            guard column.isValid(r) else { w.raw("null"); continue }
            switch column.storage {
            case .string: w.string(column.text(r) ?? "")
            case .bool(let b): w.raw(b[r] ? "true" : "false")
            default: if let d = column.double(r), d.isFinite { w.raw("\(d)") } else { w.raw("null") }
            }
        }
        w.raw("]}")
        return String(decoding: w.bytes, as: UTF8.self)
    }

    /// The model an inference path reaches on a server of this session: /invocations (the first),
    /// /v2/models/M/infer, /v1/models/M:predict.
    static func servedModel(_ path: String, _ server: RunningServer) -> Model? {
        if path.hasPrefix("/invocations") { return server.state.store.first?.model }
        let parts = path.split(separator: "/")
        if parts.count >= 3, parts[0] == "v2", parts[1] == "models" { return server.state.store.model(String(parts[2]))?.model }
        if parts.count >= 3, parts[0] == "v1", parts[1] == "models" {
            return server.state.store.model(String(parts[2].split(separator: ":").first ?? ""))?.model
        }
        return nil
    }
}
