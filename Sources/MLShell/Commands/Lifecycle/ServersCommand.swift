import MLRender
import MLServe

/// `servers`
struct ServersCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "servers", stage: .lifecycle,
        abstract: "List the running servers: name, address, models, requests, errors, in flight, uptime",
        examples: [Example("servers")])

    static func run(_ call: CommandCall, in session: Session) throws {
        let list = session.runningServers
        guard !list.isEmpty else {
            session.print("no server is running; serve MODEL starts one")
            return
        }
        func column(_ header: String, _ align: TextTable.Alignment, _ cells: [String]) -> TextTable.Column {
            TextTable.Column(header: header, alignment: align, cells: cells)
        }
        let uptimes = list.map { session.recording ? "[..]" : formatUptime($0.server.uptime) }
        session.printTable(TextTable(columns: [
            column("name", .left, list.map(\.name)),
            column("address", .left, list.map { $0.server.url.hasPrefix("http://") ? String($0.server.url.dropFirst(7)) : $0.server.url }),
            column("models", .left, list.map { $0.server.state.store.names.joined(separator: ", ") }),
            column("requests", .right, list.map { String($0.server.state.metrics.requests) }),
            column("errors", .right, list.map { String($0.server.state.metrics.errors) }),
            column("in flight", .right, list.map { String($0.server.state.metrics.inFlight) }),
            column("uptime", .right, uptimes),
        ]))
    }

    static func formatUptime(_ d: Duration) -> String {
        let s = Int(d.components.seconds)
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m \(s % 60)s" }
        return "\(s / 3600)h \(s % 3600 / 60)m"
    }
}
