import Foundation
import MLDiagnostics
import MLLanguage
import MLRender
import Crypto

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
        let script = Parser.parse(file)
        let recorder = ReportRecorder()
        let session = Session(registry: registry, terminal: .plain, output: recorder)
        session.recording = true
        var status = ShellExit.ok
        var stoppedAt: Int? = nil

        var cells: [ReportDocument.Cell] = []
        if !script.diagnostics.isEmpty {
            // Nothing runs when the script does not parse, as `mlsh FILE`; the report says why.
            for d in script.diagnostics { session.report(d) }
            cells.append(.code(source: "", line: 1, pieces: recorder.take(), ran: true))
            return (document(path, cells, session, date, stoppedAt: script.diagnostics.first?.location?.line ?? 1), .syntaxError)
        }
        for item in ScriptCells.read(file, script.commands) {
            guard case .code(let source, let number, let commands) = item else {
                if case .prose(let text) = item { cells.append(.prose(text)) }
                continue
            }
            if stoppedAt != nil || session.quitRequested != nil {
                cells.append(.code(source: source, line: number, pieces: [], ran: false))
                continue
            }
            for c in commands where stoppedAt == nil && session.quitRequested == nil {
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
        session.closeServers()
        var doc = document(path, cells, session, date, stoppedAt: stoppedAt)
        doc.stamp.quitCode = session.quitRequested
        return (doc, status)
    }

    static func document(_ path: String, _ cells: [ReportDocument.Cell], _ session: Session, _ date: Date, stoppedAt: Int?) -> ReportDocument {
        // Every file a dataset was read from, once, in the order the datasets were made.
        // The script itself first, then every file a dataset was read from.
        var seen: Set<String> = [path], files: [(path: String, sha256: String?)] = [(path, try? SHA256.hexDigest(ofFile: path))]
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
