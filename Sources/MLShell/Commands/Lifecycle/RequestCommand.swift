import MLDiagnostics
import MLServe

/// `request SERVER "PATH" [body=TEXT] [method=get|post] [type=TEXT] [token=TEXT] [as NAME]`
struct RequestCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "request", stage: .lifecycle,
        abstract: "Send an HTTP request to a running server and show the answer (a client at the prompt)",
        discussion: """
            SERVER is a server's name (as servers lists it). With a body the method is POST, else GET; \
            the body's type is application/json unless type= says otherwise (text/csv for MLflow's CSV). \
            'as NAME' binds the answer's body as text.
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
        let body = try call.string("body")
        let method = (call.word("method") ?? (body == nil ? "get" : "post")).uppercased()
        var headers: [(String, String)] = []
        if body != nil { headers.append(("Content-Type", try call.string("type") ?? "application/json")) }
        if let token = try call.string("token") { headers.append(("Authorization", "Bearer " + token)) }
        let host = server.host == "0.0.0.0" || server.host == "::" ? "127.0.0.1" : server.host
        let reply: LocalHTTPClient.Reply
        do {
            reply = try LocalHTTPClient.send(host: host, port: server.port, method: method, path: path, headers: headers, body: Array((body ?? "").utf8))
        } catch {
            throw call.error("the request to \(server.url)\(path) failed: \(error.description)", id: .serveFailed)
        }
        let text = String(decoding: reply.body, as: UTF8.self)
        session.print("HTTP \(reply.status)")
        if !text.isEmpty { session.output.write(text.hasSuffix("\n") ? text : text + "\n") }
        if let name = call.binding.first {
            try session.checkBindable(name, in: call.file)
            session.bind(name.text, .string(text))
        }
    }
}
