import Foundation
@testable import MLShell
import MLDiagnostics
import MLLanguage
import Testing

@Suite struct CommandTests {
    @Test func unknownVerbSuggests() {
        #expect(run("prnt 1") == """
            <input>:1:1: error: unknown command 'prnt'
             1 | prnt 1
               | ^~~~
            hint: did you mean 'print'?

            """)
        #expect(run("frobnicate") == """
            <input>:1:1: error: unknown command 'frobnicate'
             1 | frobnicate
               | ^~~~~~~~~~
            hint: type 'help' to see every command

            """)
    }

    @Test func argumentErrors() {
        #expect(run("sleep") == """
            <input>:1:6: error: 'sleep' needs DURATION: how long: 500ms, 2s, 1m
             1 | sleep
               |      ^
            hint: usage: sleep DURATION

            """)
        #expect(run("sleep \"2s\"") == """
            <input>:1:7: error: 'sleep' expects a duration such as 500ms, 2s or 1m for DURATION, got string "2s"
             1 | sleep "2s"
               |       ^~~~
            hint: usage: sleep DURATION

            """)
        #expect(run("history 5 6") == """
            <input>:1:11: error: 'history' takes no further argument here
             1 | history 5 6
               |           ^
            hint: usage: history [N]

            """)
        #expect(run("history 2.5") == """
            <input>:1:9: error: 'history' expects a whole number for N, got 2.5
             1 | history 2.5
               |         ^~~
            hint: usage: history [N]

            """)
        #expect(run("vars as x") == """
            <input>:1:6: error: 'vars' does not bind a result, so 'as' has no place here
             1 | vars as x
               |      ^~~~
            hint: usage: vars

            """)
        #expect(run("sleep 1ms secs=2") == """
            <input>:1:11: error: unknown option 'secs' for 'sleep'
             1 | sleep 1ms secs=2
               |           ^~~~
            hint: 'sleep' takes no key=value options; usage: sleep DURATION

            """)
    }

    @Test func setValidatesAndSuggests() {
        let (s, _) = recordingSession()
        #expect(run("set seed 7; set timer off; set maxrows 10; set color off; set maxwidth 100", in: s) == "")
        #expect(s.settings.seed == 7 && s.settings.maxrows == 10 && s.settings.maxwidth == 100)
        #expect(run("set", in: s) == "seed      7\nmaxrows   10\nmaxwidth  100\ncolor     off\ntimer     off\necho      off\ntable     box\n")
        #expect(run("set colr on") == """
            <input>:1:5: error: 'set' expects one of seed, maxrows, maxwidth, color, timer, echo, table for OPTION, got 'colr'
             1 | set colr on
               |     ^~~~
            hint: did you mean 'color'?

            """)
        #expect(run("set timer maybe") == """
            <input>:1:11: error: 'set timer' takes on or off, got "maybe"
             1 | set timer maybe
               |           ^~~~~

            """)
        #expect(run("set maxrows 0") == """
            <input>:1:13: error: 'set maxrows' takes a whole number ≥ 1, got 0
             1 | set maxrows 0
               |             ^

            """)
        #expect(run("set seed") == """
            <input>:1:5: error: 'set seed' needs a value: N
             1 | set seed
               |     ^~~~

            """)
    }

    @Test func timerAndEcho() {
        let (s, _) = recordingSession()
        let out = run("set timer on; print 1; set timer off; set echo on; print 2", in: s)
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines[0] == "1")
        #expect(LineDiff.lineMatches("time: [..]", lines[1]))
        #expect(lines[2] == "mlsh> print 2")
        #expect(lines[3] == "2")
    }

    @Test func varsListsBindings() {
        let (s, _) = recordingSession()
        #expect(run("vars", in: s) == "nothing is bound yet; 'as NAME' binds a result, e.g. 'print 2 + 3 as x'\n")
        _ = run("print 7 as lucky; print \"hi\" as greeting; print [1, 2, 3] as xs; print 0.5 as half", in: s)
        #expect(run("vars", in: s) == """
            name      kind     shape  value
            lucky     integer         7
            greeting  string          "hi"
            xs        list     3      [1, 2, 3]
            half      number          0.5

            """)
    }

    @Test func historyShowsEntries() {
        let (s, _) = recordingSession()
        s.history = ["load \"a.csv\"", "print 1\n+ 2", "help"]
        #expect(run("history", in: s) == "1  load \"a.csv\"\n2  print 1\n   + 2\n3  help\n")
        #expect(run("history 1", in: s) == "3  help\n")
    }

    @Test func quitStopsTheRest() {
        let (s, _) = recordingSession()
        #expect(run("print 1; quit 3; print 2", in: s) == "1\n")
        #expect(s.quitRequested == 3)
    }

    @Test func runAScriptAndRefuseRecursion() throws {
        let dir = NSTemporaryDirectory() + "mlsh-run-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "print 40 + 2 as answer\n".write(toFile: dir + "/a.mlsh", atomically: true, encoding: .utf8)
        try "print 1\nrun \"\(dir)/b.mlsh\"\n".write(toFile: dir + "/b.mlsh", atomically: true, encoding: .utf8)
        let (s, _) = recordingSession()
        #expect(run("run \"\(dir)/a.mlsh\"; print answer", in: s) == "42\n42\n")
        let out = run("run \"\(dir)/b.mlsh\"", in: s)
        #expect(out.hasPrefix("1\n\(dir)/b.mlsh:2:5: error: '\(dir)/b.mlsh' is already running ("))
        #expect(out.hasSuffix("a script cannot run itself\n 2 | run \"\(dir)/b.mlsh\"\n   |     ^\(String(repeating: "~", count: dir.count + 8))\nhint: remove the 'run' that leads back to this script\n"))
        #expect(unwrapped(run("run \"\(dir)/c.mlsh\"")) == """
            <input>:1:5: error: no such file: '\(dir)/c.mlsh'
             1 | run "\(dir)/c.mlsh"
               |     ^\(String(repeating: "~", count: dir.count + 8))
            hint: did you mean '\(dir)/a.mlsh' or '\(dir)/b.mlsh'?

            """)
        #expect(run("run \"\(dir)\"").contains("error: '\(dir)' is a directory, not a file"))
        try Data([0x70, 0x72, 0x69, 0x6E, 0x74, 0x20, 0xFF, 0x0A]).write(to: URL(fileURLWithPath: dir + "/bad.mlsh"))
        #expect(run("run \"\(dir)/bad.mlsh\"").contains("\(dir)/bad.mlsh:1:7: error: invalid UTF-8 byte 0xFF"))
    }

    @Test func sleepIsCancelledByInterrupt() {
        let (s, _) = recordingSession()
        s.interrupt = InterruptFlag()
        s.interrupt.set()
        let start = ContinuousClock.now
        let out = run("sleep 10s", in: s)
        #expect(out == "error: interrupted\n")
        #expect(ContinuousClock.now - start < .seconds(5))
    }
}
