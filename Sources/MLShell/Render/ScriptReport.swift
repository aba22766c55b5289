import Foundation
import MLDiagnostics
import MLLanguage
import MLRender

/// `mlsh render`: runs a script as `mlsh FILE` does (top to bottom, stopping at the first error)
/// and keeps it as a report: `#'` lines as prose, each command with what it showed. Output is
/// recorded as `mlsh check` records it (80 columns, no colour, no timings), so that a report is
/// the same from run to run. Recorded `#>` lines in the script are left out: the report shows
/// this run's output.
public enum ScriptReport {
    public static func run(path: String, text original: String, registry: CommandRegistry = .standard,
                           date: Date = ScriptReport.date()) -> (ReportDocument, ShellExit) {
        let text = original.utf8.contains(13) ? String(decoding: original.utf8.filter { $0 != 13 }, as: UTF8.self) : original
        let file = SourceFile(name: path, text: text)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let script = Parser.parse(file)
        let recorder = ReportRecorder()
        let session = Session(registry: registry, terminal: .plain, output: recorder)
        session.recording = true
        var status = ShellExit.ok
        var stoppedAt: Int? = nil

        // Commands by the line they start on; a cell runs from its first line to its last command's end.
        var byStart: [Int: [Command]] = [:]
        for c in script.commands { byStart[file.location(of: c.range.start).line, default: []].append(c) }
        var cells: [ReportDocument.Cell] = []
        var prose: [String] = [], comments: [String] = []
        func flushProse() {
            if !prose.isEmpty { cells.append(.prose(prose.joined(separator: "\n"))) }
            prose = []
        }
        if !script.diagnostics.isEmpty {
            // Nothing runs when the script does not parse, as `mlsh FILE`; the report says why.
            for d in script.diagnostics { session.report(d) }
            cells.append(.code(source: "", line: 1, pieces: recorder.take(), ran: true))
            return (document(path, cells, session, date, stoppedAt: script.diagnostics.first?.location?.line ?? 1), .syntaxError)
        }
        var i = 0
        while i < lines.count {
            let line = lines[i], number = i + 1
            if line.hasPrefix("#'") {
                var t = String(line.dropFirst(2))
                if t.hasPrefix(" ") { t.removeFirst() }
                prose.append(t)
                i += 1
                continue
            }
            flushProse()
            if line.hasPrefix("#>") || (i == 0 && line.hasPrefix("#!")) || line.trimmingCharacters(in: .whitespaces).isEmpty {
                i += 1
                continue
            }
            guard let commands = byStart[number] else {
                if line.hasPrefix("#") { comments.append(line) }
                i += 1
                continue
            }
            // The cell: this line to the end of its last command, with the comments just above it.
            var last = number
            for c in commands { last = max(last, file.location(of: max(c.range.start, c.range.end - 1)).line) }
            var j = number + 1
            while j <= last { if let more = byStart[j] { for c in more { last = max(last, file.location(of: max(c.range.start, c.range.end - 1)).line) } }; j += 1 }
            let all = (number...last).flatMap { byStart[$0] ?? [] }
            let source = (comments + lines[(number - 1)..<last]).joined(separator: "\n")
            comments = []
            if stoppedAt != nil || session.quitRequested != nil {
                cells.append(.code(source: source, line: number, pieces: [], ran: false))
            } else {
                for c in all where stoppedAt == nil && session.quitRequested == nil {
                    do {
                        try Runner.execute(c, in: session)
                    } catch let d as Diagnostic {
                        session.report(d)
                        stoppedAt = number
                        status = d.id == .interrupted ? .interrupted : .runtimeError
                    } catch let r as ReportedError {
                        stoppedAt = number
                        status = r.exit
                    } catch {
                        session.report(Diagnostic(.internalError, .error, "\(error)", file: c.file, range: c.range))
                        stoppedAt = number
                        status = .runtimeError
                    }
                }
                cells.append(.code(source: source, line: number, pieces: recorder.take(), ran: true))
            }
            i = last
        }
        flushProse()
        session.closeServers()
        return (document(path, cells, session, date, stoppedAt: stoppedAt), status)
    }

    static func document(_ path: String, _ cells: [ReportDocument.Cell], _ session: Session, _ date: Date, stoppedAt: Int?) -> ReportDocument {
        // Every file a dataset was read from, once, in the order the datasets were made.
        var seen = Set<String>(), files: [(path: String, sha256: String?)] = []
        for name in session.datasetNames {
            guard let d = session.dataset(named: name), !d.source.path.isEmpty, FileManager.default.fileExists(atPath: d.source.path),
                  seen.insert(d.source.path).inserted else { continue }
            files.append((d.source.path, d.source.sha256()))
        }
        let stamp = ReportDocument.Stamp(version: HelpFormatter.version, seed: session.settings.seed, date: iso(date), files: files, stoppedAt: stoppedAt)
        let name = (path as NSString).lastPathComponent
        return ReportDocument(title: ReportDocument.title(of: cells, fallback: name), source: path, cells: cells, stamp: stamp)
    }

    /// Now, or SOURCE_DATE_EPOCH when set (reproducible builds' convention), so that a report can
    /// be made byte for byte again.
    public static func date() -> Date {
        if let s = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], let t = TimeInterval(s) { return Date(timeIntervalSince1970: t) }
        return Date()
    }

    static func iso(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: d)
    }
}
