import MLDiagnostics
import MLLanguage
import MLMonitor
import MLServe
#if canImport(Glibc)
import Glibc
#endif

/// `watch TARGET [model=M] [every=1s] [for=DURATION] [token="…"]`
struct WatchCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "watch", stage: .lifecycle,
        abstract: "Watch a served model: traffic, latency, errors, drift against training, accuracy from feedback, alerts",
        discussion: """
            TARGET is a server's name (as servers lists it), a model a server of this session \
            serves, or the URL of any mlsh server ("http://127.0.0.1:8080"). At the prompt the \
            dashboard is redrawn in place every tick; q or Ctrl-C leaves it. In a script, on a \
            pipe or under mlsh check it prints one line of figures per tick and the whole \
            dashboard at the end; without for= it prints the dashboard once. In a script, an \
            alert that fires while watching fails the command (the script stops with status 1). \
            Drift compares the server's recent rows (up to 1000) with the model's training \
            reference, with drift's tests; feedback (POST /v2/models/M/feedback) gives accuracy \
            or RMSE.
            """,
        parameters: [Parameter("TARGET", .value, "a server's name, a served model, or a server's URL in quotes")],
        options: [
            OptionSpec("model", .name, "which model, when the server serves several", default: "the first"),
            OptionSpec("every", .duration, "the time between looks", default: "1s"),
            OptionSpec("for", .duration, "how long to watch", default: "until q or Ctrl-C"),
            OptionSpec("token", .string, "a bearer token with the read role, for a server that asks for one"),
        ],
        examples: [
            Example("load \"tutorials/data/mtcars.csv\""),
            Example("fit linear mpg ~ wt + hp on mtcars as m"),
            Example("serve m port=0 as live"),
            Example("watch live every=100ms for=300ms"),
            Example("stop live"),
        ])

    static func run(_ call: CommandCall, in session: Session) throws {
        let source = try resolve(call, session)
        let every = try call.duration("every") ?? 1
        guard every >= 0.01, every <= 3600 else { throw call.error(at: "every", "every= takes 10ms to 1h", hint: "every=1s") }
        let total = try call.duration("for")
        if let total, total <= 0 || total > 86_400 { throw call.error(at: "for", "for= takes more than 0 and at most a day", hint: "for=30s") }
        let interactive = session.runStack.isEmpty && !session.recording && session.terminal.stdoutIsTTY && isatty(STDIN_FILENO) == 1
        var board = Dashboard(title: session.recording ? source.title.replacing(/:\d+/, with: ":[..]") : source.title, width: session.width,
                              unicode: session.terminal.utf8 || session.recording, color: session.colorEnabled, recording: session.recording)
        func look() throws -> MonitorSnapshot {
            do { return try source.snapshot() } catch { throw call.error(error.message, hint: error.hint) }
        }
        let clock = session.clock
        let start = clock.now()
        let first = try look()
        guard total != nil || interactive else {
            for line in board.render(first, rates: [first.uptime > 0 ? Double(first.requests) / first.uptime : 0]) { session.output.write(line + "\n") }
            return
        }
        var rates: [Double] = []
        // The rules that held at any look while watching, in the order they were first seen.
        var held: [String] = []
        func note(_ s: MonitorSnapshot) { for a in s.alerts where a.firing && !held.contains(a.rule) { held.append(a.rule) } }
        note(first)
        var last = first, lastTime = start, lastRequests: Int? = nil
        // The dashboard has a screen of its own (the alternate screen), left on every way out.
        var keys = interactive ? RawKeys() : nil
        var onOwnScreen = interactive
        if interactive { session.output.write("\u{1B}[?1049h\u{1B}[?25l") }
        func leaveScreen() {
            keys?.restore()
            if onOwnScreen { session.output.write("\u{1B}[?25h\u{1B}[?1049l") }
            onOwnScreen = false
        }
        defer { leaveScreen() }
        while true {
            let now = clock.now()
            let rate = lastRequests.map { Double(last.requests - $0) / max(1e-9, now - lastTime) }
                ?? (last.uptime > 0 ? Double(last.requests) / last.uptime : 0)
            rates.append(rate)
            if interactive {
                board.width = session.width
                // Lines past the window's width are cut (not wrapped), so the redraw stays in place.
                let lines = board.render(last, rates: rates, footer: "every \(Dashboard.duration(every)) · q or Ctrl-C leaves")
                session.output.write("\u{1B}[H" + lines.map { Dashboard.clip($0, board.width) + "\u{1B}[K" }.joined(separator: "\r\n") + "\u{1B}[J")
            } else {
                session.output.write(board.line(last, rate: rate, elapsed: now - start) + "\n")
            }
            if let total, now - start >= total - 1e-9 { break }
            let wait = min(every, (total.map { start + $0 - now }) ?? every)
            clock.sleep(wait) { session.interrupt.isSet || (keys?.pressedQuit() ?? false) }
            if keys?.quit == true { break }
            if session.interrupt.isSet {
                // In a script Ctrl-C stops the script; at the prompt it only leaves the dashboard.
                if !interactive { try session.interrupt.check() }
                session.interrupt.reset()
                break
            }
            lastRequests = last.requests
            lastTime = now
            do {
                last = try look()
            } catch {
                // The server went away: the last figures stay on the screen above the error.
                leaveScreen()
                for line in board.render(last, rates: rates) { session.output.write(line + "\n") }
                throw error
            }
            note(last)
        }
        leaveScreen()
        let final = try look()
        // The last dashboard stays on the screen (plain when it was a line per tick).
        board.width = session.width
        board.color = session.colorEnabled
        for line in board.render(final, rates: rates) { session.output.write(line + "\n") }
        note(final)
        if !interactive, !held.isEmpty {
            do {
                throw call.error("\(held.count == 1 ? "an alert" : "\(held.count) alerts") held while watching \(source.model): "
                                 + held.joined(separator: "; "),
                                 hint: "the figures are above; alert \(source.model) lists the rules", id: .alertFired)
            }
        }
    }

    /// The server and model a TARGET names.
    static func resolve(_ call: CommandCall, _ session: Session) throws -> MonitorSource {
        guard let e = call.expr("TARGET") else { throw call.error("watch needs a server, a served model or a URL", id: .missingArgument) }
        let wanted = call.expr("model")?.asName?.text
        let token = try call.string("token")
        if case .string(let url) = e.kind {
            guard let (host, port) = MonitorSource.parse(url: url) else {
                throw Diagnostic(.badArgument, .error, "'\(url)' is not a server's URL", file: call.file, range: e.range,
                                 hint: url.hasPrefix("https://") ? "watch reads plain http; watch the server from its own machine" : "give it as \"http://HOST:PORT\"")
            }
            var model = wanted
            if model == nil {
                let reply = try? LocalHTTPClient.send(host: host, port: port, method: "GET", path: "/v1/models",
                                                      headers: token.map { [("Authorization", "Bearer \($0)")] } ?? [], timeoutSeconds: 10)
                if let reply, reply.status == 200, let list = try? MonitorSnapshot.modelNames(reply.body), let m = list.first { model = m }
            }
            guard let model else {
                throw Diagnostic(.badArgument, .error, "cannot list the models of \(url)", file: call.file, range: e.range,
                                 hint: "is the server running? name the model: watch \"\(url)\" model=NAME")
            }
            return .remote(host: host, port: port, model: model, token: token)
        }
        guard let name = e.asName?.text else { throw call.error(at: "TARGET", "expected a server's name, a served model or a URL in quotes") }
        func pick(_ server: String, _ state: ServerState, url: String) throws -> MonitorSource {
            let names = state.store.names
            let model = wanted ?? names.first ?? ""
            guard names.contains(model) else {
                throw call.error(at: "model", "\(server) serves no model '\(model)'", hint: Suggest.didYouMean(model, in: names) ?? "it serves: " + names.joined(separator: ", "))
            }
            return .local(server: server, state: state, model: model, url: url)
        }
        if let server = session.server(named: name) { return try pick(name, server.state, url: server.url) }
        for (serverName, server) in session.runningServers where server.state.store.names.contains(name) {
            return .local(server: serverName, state: server.state, model: name, url: server.url)
        }
        let candidates = session.runningServers.map(\.name) + session.runningServers.flatMap { $0.server.state.store.names }
        throw Diagnostic(.unknownName, .error, "no running server or served model named '\(name)'", file: call.file, range: e.range,
                         hint: Suggest.didYouMean(name, in: candidates)
                            ?? (session.runningServers.isEmpty ? "serve a model first: serve MODEL port=0 as NAME" : "the servers: " + session.runningServers.map(\.name).joined(separator: ", ")))
    }
}

extension Diagnostic.ID {
    static let alertFired = Diagnostic.ID("alert-fired")
}

/// The terminal without line buffering or echo while the dashboard shows, so that q is read
/// at once; Ctrl-C still raises SIGINT.
struct RawKeys {
    var saved = termios()
    var active = false
    var quit = false

    init() {
        guard tcgetattr(STDIN_FILENO, &saved) == 0 else { return }
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 0
            cc[Int(VTIME)] = 0
        }
        active = tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0
    }

    /// Whether q was typed (other keys are read and dropped).
    mutating func pressedQuit() -> Bool {
        guard active else { return false }
        var byte: UInt8 = 0
        while read(STDIN_FILENO, &byte, 1) == 1 {
            if byte == UInt8(ascii: "q") || byte == UInt8(ascii: "Q") { quit = true }
        }
        return quit
    }

    mutating func restore() {
        guard active else { return }
        var s = saved
        tcsetattr(STDIN_FILENO, TCSANOW, &s)
        active = false
    }
}
