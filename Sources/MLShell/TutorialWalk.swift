import MLDiagnostics
import MLLanguage

/// `step "FILE.mlsh"`: a tutorial walked one command at a time at the prompt. Each step shows the
/// prose before its command and puts the command on the edit line (the REPL asks `offer`); the
/// learner runs it as it is, edits it first, or skips it.
public final class TutorialWalk {
    struct Step {
        let prose: String
        let source: String
    }

    let path: String
    let steps: [Step]
    /// The prose after the last command (a summary, what comes next), shown at the end.
    var epilogue = ""
    private(set) var index = 0
    /// The current step's command is to go on the next edit line.
    var offered = false
    /// A `step` command ran on this line: it moved the walk itself.
    var moved = false

    init(path: String, steps: [Step]) {
        self.path = path
        self.steps = steps
    }

    /// The tutorial's steps: each command cell with the prose since the one before.
    static func read(path: String, text: String) -> (TutorialWalk?, [Diagnostic]) {
        let file = SourceFile(name: path, text: text)
        let script = Parser.parse(file)
        guard script.diagnostics.isEmpty else { return (nil, script.diagnostics) }
        var steps: [Step] = [], prose: [String] = []
        for item in ScriptCells.read(file, script.commands) {
            switch item {
            case .prose(let p): prose.append(p)
            case .code(let source, _, _):
                steps.append(Step(prose: prose.joined(separator: "\n\n"), source: source))
                prose = []
            }
        }
        let walk = TutorialWalk(path: path, steps: steps)
        walk.epilogue = prose.joined(separator: "\n\n")
        return (walk, [])
    }

    /// The command the edit line should hold next, once (nil when none is offered).
    public func takeOffer() -> String? {
        guard offered, index < steps.count else { return nil }
        offered = false
        // Comments above a command are for reading; the edit line gets the command alone.
        return steps[index].source.split(separator: "\n").filter { !$0.hasPrefix("#") }.joined(separator: "\n")
    }

    /// Shows the current step: its prose, where the learner is, and what to do.
    func present(_ session: Session) {
        let step = steps[index]
        Self.show(step.prose, session)
        for comment in step.source.split(separator: "\n") where comment.hasPrefix("#") { session.print(String(comment)) }
        session.print(session.styled("[\(index + 1)/\(steps.count)] Enter runs it; edit it first, or 'step skip', 'step stop'", "2"))
        offered = true
    }

    /// Prose as paragraphs re-flowed to the window (the file's own line breaks are for the file);
    /// headings, list items and indented lines keep their lines.
    static func show(_ prose: String, _ session: Session) {
        guard !prose.isEmpty else { return }
        var paragraph: [String] = []
        func flush() {
            if !paragraph.isEmpty { session.print(paragraph.joined(separator: " ")) }
            paragraph = []
        }
        for line in prose.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.isEmpty { flush(); session.print(); continue }
            if line.hasPrefix("#") || line.hasPrefix("- ") || line.hasPrefix("* ") || line.hasPrefix("    ") || line.first?.isNumber == true {
                flush()
                paragraph = [line]
                if line.hasPrefix("#") || line.hasPrefix("    ") { flush() }
                continue
            }
            paragraph.append(line.hasPrefix("  ") && !paragraph.isEmpty ? String(line.drop { $0 == " " }) : line)
        }
        flush()
    }

    /// After a line the learner ran (the offered command, as it was or edited): the next step.
    /// Returns false when the tutorial is over.
    @discardableResult
    func advance(_ session: Session) -> Bool {
        index += 1
        guard index < steps.count else {
            Self.show(epilogue, session)
            session.print("that was the last step of \(path): the tutorial is done")
            return false
        }
        present(session)
        return true
    }
}

extension Session {
    /// After each line at the prompt: a walk whose offered command was just run moves on.
    public func lineRan(wasOffered: Bool, blank: Bool, failed: Bool) {
        guard let walk else { return }
        defer { walk.moved = false }
        guard wasOffered, !walk.moved, !blank else { return }
        if failed {
            // The step's command failed: it is offered again, to fix or to skip.
            print(styled("[\(walk.index + 1)/\(walk.steps.count)] that failed: fix it and press Enter, or 'step skip'", "2"))
            walk.offered = true
            return
        }
        if !walk.advance(self) { self.walk = nil }
    }
}
