import MLLanguage

/// The commands run at the prompt, in order, each marked as it went: failed, shown only (it
/// changed nothing), or part of the work; and the `#'` prose typed between them. `record` writes
/// it out as a script.
public struct SessionJournal: Sendable {
    public enum Entry: Sendable, Equatable {
        case command(String, Kind)
        case prose(String)
    }

    public enum Kind: Sendable, Equatable { case work, display, failed }

    /// Off until the REPL turns it on: scripts and `mlsh check` keep no journal.
    public var isOn = false
    public private(set) var entries: [Entry] = []
    /// The seed when the journal began, which the recorded script sets first.
    public private(set) var seed: UInt64 = 42

    public init() {}

    public mutating func start(seed: UInt64) {
        isOn = true
        self.seed = seed
    }

    /// Commands that act on the world rather than the session (files, servers, settings) are
    /// work even though they bind nothing; `plot … to FILE` writes a file.
    static let effects: Set<String> = ["save", "export", "write", "keygen", "serve", "stop", "alert", "set", "run", "load"]
    /// What is never recorded: the journal's own commands, help, and leaving.
    static let never: Set<String> = ["record", "step", "help", "history", "quit", "exit"]

    mutating func add(_ command: Command, changed: Bool = false, failed: Bool = false) {
        let verb = command.verb.text
        guard !Self.never.contains(verb) else { return }
        var text = command.sourceText
        // A key made again on replay would meet the one made the first time: it replaces it.
        if verb == "keygen", !command.arguments.contains(where: { if case .option(let n, _) = $0 { return n.text == "replace" }; return false }) {
            text += " replace=true"
        }
        let writesFile = verb == "plot" && command.arguments.contains { if case .positional(let e) = $0 { return e.asName?.text == "to" }; return false }
        let kind: Kind = failed ? .failed : (changed || Self.effects.contains(verb) || writesFile ? .work : .display)
        entries.append(.command(text, kind))
    }

    public mutating func prose(_ line: String) {
        guard isOn else { return }
        entries.append(.prose(line))
    }
}
