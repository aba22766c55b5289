import MLDiagnostics
import MLLanguage

/// `mlsh check`: runs a script and compares each command's output with the `#>` lines after it.
public struct TranscriptChecker {
    public struct Outcome: Sendable {
        public let path: String
        /// Blocks whose output differs.
        public let failures: Int
        public let blocks: Int
        /// Diffs, or the reason the file could not be checked.
        public let report: String
        /// The file with its `#>` lines rewritten (with `--update`).
        public let updatedText: String?
        public var passed: Bool { failures == 0 }
    }

    let registry: CommandRegistry

    public init(registry: CommandRegistry = .standard) { self.registry = registry }

    /// One command line (or several on the same line) and the `#>` lines recorded after it.
    struct Block {
        let line: Int               // the line its source ends on; output goes after it
        var commands: [Command] = []
        var diagnostics: [Diagnostic] = []
        var expected: [String] = []
        var expectedFirstLine: Int  // where the `#>` lines start (or would start)
    }

    public func check(path: String, text original: String) -> Outcome {
        // Windows line ends: in Swift "\r\n" is one Character, so lines would not split on "\n".
        // The transcript is read (and rewritten by --update) with "\n" alone.
        let unix = original.utf8.contains(13) ? String(decoding: original.utf8.filter { $0 != 13 }, as: UTF8.self) : original
        // A Markdown page is checked through its ```mlsh blocks, line for line (MarkdownTranscript).
        let markdown = MarkdownTranscript.isMarkdown(path) ? MarkdownTranscript(unix) : nil
        let text = markdown?.script ?? unix
        let file = SourceFile(name: path, text: text)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) }
        let isOutput = lines.map { $0.hasPrefix("#>") }
        let script = Parser.parse(file)

        var blocks: [Int: Block] = [:]
        func block(at line: Int) -> Block {
            blocks[line] ?? Block(line: line, expectedFirstLine: line + 1)
        }
        for c in script.commands {
            let end = file.location(of: max(c.range.start, c.range.end - 1)).line
            var b = block(at: end)
            b.commands.append(c)
            blocks[end] = b
        }
        for d in script.diagnostics {
            let line = d.location?.line ?? 1
            // An incomplete command reports at its opening bracket; its output goes after the file's last line.
            let at = d.id == .incompleteInput ? max(line, lines.count - (lines.last == "" ? 1 : 0)) : line
            var b = block(at: at)
            b.diagnostics.append(d)
            blocks[at] = b
        }
        // Attach each run of `#>` lines to the block on the line just above it.
        var orphans: [(line: Int, lines: [String])] = []
        var k = 0
        while k < lines.count {
            guard isOutput[k] else { k += 1; continue }
            let first = k
            var run: [String] = []
            while k < lines.count && isOutput[k] {
                run.append(TranscriptChecker.strip(lines[k]))
                k += 1
            }
            if var b = blocks[first] {  // line numbers are 1-based: line `first` is the one above
                b.expected = run
                b.expectedFirstLine = first + 1
                blocks[first] = b
            } else {
                orphans.append((first + 1, run))
            }
        }

        let out = CapturedOutput()
        let session = Session(registry: registry, terminal: .plain, output: out)
        session.recording = true
        var failures = 0
        var report = ""
        var actualByLine: [Int: [String]] = [:]
        let ordered = blocks.values.sorted { $0.line < $1.line }
        for b in ordered {
            for d in b.diagnostics { session.report(d) }
            if b.diagnostics.isEmpty {
                for c in b.commands where session.quitRequested == nil {
                    do {
                        try Runner.execute(c, in: session)
                    } catch let d as Diagnostic {
                        session.report(d)
                    } catch is ReportedError {
                        // already shown
                    } catch {
                        session.report(Diagnostic(.internalError, .error, "\(error)", file: c.file, range: c.range))
                    }
                }
            }
            let actual = TranscriptChecker.lines(out.take())
            actualByLine[b.line] = LineDiff.matches(expected: b.expected, actual: actual) ? b.expected : actual
            if !LineDiff.matches(expected: b.expected, actual: actual) {
                failures += 1
                report += "--- \(path):\(b.expectedFirstLine) expected\n+++ actual\n"
                report += "@@ after \(path):\(b.line): \(lines[b.line - 1].trimmingTrailing()) @@\n"
                report += LineDiff.unified(expected: b.expected, actual: actual).joined(separator: "\n") + "\n"
            }
        }
        session.closeServers()
        for o in orphans where !o.lines.isEmpty {
            failures += 1
            report += "--- \(path):\(o.line) expected\n+++ actual\n@@ no command before these #> lines @@\n"
            report += o.lines.map { "-" + $0 }.joined(separator: "\n") + "\n"
        }

        // The file rebuilt with every block's actual output, for --update.
        // In Markdown, the page's own lines around the blocks, and each block's indent.
        var rebuilt: [String] = []
        for (index, line) in lines.enumerated() where !isOutput[index] {
            rebuilt.append(markdown?.lines[index] ?? line)
            if let actual = actualByLine[index + 1] {
                let indent = markdown?.indents[index] ?? ""
                rebuilt += actual.map { indent + ($0.isEmpty ? "#>" : "#> " + $0) }
            }
        }
        return Outcome(path: path, failures: failures, blocks: ordered.count + orphans.count, report: report,
                       updatedText: rebuilt.joined(separator: "\n"))
    }

    /// `--update`: the file with every block's actual output. Recorded output moves the lines
    /// below it, and error messages name lines, so it records again until the text stands still.
    public func record(path: String, text: String) -> Outcome {
        // An unclosed string or bracket takes in the rest of the file, `#>` lines and all: recording
        // that would bury them inside it. Say where it opens instead, and leave the file alone.
        let source = MarkdownTranscript.isMarkdown(path) ? MarkdownTranscript(text).script : text
        let script = Parser.parse(SourceFile(name: path, text: source))
        if script.isIncomplete {
            let report = script.diagnostics.filter { $0.id == .incompleteInput }
                .map { DiagnosticRenderer(color: false).render($0) }.joined()
                + "not recorded: \(path) does not parse to its end; close what is open above and record again\n"
            return Outcome(path: path, failures: 1, blocks: 0, report: report, updatedText: nil)
        }
        let first = check(path: path, text: text)
        var updated = first.updatedText ?? text
        for _ in 0..<5 {
            let again = check(path: path, text: updated)
            guard let next = again.updatedText, next != updated else { break }
            updated = next
        }
        return Outcome(path: path, failures: first.failures, blocks: first.blocks, report: first.report, updatedText: updated)
    }

    /// The text after `#> ` (or `#>`), without trailing spaces.
    static func strip(_ line: String) -> String {
        var s = Substring(line.dropFirst(2))
        if s.hasPrefix(" ") { s = s.dropFirst() }
        return String(s).trimmingTrailing()
    }

    /// Output as lines: escapes removed, trailing spaces trimmed, no final empty line.
    static func lines(_ text: String) -> [String] {
        var ls = stripANSI(text).split(separator: "\n", omittingEmptySubsequences: false).map { String($0).trimmingTrailing() }
        if ls.last == "" { ls.removeLast() }
        return ls
    }

    static func stripANSI(_ s: String) -> String {
        guard s.contains("\u{1B}") else { return s }
        var out = ""
        var skipping = false
        for ch in s.unicodeScalars {
            if skipping {
                if ch.properties.isAlphabetic { skipping = false }
            } else if ch == "\u{1B}" {
                skipping = true
            } else {
                out.unicodeScalars.append(ch)
            }
        }
        return out
    }
}

extension String {
    func trimmingTrailing() -> String {
        var s = Substring(self)
        while let last = s.last, last == " " || last == "\t" || last == "\r" { s = s.dropLast() }
        return String(s)
    }
}
