import Foundation
@testable import MLShell
import MLDiagnostics
import MLLanguage
import Testing

@Suite struct HelpTests {
    @Test func overviewSnapshot() throws {
        try assertSnapshot(run("help"), named: "help")
    }

    @Test(arguments: CommandRegistry.standard.commands.map { $0.spec.name })
    func commandHelpSnapshot(_ name: String) throws {
        try assertSnapshot(run("help \(name)"), named: "help-\(name)")
    }

    @Test func helpOfAnUnknownVerb() {
        #expect(run("help pirnt") == """
            <input>:1:6: error: no command named 'pirnt'
             1 | help pirnt
               |      ^~~~~
            hint: did you mean 'print'?

            """)
    }

    @Test func aliasesFindTheirCommand() {
        #expect(run("help exit") == run("help quit"))
    }

    /// Every example in every spec parses, binds and runs without an error. One at a time: the
    /// key examples share fixed paths under /tmp (keygen refuses to overwrite, and each case
    /// clears the earlier runs' keys), so two cases at once raced.
    @Test(.serialized, arguments: CommandRegistry.standard.commands.flatMap { c in c.spec.examples.map { (c.spec.name, $0.command) } })
    func examplesRun(_ verb: String, _ example: String) async throws {
        // Off Swift's cooperative pool: serve's examples wait for a server synchronously, as the
        // prompt does from its own thread (RunningServer.stop).
        try await offPool { try Self.runExample(verb, example) }
    }

    static func runExample(_ verb: String, _ example: String) throws {
        let dir = packageRoot
        _ = FileManager.default.changeCurrentDirectoryPath(dir)
        let (s, out) = recordingSession()
        s.interrupt = InterruptFlag()
        // Examples are what one types at the prompt, which keeps a journal (record).
        s.journal.start(seed: s.settings.seed)
        // keygen never overwrites a key: the keys an earlier run made go first.
        for f in (try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? [] where f.hasPrefix("mlsh-example-") {
            try? FileManager.default.removeItem(atPath: "/tmp/" + f)
        }
        // Examples may build on the ones before them in the same spec (bind, then use).
        let type = CommandRegistry.standard.lookup(verb)!
        for earlier in type.spec.examples.prefix(while: { $0.command != example }) {
            _ = run(earlier.command, in: s)
        }
        let status = Runner.run(SourceFile(name: "<example>", text: example), in: s)
        #expect(status == .ok || (verb == "quit" && s.quitRequested != nil), "\(example): \(out.text)")
        #expect(!out.text.contains("error:"), "\(example): \(out.text)")
    }

    /// docs/commands.md is the specs' help, generated; it must not drift.
    @Test func commandsReferenceIsCurrent() throws {
        let path = packageRoot + "/docs/commands.md"
        let generated = HelpFormatter.markdown(.standard)
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            try generated.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let current = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        #expect(current == generated, "docs/commands.md is out of date: RECORD_SNAPSHOTS=1 scripts/test regenerates it")
    }

    /// Every verb of docs/language.md's grammar is a real command (the docs name no verb that is not there yet).
    @Test func everyCommandHasAStageAndAbstract() {
        // commandHelpSnapshot and examplesRun take one case per command (or example), listed at load time.
        #expect(CommandRegistry.standard.commands.count >= 44)
        for c in CommandRegistry.standard.commands {
            #expect(!c.spec.abstract.isEmpty)
            #expect(!c.spec.abstract.hasSuffix("."))
            #expect(!c.spec.examples.isEmpty, "\(c.spec.name) has no example")
        }
        let names = CommandRegistry.standard.allNames
        #expect(Set(names).count == names.count, "two commands share a name")
    }
}
