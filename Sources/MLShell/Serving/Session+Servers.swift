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
