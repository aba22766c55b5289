import Crypto
import Foundation
import MLDiagnostics
import MLLanguage
@testable import MLShell
import Testing

/// `record` and `step` at a real prompt (a pseudo-terminal): the tutorials' commands typed one by
/// one and recorded, the recorded script run again to the same datasets and models; a tutorial
/// stepped through with Enter, an edited line, a skip and a stop.
@Suite(.serialized) struct NotebookPTYTests {
    var environment: [String: String] {
        ["TERM": "xterm", "LANG": "C.UTF-8", "HOME": NSTemporaryDirectory(), "NO_COLOR": "1", "PATH": "/usr/bin:/bin",
         "MLSH_HISTORY": NSTemporaryDirectory() + "mlsh-notebook-history-\(getpid())"]
    }

    /// What a session holds, as numbers to compare: each dataset's rows and a digest of its cells,
    /// each model's metrics.
    static func state(_ s: Session) -> [String: String] {
        var out: [String: String] = [:]
        for name in s.datasetNames {
            let f = s.dataset(named: name)!.frame
            var hash = SHA256()
            for c in f.columns {
                hash.update(data: Data(c.name.utf8))
                for r in 0..<f.rowCount { hash.update(data: Data((c.text(r) ?? "\u{0}").utf8)) }
            }
            out["dataset " + name] = "\(f.rowCount) rows, " + hash.finalize().map { String(format: "%02x", $0) }.joined()
        }
        for name in s.modelNames {
            out["model " + name] = s.model(named: name)!.metrics.map { "\($0.name)=\($0.value)" }.joined(separator: " ")
        }
        return out
    }

    static func replay(file path: String) throws -> Session {
        let (s, out) = recordingSession()
        let status = Runner.run(SourceFile(name: path, text: try String(contentsOfFile: path, encoding: .utf8)), in: s)
        #expect(status == .ok, "\(path): \(out.text.suffix(2000))")
        s.closeServers()
        return s
    }

