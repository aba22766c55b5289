import Foundation
@testable import MLShell
import Testing

@Suite struct TranscriptCheckerTests {
    let checker = TranscriptChecker()

    @Test func matchingTranscriptPasses() {
        let text = """
            #' Some prose.
            print 1 + 1
            #> 2
            print 1; print 2
            #> 1
            #> 2
            set seed 3
            print "a\\nb\\nc\\nd"
            #> a
            #> ...
            #> d
            set timer on
            print 5
            #> 5
            #> time: [..]
            """
        let outcome = checker.check(path: "t.mlsh", text: text)
        #expect(outcome.passed, "\(outcome.report)")
        #expect(outcome.blocks == 6)
        #expect(outcome.updatedText == text)  // elided lines survive --update
    }

    @Test func mismatchShowsADiffWithFileAndLine() {
        let text = "print 1\n#> 1\nprint 2 + 2\n#> 5\n#> extra\nprint 3\n"
        let outcome = checker.check(path: "t.mlsh", text: text)
        #expect(!outcome.passed)
        #expect(outcome.failures == 2)
        #expect(outcome.report == """
            --- t.mlsh:4 expected
            +++ actual
            @@ after t.mlsh:3: print 2 + 2 @@
            -5
            -extra
            +4
            --- t.mlsh:7 expected
            +++ actual
            @@ after t.mlsh:6: print 3 @@
            +3

            """)
        #expect(outcome.updatedText == "print 1\n#> 1\nprint 2 + 2\n#> 4\nprint 3\n#> 3\n")
    }

    @Test func errorsAreRecordedAsOutput() {
        let text = "prnt 1\nprint (1 +\n2)\nprint [3,\n"
        let outcome = checker.check(path: "e.mlsh", text: text)
        #expect(outcome.updatedText == """
            prnt 1
            #> e.mlsh:1:1: error: unknown command 'prnt'
            #>  1 | prnt 1
            #>    | ^~~~
            #> hint: did you mean 'print'?
            print (1 +
            2)
            #> 3
            print [3,
            #> e.mlsh:4:7: error: '[' is never closed
            #>  4 | print [3,
            #>    |       ^
            #> hint: add ']' to close it

            """)
    }

    @Test func orphanOutputLinesFail() {
        let outcome = checker.check(path: "o.mlsh", text: "#' prose\n#> stray\n")
        #expect(!outcome.passed)
        #expect(outcome.report.contains("@@ no command before these #> lines @@\n-stray"))
    }

    /// The tutorials and the transcript tests, checked in-process.
    @Test(arguments: transcriptFiles())
    func transcriptPasses(_ path: String) async throws {
        _ = FileManager.default.changeCurrentDirectoryPath(packageRoot)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        // Off Swift's pool: the serving tutorial waits for its server as the prompt does.
        let (passed, report, blocks) = try await offPool {
            let outcome = TranscriptChecker().check(path: String(path.dropFirst(packageRoot.count + 1)), text: text)
            return (outcome.passed, outcome.report, outcome.blocks)
        }
        #expect(passed, "\(report)")
        #expect(blocks > 0, "\(path) has no command to check")
    }

    /// transcriptPasses has one case per file, listed at load time: an unreadable or emptied
    /// folder would run no case at all, so it fails here.
    @Test func transcriptListIsComplete() throws {
        let tutorials = try transcriptFiles(in: "tutorials")
        let transcripts = try transcriptFiles(in: "Tests/Transcripts")
        #expect(tutorials.count >= 7, "\(tutorials)")
        #expect(transcripts.count >= 8, "\(transcripts)")
        #expect(transcriptFiles() == tutorials + transcripts)
    }
}

/// The .mlsh files of a folder under the package root, as full paths; throws when it cannot be read.
func transcriptFiles(in dir: String) throws -> [String] {
    let full = packageRoot + "/" + dir
    return try FileManager.default.contentsOfDirectory(atPath: full).filter { $0.hasSuffix(".mlsh") }.sorted().map { full + "/" + $0 }
}

/// The tutorials and transcript tests, for `@Test(arguments:)` (which cannot throw here): a folder
/// that cannot be read gives no files, and `transcriptListIsComplete` fails for it.
func transcriptFiles() -> [String] {
    ["tutorials", "Tests/Transcripts"].flatMap { (try? transcriptFiles(in: $0)) ?? [] }
}

/// The ```mlsh blocks of docs/*.md, run in order in one session and checked like transcripts,
/// so the reference cannot drift from what mlsh prints.
@Suite struct DocsExamplesTests {
    /// The docs/*.md names; throws when docs/ cannot be read.
    static func docNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: packageRoot + "/docs").filter { $0.hasSuffix(".md") }.sorted()
    }

    /// For `@Test(arguments:)`: no names when docs/ cannot be read, which `docsListIsComplete` fails.
    static func docs() -> [String] { (try? docNames()) ?? [] }

    /// examplesInDocsPass has one case per page, listed at load time: an unreadable or emptied
    /// docs/ would run no case at all, so it fails here; and most pages must have examples.
    @Test func docsListIsComplete() throws {
        let names = try Self.docNames()
        #expect(names.count >= 7, "\(names)")
        #expect(Self.docs() == names)
        let withExamples = try names.filter { try String(contentsOfFile: packageRoot + "/docs/" + $0, encoding: .utf8).contains("```mlsh") }
        #expect(withExamples.count >= 5, "\(withExamples)")
    }

    @Test(arguments: docs())
    func examplesInDocsPass(_ name: String) async throws {
        _ = FileManager.default.changeCurrentDirectoryPath(packageRoot)
        let text = try String(contentsOfFile: packageRoot + "/docs/" + name, encoding: .utf8)
        // Off Swift's pool: docs/serving.md serves, and waits for its server as the prompt does.
        let (passed, report, blocks) = try await offPool {
            let outcome = TranscriptChecker().check(path: "docs/" + name, text: text)
            return (outcome.passed, outcome.report, outcome.blocks)
        }
        #expect(blocks > 0 || !text.contains("```mlsh"))
        #expect(passed, "\(report)")
    }

    /// The README's tour is a checked transcript too, so its figures cannot drift from mlsh's.
    @Test func readmeTourPasses() async throws {
        _ = FileManager.default.changeCurrentDirectoryPath(packageRoot)
        let text = try String(contentsOfFile: packageRoot + "/README.md", encoding: .utf8)
        let outcome = try await offPool { TranscriptChecker().check(path: "README.md", text: text) }
        #expect(outcome.blocks >= 15, "\(outcome.blocks)")
        #expect(outcome.passed, "\(outcome.report)")
    }
}
