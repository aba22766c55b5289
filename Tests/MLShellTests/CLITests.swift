import Foundation
import Testing

/// The mlsh binary as a user runs it: flags, scripts, exit codes, piped input.
@Suite struct CLITests {
    func tempDir() throws -> String {
        let dir = NSTemporaryDirectory() + "mlsh-cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A transcript saved with Windows line ends is checked and recorded like any other.
    @Test func checkReadsWindowsLineEnds() throws {
        let path = NSTemporaryDirectory() + "mlsh-crlf-\(UUID().uuidString).mlsh"
        try "print 1\r\n#> 1\r\nprint 2\r\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = try runMlsh(["check", path])
        #expect(first.status == 1 && first.stdout.contains("1 of 2 blocks differ"))
        #expect(try runMlsh(["check", "--update", path]).status == 0)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "print 1\n#> 1\nprint 2\n#> 2\n")
        #expect(try runMlsh(["check", path]).status == 0)
    }

    /// --update does not record a file whose unclosed string would take in the rest of it.
    @Test func updateRefusesAnUnclosedString() throws {
        let path = NSTemporaryDirectory() + "mlsh-unclosed-\(UUID().uuidString).mlsh"
        let text = "print \"abc\nprint 6\n#> 6\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try runMlsh(["check", "--update", path])
        #expect(r.status == 1 && r.stdout.contains("not recorded: \(path) does not parse to its end"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
    }

    /// A pipe cannot be rewound after the first bytes are looked at: they must not be lost,
    /// and gzip through a pipe is inflated.
    @Test func loadFromAPipe() throws {
        let plain = try runMlsh(["-c", "load \"/dev/stdin\" as p; schema p"], stdin: "ab,cd\n1,2\n3,4\n")
        #expect(plain.status == 0)
        #expect(plain.stdout.contains("loaded p: 2 rows × 2 columns from /dev/stdin (14 B)"))
        #expect(plain.stdout.contains("types={ab: int, cd: int}"))
    }

    @Test func dashC() throws {
        let r = try runMlsh(["-c", "print 2 + 3 * 4; print \"ok\""])
        #expect(r.status == 0)
        #expect(r.stdout == "14\nok\n")
        #expect(r.stderr == "")
    }

    @Test func versionAndHelp() throws {
        let v = try runMlsh(["--version"])
        #expect(v.status == 0 && v.stdout == "0.1.0\n")
        let h = try runMlsh(["--help"])
        #expect(h.status == 0)
        #expect(h.stdout.contains("USAGE: mlsh"))
        #expect(h.stdout.contains("65   the script has a syntax error (nothing ran)"))
        let bad = try runMlsh(["--frobnicate"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("Unknown option '--frobnicate'"))
    }

    @Test func exitCodesForEachClassOfError() throws {
        let dir = try tempDir()
        try "print 1\nprint 2 +\nprint )\n".write(toFile: dir + "/syntax.mlsh", atomically: true, encoding: .utf8)
        try "print 1\nprint nope\nprint 3\n".write(toFile: dir + "/runtime.mlsh", atomically: true, encoding: .utf8)
        try "".write(toFile: dir + "/empty.mlsh", atomically: true, encoding: .utf8)
        try "print 1\nquit 7\nprint 2\n".write(toFile: dir + "/quit.mlsh", atomically: true, encoding: .utf8)

        let syntax = try runMlsh([dir + "/syntax.mlsh"])
        #expect(syntax.status == 65)
        #expect(syntax.stdout == "")  // nothing ran
        #expect(syntax.stderr.components(separatedBy: "error:").count == 3)  // both errors, one run

        let runtime = try runMlsh([dir + "/runtime.mlsh"])
        #expect(runtime.status == 1)
        #expect(runtime.stdout == "1\n")  // stopped at the first error
        #expect(runtime.stderr == """
            \(dir)/runtime.mlsh:2:7: error: unknown name 'nope'
             2 | print nope
               |       ^~~~
            hint: bind a value first, e.g. 'print 1 as nope'; 'vars' lists what is bound

            """)

        let missing = try runMlsh([dir + "/nothere.mlsh"])
        #expect(missing.status == 66)
        #expect(missing.stderr == "error: no such file: '\(dir)/nothere.mlsh'\nhint: check the path; it is read relative to \(packageRoot)\n")

        let empty = try runMlsh([dir + "/empty.mlsh"])
        #expect(empty.status == 0 && empty.stdout == "" && empty.stderr == "")

        let quit = try runMlsh([dir + "/quit.mlsh"])
        #expect(quit.status == 7 && quit.stdout == "1\n")

        let dashC = try runMlsh(["-c", "print )"])
        #expect(dashC.status == 65)
        #expect(dashC.stderr.hasPrefix("<command>:1:7: error: expected a value, found ')'"))
    }

    @Test func shebangScriptWithArguments() throws {
        let dir = try tempDir()
        let path = dir + "/hello.mlsh"
        try "#!/usr/bin/env mlsh\nprint \"hello \" + args[0]\n".write(toFile: path, atomically: true, encoding: .utf8)
        // args is a list; indexing is not in the language, so print the whole list instead.
        try "#!/usr/bin/env mlsh\nprint args\nprint len(args)\n".write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        let binDir = URL(fileURLWithPath: mlshBinary).deletingLastPathComponent().path
        // A child that another test forks while the script is being written inherits its open
        // file for a moment, and exec then fails with "Text file busy": try again after it.
        var r = try runShell(path + " one --two", env: ["PATH": binDir + ":/usr/bin:/bin"])
        for _ in 0..<20 where r.status == 126 && r.stderr.contains("Text file busy") {
            Thread.sleep(forTimeInterval: 0.1)
            r = try runShell(path + " one --two", env: ["PATH": binDir + ":/usr/bin:/bin"])
        }
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "[\"one\", \"--two\"]\n2\n")
    }

    /// `scripts/mlsh --install DIR` links the binary into DIR; with DIR on the PATH, a
    /// `#!/usr/bin/env mlsh` script runs (MLSH_BINARY stands in for the release build).
    @Test func installPutsMlshOnThePath() throws {
        let dir = try tempDir()
        let bin = dir + "/bin"
        let install = try runShell("'\(packageRoot)/scripts/mlsh' --install '\(bin)'", env: ["MLSH_BINARY": mlshBinary, "PATH": "/usr/bin:/bin", "HOME": dir])
        #expect(install.status == 0, "\(install.stdout)\(install.stderr)")
        #expect(install.stdout.hasPrefix("mlsh: linked \(bin)/mlsh → \(mlshBinary)\nmlsh: \(bin) is not on your PATH yet: add  export PATH=\"\(bin):$PATH\"  to your shell's profile\n"), "\(install.stdout)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: bin + "/mlsh") == mlshBinary)
        let script = dir + "/hi.mlsh"
        try "#!/usr/bin/env mlsh\nprint 6 * 7\n".write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        var r = try runShell(script, env: ["PATH": bin + ":/usr/bin:/bin"])
        for _ in 0..<20 where r.status == 126 && r.stderr.contains("Text file busy") {
            Thread.sleep(forTimeInterval: 0.1)
            r = try runShell(script, env: ["PATH": bin + ":/usr/bin:/bin"])
        }
        #expect(r.status == 0 && r.stdout == "42\n", "\(r.stdout)\(r.stderr)")
        // Installing again replaces the link; with the folder on the PATH it says so.
        let again = try runShell("'\(packageRoot)/scripts/mlsh' --install '\(bin)'", env: ["MLSH_BINARY": mlshBinary, "PATH": bin + ":/usr/bin:/bin", "HOME": dir])
        #expect(again.status == 0 && again.stdout.contains("mlsh: \(bin) is on your PATH"), "\(again.stdout)\(again.stderr)")
    }

    /// `-c` given more than once runs each, in order, in one session; the first failure stops the rest.
    @Test func dashCTwice() throws {
        let r = try runMlsh(["-c", "print 1", "-c", "print 2 as x", "-c", "print x + 1"])
        #expect(r.status == 0 && r.stdout == "1\n2\n3\n", "\(r.stdout)\(r.stderr)")
        let bad = try runMlsh(["-c", "print 1", "-c", "print nope", "-c", "print 3"])
        #expect(bad.status == 1 && bad.stdout == "1\n", "\(bad.stdout)")
    }

    @Test func pipedInputRunsWithoutPrompt() throws {
        let r = try runMlsh([], stdin: "print 1\nprint [2,\n3]\nprint 4")
        #expect(r.status == 0)
        #expect(r.stdout == "1\n[2, 3]\n4\n")
        let bad = try runMlsh([], stdin: "print 1\nprint nope\nprint 3\n")
        #expect(bad.status == 1)
        #expect(bad.stdout == "1\n")
        #expect(bad.stderr.hasPrefix("<stdin>:2:7: error: unknown name 'nope'"))
        // Really invalid UTF-8 (0xFF and 0xFE never occur in it): each bad byte reads as U+FFFD.
        let invalidBytes = Data(Array("print \"a".utf8) + [0xFF, 0xFE] + Array("\"\n".utf8))
        #expect(!String(decoding: invalidBytes, as: UTF8.self).utf8.elementsEqual(invalidBytes))  // decoding had to repair it
        let invalid = try runMlsh([], stdinBytes: invalidBytes)
        #expect(invalid.status == 0)
        #expect(invalid.stdout == "a\u{FFFD}\u{FFFD}\n")
        #expect(invalid.stderr == "")
    }

    @Test func checkThroughTheBinary() throws {
        let dir = try tempDir()
        try "print 1 + 1\n#> 2\n".write(toFile: dir + "/ok.mlsh", atomically: true, encoding: .utf8)
        try "print 1 + 1\n#> 3\n".write(toFile: dir + "/bad.mlsh", atomically: true, encoding: .utf8)
        let ok = try runMlsh(["check", dir + "/ok.mlsh"])
        #expect(ok.status == 0 && ok.stdout == "ok: \(dir)/ok.mlsh (1 block)\n")
        let bad = try runMlsh(["check", dir + "/bad.mlsh"])
        #expect(bad.status == 1)
        #expect(bad.stdout == """
            --- \(dir)/bad.mlsh:2 expected
            +++ actual
            @@ after \(dir)/bad.mlsh:1: print 1 + 1 @@
            -3
            +2
            FAILED: \(dir)/bad.mlsh (1 of 1 block differ; 'mlsh check --update' records the new output)

            """)
        let update = try runMlsh(["check", "--update", dir + "/bad.mlsh"])
        #expect(update.status == 0)
        #expect(try String(contentsOfFile: dir + "/bad.mlsh", encoding: .utf8) == "print 1 + 1\n#> 2\n")
        #expect(try runMlsh(["check", dir + "/bad.mlsh"]).status == 0)
        let none = try runMlsh(["check", dir + "/none.mlsh"])
        #expect(none.status == 66)
    }

    /// The README's tour through the binary as a user would check it: `mlsh check README.md`
    /// runs its ```mlsh block and compares every recorded line.
    @Test func readmeTourChecksThroughTheBinary() throws {
        let r = try runMlsh(["check", "README.md"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.hasPrefix("ok: README.md (22 blocks)"), "\(r.stdout)")
    }

    /// A Markdown page is checked through its ```mlsh blocks (the docs say their examples are
    /// transcripts), and --update rewrites only the `#>` lines inside them, at the block's indent.
    @Test func checkReadsMarkdownPages() throws {
        let dir = try tempDir()
        let page = """
            # A page

            Prose with `print 7` in it, and a shell block that is not mlsh:

            ```sh
            print 5
            ```

            1. a step in a list:

               ```mlsh
               print 1 + 1
               #> 3
               ```

            ```mlsh
            prnt 2
            ```

            """
        try page.write(toFile: dir + "/page.md", atomically: true, encoding: .utf8)
        let failed = try runMlsh(["check", dir + "/page.md"])
        #expect(failed.status == 1)
        #expect(failed.stdout.hasSuffix("FAILED: \(dir)/page.md (2 of 2 blocks differ; 'mlsh check --update' records the new output)\n"), "\(failed.stdout)")
        let update = try runMlsh(["check", "--update", dir + "/page.md"])
        #expect(update.status == 0, "\(update.stdout)\(update.stderr)")
        let updated = try String(contentsOfFile: dir + "/page.md", encoding: .utf8)
        #expect(updated == page
            .replacingOccurrences(of: "   #> 3\n", with: "   #> 2\n")
            .replacingOccurrences(of: "prnt 2\n", with: """
                prnt 2
                #> \(dir)/page.md:17:1: error: unknown command 'prnt'
                #>  17 | prnt 2
                #>     | ^~~~
                #> hint: did you mean 'print'?

                """))
        let again = try runMlsh(["check", dir + "/page.md"])
        #expect(again.stdout == "ok: \(dir)/page.md (2 blocks)\n", "\(again.stdout)")
        // The docs themselves, as a user would check one.
        let docs = try runMlsh(["check", "docs/prep.md"])
        #expect(docs.status == 0 && docs.stdout.hasPrefix("ok: docs/prep.md ("), "\(docs.stdout)")
    }

    @Test func tutorialsPassThroughTheBinary() throws {
        let files = try (transcriptFiles(in: "tutorials") + transcriptFiles(in: "Tests/Transcripts")).map { String($0.dropFirst(packageRoot.count + 1)) }
        #expect(files.count >= 14, "\(files)")
        let r = try runMlsh(["check"] + files)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    }

    /// Each tutorial also runs as the README says (a script, which stops at its first error): a
    /// tutorial shows no error it cannot run past.
    @Test func tutorialsRunAsScripts() throws {
        let files = try transcriptFiles(in: "tutorials").map { String($0.dropFirst(packageRoot.count + 1)) }
        #expect(files.count >= 6)
        for file in files {
            let r = try runMlsh([file])
            #expect(r.status == 0, "\(file): \(r.stderr)")
        }
    }
}

func runShell(_ command: String, env: [String: String]) throws -> ProcessResult {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/sh")
    p.arguments = ["-c", command]
    var e = ProcessInfo.processInfo.environment
    for (k, v) in env { e[k] = v }
    e["MLSH_HISTORY"] = NSTemporaryDirectory() + "mlsh-test-history"
    p.environment = e
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let r = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return ProcessResult(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: r, as: UTF8.self))
}