    /// Waits until the terminal shows the prompt again after `from` (its last line is the prompt,
    /// `mlsh> ` or `mlsh [DATASET]> `: the command is done), then lets the editor settle.
    static func waitForIdle(_ t: PseudoTerminal, from: String.Index, timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            t.settle()
            let lines = t.lines(after: from)
            if lines.count >= 2, let last = lines.last, last.hasPrefix("mlsh"), last.hasSuffix("> ") { return true }
        }
        return false
    }

    @Test(arguments: ["01-first-look", "02-cleaning", "03-first-model", "04-choosing", "05-saving"])
    func recordReproducesATutorial(_ name: String) throws {
        _ = FileManager.default.changeCurrentDirectoryPath(packageRoot)
        let tutorial = "tutorials/\(name).mlsh"
        let text = try String(contentsOfFile: tutorial, encoding: .utf8)
        let file = SourceFile(name: tutorial, text: text)
        let commands = ScriptCells.read(file, Parser.parse(file).commands).compactMap { item -> String? in
            guard case .code(let source, _, _) = item else { return nil }
            return source.split(separator: "\n").filter { !$0.hasPrefix("#") }.joined(separator: "\n")
        }
        let recorded = NSTemporaryDirectory() + "mlsh-recorded-\(name)-\(getpid()).mlsh"
        try? FileManager.default.removeItem(atPath: recorded)
        let t = try PseudoTerminal(environment: environment)
        #expect(t.waitFor("mlsh> "), "no prompt: \(t.screen)")
        t.settle()
        t.send("#' Typed at the prompt.\r")
        t.settle()
        for command in commands {
            var m = t.mark
            let lines = command.split(separator: "\n", omittingEmptySubsequences: false)
            for (k, line) in lines.enumerated() {
                t.send(line + "\r")
                if k < lines.count - 1 { #expect(t.waitFor("...> ", after: m), "\(t.screen.suffix(500))"); t.settle(); m = t.mark }
            }
            #expect(Self.waitForIdle(t, from: m, timeout: 60), "\(command): \(t.screen.suffix(1000))")
        }
        // Something that only shows, and something that fails: both left out.
        t.send("describe\r")
        t.settle()
        var m = t.mark
        t.send("fit linar y ~ x on nothing\r")
        #expect(t.waitFor("unknown algorithm", after: m))
        #expect(Self.waitForIdle(t, from: m, timeout: 10))
        m = t.mark
        t.send("record \"\(recorded)\"\r")
        #expect(t.waitFor("recorded ", after: m))
        #expect(Self.waitForIdle(t, from: m, timeout: 10), "\(t.screen.suffix(800))")
        let said = t.lines(after: m).joined(separator: " ")
        #expect(said.contains("recorded ") && said.contains("1 failed (all=true keeps them)"), "\(said)")
        t.send("\u{04}")
        #expect(t.exitStatus() == 0)

        let script = try String(contentsOfFile: recorded, encoding: .utf8)
        #expect(script.hasPrefix("#!/usr/bin/env mlsh\n#' Recorded at the mlsh prompt (mlsh \(HelpFormatter.version)).\nset seed 42\n#' Typed at the prompt.\n"))
        #expect(!script.contains("linar") && !script.contains("\ndescribe\n"))
        let original = try Self.replay(file: tutorial), replayed = try Self.replay(file: recorded)
        let want = Self.state(original), got = Self.state(replayed)
        #expect(got.count == want.count, "\(got.keys.sorted()) vs \(want.keys.sorted())")
        for (key, value) in want { #expect(got[key] == value, "\(name): \(key)") }
        // The recorded script takes its output as a transcript does (but for a fresh key, which
        // keygen makes anew on every run: its fingerprint cannot repeat).
        guard !script.contains("keygen") else { return }
        let checker = TranscriptChecker()
        let updated = try #require(checker.record(path: recorded, text: script).updatedText)
        #expect(checker.check(path: recorded, text: updated).passed)
    }

    @Test func stepThroughATutorial() throws {
        _ = FileManager.default.changeCurrentDirectoryPath(packageRoot)
        let t = try PseudoTerminal(environment: environment)
        #expect(t.waitFor("mlsh> "))
        t.settle()
        var m = t.mark
        t.send("step \"tutorials/00-hello.mlsh\"\r")
        #expect(t.waitForPrompt(after: "[1/22] Enter runs it", from: m), "\(t.screen)")
        // The first command waits on the edit line: Enter runs it as it is.
        #expect(t.screen[m...].contains("print 2 + 3 * 4"), "\(t.screen)")
        m = t.mark
        t.send("\r")
        #expect(t.waitForPrompt(after: "[2/22]", from: m), "\(t.screen)")
        #expect(t.lines(after: m).contains("14"), "\(t.lines(after: m))")
        // The second, edited first: Ctrl-U clears the line, and what is typed runs instead.
        m = t.mark
        t.send("\u{15}")
        t.settle()
        t.send("print 6 * 7\r")
        #expect(t.waitForPrompt(after: "[3/22]", from: m), "\(t.screen)")
        #expect(t.lines(after: m).contains("42"), "\(t.lines(after: m))")
        // Skipped, then left: the prompt comes back empty.
        m = t.mark
        t.send("\u{15}")
        t.settle()
        t.send("step skip\r")
        #expect(t.waitForPrompt(after: "[4/22]", from: m), "\(t.screen)")
        m = t.mark
        t.send("\u{15}")
        t.settle()
        t.send("step stop\r")
        #expect(t.waitForPrompt(after: "left tutorials/00-hello.mlsh at step 4 of 22", from: m), "\(t.screen)")
        m = t.mark
        t.send("print 1 + 1\r")
        #expect(t.waitFor("2\r\n", after: m), "\(t.screen)")
        #expect(Self.waitForIdle(t, from: m, timeout: 10))
        t.send("\u{04}")
        #expect(t.exitStatus() == 0)
    }

    /// In a script, both say what they are for.
    @Test func scriptsSayItIsForThePrompt() {
        let out = run("""
            record "/tmp/x.mlsh"
            """)
        #expect(out.contains("error: record writes what was typed at the prompt; a script is already its own record"), "\(out)")
        let step = run("step \"tutorials/00-hello.mlsh\"")
        #expect(step.contains("error: step walks through a tutorial at the prompt; a script runs straight through"), "\(step)")
    }
}
