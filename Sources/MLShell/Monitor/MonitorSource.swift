import MLMonitor
import MLServe

/// Where `watch` reads a model's figures: a server of this session (directly), or any mlsh
/// server by URL (its monitor route).
enum MonitorSource {
    case local(server: String, state: ServerState, model: String, url: String)
    case remote(host: String, port: Int, model: String, token: String?)

    var model: String {
        switch self {
        case .local(_, _, let m, _), .remote(_, _, let m, _): return m
        }
    }

    var title: String {
        switch self {
        case .local(let server, _, let model, let url): return "\(server) · \(model) · \(url)"
        case .remote(let host, let port, let model, _): return "\(model) · http://\(host):\(port)"
        }
    }

    struct Failure: Error { var message: String; var hint: String }

    func snapshot() throws(Failure) -> MonitorSnapshot {
        switch self {
        case .local(let server, let state, let model, _):
            guard let s = state.monitor(model) else { throw Failure(message: "the server \(server) no longer serves \(model)", hint: "servers lists what runs") }
            return s
        case .remote(let host, let port, let model, let token):
            let reply: LocalHTTPClient.Reply
            do {
                reply = try LocalHTTPClient.send(host: host, port: port, method: "GET", path: "/v2/models/\(model)/monitor",
                                                 headers: token.map { [("Authorization", "Bearer \($0)")] } ?? [], timeoutSeconds: 10)
            } catch {
                throw Failure(message: "cannot read http://\(host):\(port): \(error.description)", hint: "is the server running? mlsh serve prints its address first")
            }
            guard reply.status == 200 else {
                let text = String(decoding: reply.body.prefix(300), as: UTF8.self)
                throw Failure(message: "http://\(host):\(port)/v2/models/\(model)/monitor answered \(reply.status): \(text)",
                              hint: reply.status == 401 || reply.status == 403 ? "give a token with the read role: token=\"...\"" : "is it an mlsh server, and does it serve \(model)?")
            }
            do {
                return try MonitorSnapshot.decode(reply.body)
            } catch {
                throw Failure(message: "http://\(host):\(port) answered something that is not mlsh's monitor JSON", hint: "watch reads mlsh servers")
            }
        }
    }

    /// "http://HOST:PORT[/…]" as host and port; nil when it is not such a URL.
    static func parse(url: String) -> (host: String, port: Int)? {
        guard url.hasPrefix("http://") else { return nil }
        var rest = Substring(url.dropFirst(7))
        if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
            let host = String(rest[rest.index(after: rest.startIndex)..<close])
            let after = rest[rest.index(after: close)...]
            guard after.hasPrefix(":"), let port = Int(after.dropFirst()) else { return after.isEmpty ? (host, 80) : nil }
            return (host, port)
        }
        let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
        guard !parts.isEmpty, !parts[0].isEmpty else { return nil }
        if parts.count == 1 { return (String(parts[0]), 80) }
        guard parts.count == 2, let port = Int(parts[1]), port > 0, port < 65536 else { return nil }
        return (String(parts[0]), port)
    }
}
