import MLDiagnostics
import MLLanguage
#if canImport(Glibc)
import Glibc
#endif

/// The one pipeline (parse → bind → run) behind the REPL, scripts, `-c`, `run` and `mlsh check`.
public enum Runner {
    /// Runs source text. Syntax errors are all reported and nothing runs; a runtime error stops the rest.
    @discardableResult
    public static func run(_ file: SourceFile, in session: Session) -> ShellExit {
        let script = Parser.parse(file)
        if !script.diagnostics.isEmpty {
            for d in script.diagnostics { session.report(d) }
            return .syntaxError
        }
        return run(script.commands, in: session)
    }

    /// Runs parsed commands in order, stopping at the first error or at `quit`.
    public static func run(_ commands: [Command], in session: Session) -> ShellExit {
        for command in commands {
            if session.quitRequested != nil { break }
            // At the prompt (not inside a script it runs), each command goes to the journal.
            let journaled = session.journal.isOn && session.runStack.isEmpty
            let before = journaled ? session.stateMark : []
            do {
                try execute(command, in: session)
                if journaled { session.journal.add(command, changed: session.stateMark != before) }
            } catch let d as Diagnostic {
                if journaled { session.journal.add(command, failed: true) }
                // The terminal echoed ^C on the current line; start the message on a line of its own.
                if d.id == .interrupted && session.terminal.stderrIsTTY { session.output.writeError("\n") }
                session.report(d)
                return d.id == .interrupted ? .interrupted : .runtimeError
            } catch let r as ReportedError {
                if journaled { session.journal.add(command, failed: true) }
                return r.exit
            } catch {
                if journaled { session.journal.add(command, failed: true) }
                session.report(Diagnostic(.internalError, .error, "\(error)", file: command.file, range: command.range))
                return .runtimeError
            }
        }
        return .ok
    }

    /// Finds the command's verb, binds its arguments and runs it.
    public static func execute(_ command: Command, in session: Session) throws {
        guard let type = session.registry.lookup(command.verb.text) else {
            throw unknownVerb(command, session: session)
        }
        let call = try ArgumentBinder(spec: type.spec, command: command, session: session).bind()
        if session.settings.echo {
            session.print(session.styled("mlsh> " + command.sourceText, "2"))
        }
        try session.interrupt.check()
        // Read before running, so that `set timer on` itself prints no time.
        let timing = session.settings.timer
        let start = ContinuousClock.now
        try type.run(call, in: session)
        if timing && session.settings.timer {
            let elapsed = ContinuousClock.now - start
            session.print(session.styled("time: " + formatElapsed(elapsed), "2"))
        }
    }

    static func unknownVerb(_ command: Command, session: Session) -> Diagnostic {
        let word = command.verb.text
        var hint = Suggest.didYouMean(word, in: session.registry.allNames) ?? "type 'help' to see every command"
        if session.variable(word) != nil {
            hint = "'\(word)' is a bound name, not a command; show it with 'print \(word)'"
        }
        return Diagnostic(.unknownCommand, .error, "unknown command '\(word)'", file: command.file, range: command.verb.range, hint: hint)
    }

    /// Reads, parses and runs a script file in the session (`run "FILE"`, `mlsh FILE`).
    public static func runFile(_ path: String, in session: Session, at place: (SourceFile, SourceRange)? = nil) throws {
        let bytes: [UInt8]
        do {
            bytes = try FileText.read(path)
        } catch let d {
            if let (file, range) = place {
                throw Diagnostic(d.id, .error, d.message, file: file, range: range, hint: d.hint)
            }
            throw d
        }
        let text = try TextDecoding.decode(bytes, name: path)
        let key = FileText.canonical(path)
        if session.runStack.contains(key) {
            let chain = (session.runStack + [key]).map { FileText.displayName($0) }.joined(separator: " → ")
            let message = "'\(path)' is already running (\(chain)); a script cannot run itself"
            if let (file, range) = place {
                throw Diagnostic(.recursiveRun, .error, message, file: file, range: range,
                                 hint: "remove the 'run' that leads back to this script")
            }
            throw Diagnostic(.recursiveRun, .error, message)
        }
        session.runStack.append(key)
        defer { session.runStack.removeLast() }
        let status = run(SourceFile(name: path, text: text), in: session)
        if status != .ok { throw ReportedError(status) }
    }

    public static func formatElapsed(_ d: Duration) -> String {
        let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        if seconds < 1e-3 { return String(format1: seconds * 1e6) + " µs" }
        if seconds < 1 { return String(format1: seconds * 1e3) + " ms" }
        return String(format2: seconds) + " s"
    }
}

extension String {
    init(format1 x: Double) { self = Value.formatNumber((x * 10).rounded() / 10) }
    init(format2 x: Double) { self = Value.formatNumber((x * 100).rounded() / 100) }
}

extension Diagnostic.ID {
    public static let internalError = Diagnostic.ID("internal-error")
    public static let recursiveRun = Diagnostic.ID("recursive-run")
}
