import ArgumentParser
import MLDiagnostics
import MLShell
#if canImport(Glibc)
import Glibc
#endif

/// The command line: `mlsh`, `mlsh FILE [ARGS]`, `mlsh -c "CMD; CMD"`, `mlsh check FILE...`, `mlsh render FILE -o OUT`.
struct MlshCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mlsh",
        abstract: "An interactive shell for the machine-learning model lifecycle: load, clean, fit, save, serve, watch.",
        discussion: """
            With no arguments mlsh starts the interactive prompt (type 'help' there).
            A script runs top to bottom and stops at its first error.
            'mlsh check FILE...' compares scripts with their recorded output; 'mlsh render
            FILE -o report.html' writes a script as a report; 'mlsh serve FILE.mlsm' serves
            saved models (each has --help).

            exit status:
              0    success
              1    a command failed at run time, or 'mlsh check' found a difference
                   ('mlsh render' still writes the report, showing the error)
              64   the command line was wrong
              65   the script has a syntax error (nothing ran)
              66   the script file does not exist or cannot be read
              130  interrupted by Ctrl-C
            """,
        version: HelpFormatter.version,
        subcommands: [CheckCommand.self, RenderCommandLine.self])

    @Option(name: .customShort("c"), help: ArgumentHelp("Run these commands (separated by ';') and exit; -c again adds more, run in order.", valueName: "commands"))
    var commands: [String] = []

    @Argument(help: ArgumentHelp("A script to run; the words after it are its arguments (the list 'args').", valueName: "file"))
    var script: String?

    @Argument(parsing: .captureForPassthrough, help: .hidden)
    var scriptArguments: [String] = []

    func run() throws {
        let session = Session()
        session.scriptArguments = scriptArguments
        if !commands.isEmpty {
            if script != nil {
                throw ValidationError("give either -c COMMANDS or a script file, not both")
            }
            // Each -c in order, as one session; the first failure stops the rest, as in a script.
            var status = ShellExit.ok
            for text in commands where status == .ok && session.quitRequested == nil {
                status = Runner.run(SourceFile(name: "<command>", text: text), in: session)
            }
            try finish(session, status)
        }
        if let script {
            let status: ShellExit
            do {
                try Runner.runFile(script, in: session)
                status = .ok
            } catch let d as Diagnostic {
                session.report(d)
                status = d.id == .fileNotFound || d.id == .fileUnreadable ? .noInput
                    : d.id == .invalidUTF8 ? .syntaxError : .runtimeError
            } catch let r as ReportedError {
                status = r.exit
            }
            try finish(session, status)
        }
        let code = REPL(session: session).run()
        session.closeServers()
        if code != 0 { throw ExitCode(code) }
    }

    private func finish(_ session: Session, _ status: ShellExit) throws {
        // A script's servers end with it, drained.
        session.closeServers()
        if let code = session.quitRequested, status == .ok {
            throw ExitCode(code)
        }
        throw ExitCode(status.rawValue)
    }
}

/// `mlsh check FILE... [--update]`
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mlsh check",
        abstract: "Run scripts and compare each command's output with the '#>' lines after it.",
        discussion: """
            A '#> ...' line matches any number of lines, and '[..]' inside a line matches any text.
            Output is checked at 80 columns without colour. A Markdown file (.md) is checked
            through its ```mlsh blocks, run in order as one script. Exit status 1 when any file
            differs.
            """)

    @Flag(help: "Rewrite the '#>' lines with the actual output (atomically).")
    var update = false

    @Argument(help: ArgumentHelp("The scripts (or Markdown pages) to check.", valueName: "file"))
    var files: [String]

    func run() throws {
        let checker = TranscriptChecker()
        var failed = 0
        var missing = false
        for path in files {
            let text: String
            do {
                text = try TextDecoding.decode(try FileText.read(path), name: path)
            } catch {
                StandardOutput().writeError(DiagnosticRenderer(color: false).render(error))
                missing = true
                continue
            }
            let outcome = update ? checker.record(path: path, text: text) : checker.check(path: path, text: text)
            if update {
                if outcome.updatedText == nil {
                    failed += 1
                    print(outcome.report, terminator: "")
                } else if outcome.updatedText != text, let updated = outcome.updatedText {
                    do {
                        try FileText.writeAtomically(path, Array(updated.utf8))
                        print("updated: \(path) (\(outcome.failures) of \(plural(outcome.blocks, "block")) changed)")
                    } catch {
                        StandardOutput().writeError(DiagnosticRenderer(color: false).render(error))
                        failed += 1
                    }
                } else {
                    print("ok: \(path) (\(plural(outcome.blocks, "block")))")
                }
                continue
            }
            if outcome.passed {
                print("ok: \(path) (\(plural(outcome.blocks, "block")))")
            } else {
                failed += 1
                print(outcome.report, terminator: "")
                print("FAILED: \(path) (\(outcome.failures) of \(plural(outcome.blocks, "block")) differ; 'mlsh check --update' records the new output)")
            }
        }
        if missing { throw ExitCode(ShellExit.noInput.rawValue) }
        if failed > 0 { throw ExitCode(ShellExit.runtimeError.rawValue) }
    }
}
