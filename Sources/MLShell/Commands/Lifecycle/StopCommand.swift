import MLDiagnostics
import MLServe

/// `stop NAME` or `stop all`
struct StopCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "stop", stage: .lifecycle,
        abstract: "Stop a running server (or all): it stops accepting, finishes the requests under way, and closes",
        parameters: [Parameter("NAME", .name, "the server's name, as servers lists it, or all")],
        examples: [
            Example("load \"tutorials/data/mtcars.csv\""),
            Example("fit linear mpg ~ wt on mtcars as m"),
            Example("serve m port=0"),
            Example("stop m"),
        ])

    static func run(_ call: CommandCall, in session: Session) throws {
        let targets: [String]
        if call.expr("NAME")?.asName?.text == "all", session.server(named: "all") == nil {
            targets = session.runningServers.map(\.name)
            if targets.isEmpty { session.print("no server is running") }
        } else {
            targets = [try session.server(call, parameter: "NAME").name]
        }
        for name in targets {
            guard let stopped = session.stopServer(name) else { continue }
            let m = stopped.state.metrics
            session.print("stopped '\(name)' (\(stopped.url)) after \(plural(m.requests, "request"))" + (m.errors > 0 ? ", \(plural(m.errors, "error"))" : ""))
        }
    }
}
