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
        guard let e = call.expr("NAME"), let n = e.asName else { throw call.error("expected a server's name", id: .missingArgument) }
        let names = session.runningServers.map(\.name)
        let targets = n.text == "all" && session.server(named: "all") == nil ? names : [n.text]
        if targets.isEmpty {
            session.print("no server is running")
            return
        }
        for name in targets {
            guard let stopped = session.stopServer(name) else {
                throw Diagnostic(.unknownName, .error, "no server named '\(name)'", file: call.file, range: e.range,
                                 hint: Suggest.didYouMean(name, in: names) ?? (names.isEmpty ? "no server is running" : "running: " + names.joined(separator: ", ")))
            }
            let m = stopped.state.metrics
            session.print("stopped '\(name)' (\(stopped.url)) after \(plural(m.requests, "request"))" + (m.errors > 0 ? ", \(plural(m.errors, "error"))" : ""))
        }
    }
}
