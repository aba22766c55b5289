import MLDiagnostics
import MLLanguage
import MLLineEdit
import MLShell
#if canImport(Glibc)
import Glibc
#endif

/// The interactive loop: read (with continuation lines), run, repeat. Errors and Ctrl-C never end it.
struct REPL {
    let session: Session

    func run() -> Int32 {
        let store = HistoryStore(path: HistoryStore.defaultPath())
        let completer = Completer(session: session)
        let editor: LineEditor?
        if isatty(STDIN_FILENO) != 0 {
            session.history = store.load()
            editor = LineEditor(program: "mlsh", history: session.history) { line, cursor in
                let c = completer.complete(line: line, cursor: cursor)
                return (c.start, c.candidates)
            }
        } else {
            editor = nil
        }
        if editor != nil {
            session.print("mlsh \(HelpFormatter.version): type 'help' for commands, Ctrl-D to leave")
        }
        let interactive = editor != nil
        // The prompt keeps a journal of what is done at it, for `record`.
        session.journal.start(seed: session.settings.seed)
        var pending = ""
        var offeredLine = false
        var firstLine = 1
        var status: ShellExit = .ok
        while session.quitRequested == nil {
            let prompt = pending.isEmpty ? session.prompt : Session.continuationPrompt
            let read: ReadResult
            // `step` offers its next command on the edit line.
            let offer = pending.isEmpty ? session.walk?.takeOffer() : nil
            if offer != nil { offeredLine = true }
            if let editor {
                session.interrupt.reset()
                read = editor.readLine(prompt: prompt, prefill: offer)
            } else {
                read = readPlainLine()
            }
            switch read {
            case .interrupted:
                pending = ""
                offeredLine = false
                session.print()
                continue
            case .eof:
                if interactive && !pending.isEmpty {
                    // Ctrl-D inside a continued command drops it, as Ctrl-C does.
                    pending = ""
                    session.print()
                    continue
                }
                if !pending.isEmpty {
                    status = Runner.run(SourceFile(name: "<stdin>", text: pending, firstLine: firstLine), in: session)
                }
                if interactive { session.print() }
                return session.quitRequested ?? (interactive ? 0 : status.rawValue)
            case .line(let line):
                pending += pending.isEmpty ? line : "\n" + line
            }
            let file = SourceFile(name: interactive ? "<input>" : "<stdin>", text: pending, firstLine: firstLine)
            let script = Parser.parse(file)
            if script.isIncomplete && !script.diagnostics.contains(where: { $0.id != .incompleteInput }) {
                continue  // an open bracket, quote or trailing '\': read another line
            }
            let entry = pending
            pending = ""
            if interactive {
                if !entry.allSatisfy({ $0 == " " || $0 == "\t" }) {
                    editor?.addHistory(entry)
                    store.append(entry)
                    session.history.append(entry)
                }
                firstLine = 1
            } else {
                firstLine = file.lastLine + 1
            }
            session.interrupt.reset()
            // #' lines are prose for the journal (the parser skips them as comments).
            for line in entry.split(separator: "\n") where line.hasPrefix("#'") { session.journal.prose(String(line)) }
            if !script.diagnostics.isEmpty {
                for d in script.diagnostics { session.report(d) }
                if !interactive { return ShellExit.syntaxError.rawValue }
                continue
            }
            status = Runner.run(script.commands, in: session)
            session.lineRan(wasOffered: offeredLine, blank: script.commands.isEmpty, failed: status != .ok)
            offeredLine = false
            if status == .interrupted && interactive {
                continue
            }
            if status != .ok && !interactive {
                return status.rawValue  // piped input stops at its first error, as a script does
            }
        }
        return session.quitRequested ?? 0
    }

    /// A line from a pipe or file; invalid UTF-8 is replaced (the parser then reports it).
    private func readPlainLine() -> ReadResult {
        var bytes: [UInt8] = []
        while true {
            let c = getchar()
            if c == EOF {
                return bytes.isEmpty ? .eof : .line(decode(bytes))
            }
            if c == 10 { return .line(decode(bytes)) }
            bytes.append(UInt8(c))
        }
    }

    private func decode(_ bytes: [UInt8]) -> String {
        var b = bytes
        if b.last == 13 { b.removeLast() }
        return String(decoding: b, as: UTF8.self)
    }
}
