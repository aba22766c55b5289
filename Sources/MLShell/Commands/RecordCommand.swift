import Foundation
import MLDiagnostics

/// `record "FILE.mlsh" [all=true] [replace=true]`
struct RecordCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "record", stage: .session,
        abstract: "Write the session so far as a script: the commands that did the work, in order, with the seed",
        discussion: """
            The script starts with the seed the session began with, then every command typed at \
            the prompt that changed something (bound a name, changed a dataset, wrote a file, \
            started a server, set a setting), in order, with the #' prose lines typed between \
            them. Commands that only showed something, and commands that failed, are left out \
            unless all=true (failed ones then stay as comments). 'mlsh FILE' runs the result to \
            the same state, and 'mlsh check --update FILE' records its output. An existing file \
            is kept unless replace=true; the file is written atomically.
            """,
        parameters: [Parameter("FILE", .string, "the script to write, e.g. \"session.mlsh\"")],
        options: [
            OptionSpec("all", .word(["true", "false"]), "keep the commands that only showed something, and the failed ones as comments", default: "false"),
            OptionSpec("replace", .word(["true", "false"]), "write over an existing file", default: "false"),
        ],
        examples: [Example("record \"/tmp/mlsh-example-session.mlsh\" replace=true")])

    static func run(_ call: CommandCall, in session: Session) throws {
        guard session.journal.isOn else {
            throw call.error("record writes what was typed at the prompt; a script is already its own record",
                             hint: "run it at the prompt: mlsh, then the commands, then record \"FILE.mlsh\"")
        }
        let path = try call.string("FILE")!
        guard path.lowercased().hasSuffix(".mlsh") else { throw call.error(at: "FILE", "a script's name ends in .mlsh", hint: "e.g. record \"session.mlsh\"") }
        let all = call.word("all") == "true", replace = call.word("replace") == "true"
        if FileManager.default.fileExists(atPath: path) && !replace {
            throw call.error(at: "FILE", "\(path) exists; record does not write over a file", hint: "give another name, or replace=true")
        }
        let (text, kept, shown, failed) = script(session.journal, all: all)
        do {
            try FileText.writeAtomically(path, Array(text.utf8))
        } catch let d {
            throw call.error(at: "FILE", d.message, hint: d.hint)
        }
        var line = "recorded \(plural(kept, "command")) to \(path)"
        let left = [shown > 0 ? "\(shown) that only showed something" : nil, failed > 0 ? "\(failed) failed" : nil].compactMap { $0 }
        if !left.isEmpty { line += all ? " (with \(left.joined(separator: " and ")))" : "; left out \(left.joined(separator: " and ")) (all=true keeps them)" }
        session.print(line)
    }

    /// The journal as a script; how many commands went in, and how many only showed or failed.
    static func script(_ journal: SessionJournal, all: Bool) -> (String, Int, Int, Int) {
        var lines = ["#!/usr/bin/env mlsh", "#' Recorded at the mlsh prompt (mlsh \(HelpFormatter.version)).", "set seed \(journal.seed)"]
        var kept = 0, shown = 0, failed = 0
        for entry in journal.entries {
            switch entry {
            case .prose(let p): lines.append(p)
            case .command(let text, .work):
                lines.append(text)
                kept += 1
            case .command(let text, .display):
                shown += 1
                if all { lines.append(text); kept += 1 }
            case .command(let text, .failed):
                failed += 1
                if all { lines += text.split(separator: "\n", omittingEmptySubsequences: false).map { "# failed: " + $0 } }
            }
        }
        return (lines.joined(separator: "\n") + "\n", kept, shown, failed)
    }
}
