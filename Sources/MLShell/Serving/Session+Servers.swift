import MLDiagnostics
import MLModel
import MLServe
import MLServeProtocol

/// The servers a session started, by name, in the order started. They run in the background
/// while the prompt stays usable, and stop (drained) when the session ends.
final class ServerList {
    var names: [String] = []
    var byName: [String: RunningServer] = [:]

    // A session dropped with servers running (a test's): they drain on their own.
    deinit {
        for name in names { byName[name]?.stopWithoutWaiting() }
    }
}

extension Session {
    public var runningServers: [(name: String, server: RunningServer)] {
        servers.names.compactMap { n in servers.byName[n].map { (n, $0) } }
    }

    func server(named name: String) -> RunningServer? { servers.byName[name] }

    /// The running server a command's name parameter names, or the error that says which run.
    func server(_ call: CommandCall, parameter: String) throws -> (name: String, server: RunningServer) {
        guard let e = call.expr(parameter), let n = e.asName else { throw call.error("expected a server's name", id: .missingArgument) }
        if let s = server(named: n.text) { return (n.text, s) }
        let names = runningServers.map(\.name)
        throw Diagnostic(.unknownName, .error, "no server named '\(n.text)'", file: call.file, range: e.range,
                         hint: Suggest.didYouMean(n.text, in: names) ?? (names.isEmpty ? "no server is running; serve MODEL port=0 starts one" : "running: " + names.joined(separator: ", ")))
    }

    func addServer(_ name: String, _ server: RunningServer) {
        if servers.byName[name] == nil { servers.names.append(name) }
        servers.byName[name] = server
    }

    /// Stops one server (drained); returns it, or nil when none has the name.
    @discardableResult
    func stopServer(_ name: String) -> RunningServer? {
        guard let s = servers.byName.removeValue(forKey: name) else { return nil }
        servers.names.removeAll { $0 == name }
        s.stop()
        return s
    }

    /// Ends the session's servers: each stops accepting, finishes what it is answering, and closes.
    public func closeServers() {
        for name in servers.names { stopServer(name) }
    }

    /// How a served recipe evaluates `derive` expressions: over an empty session of its own per
    /// request (a saved recipe already has the session values it read written in).
    static let servingEngine = ExpressionEngineFactory {
        SessionExpressionEngine(session: Session(terminal: .plain, output: CapturedOutput()), datasetName: "")
    }
}
