import ArgumentParser
import Foundation
import MLDiagnostics
import MLRender
import MLShell

/// `mlsh render FILE.mlsh -o report.html|report.md`
struct RenderCommandLine: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mlsh render",
        abstract: "Run a script and write it as a report: its #' prose, each command and what it showed.",
        discussion: """
            The format follows the output's extension: .html (one self-contained page: tables as \
            tables, plots as pictures, light and dark, printable) or .md (Markdown: tables as \
            Markdown tables, plots as their text drawing).

            The script runs as 'mlsh FILE' runs it, from the current folder, and stops at its \
            first error; the report is still written, with the error where it happened, and the \
            exit status is then 1 (or what quit gave). The foot of the report gives the mlsh \
            version, the seed, the date (SOURCE_DATE_EPOCH when set) and the SHA-256 of the \
            script and of each file it read. The report is written atomically, and never over \
            the script.
            """)

    @Option(name: .short, help: ArgumentHelp("The report to write: a .html or .md file.", valueName: "file"))
    var output: String

    @Argument(help: ArgumentHelp("The script to run.", valueName: "script"))
    var script: String

    func validate() throws {
        let ext = (output as NSString).pathExtension.lowercased()
        guard ["html", "htm", "md", "markdown"].contains(ext) else {
            throw ValidationError("the report is .html or .md, not '\(output)': name the output 'report.html' or 'report.md'")
        }
        // Checked before the script runs (and writes or saves anything): where the report goes.
        let out = URL(fileURLWithPath: output).standardizedFileURL.resolvingSymlinksInPath()
        if out == URL(fileURLWithPath: script).standardizedFileURL.resolvingSymlinksInPath() {
            throw ValidationError("the report would be written over the script '\(script)': name another output")
        }
        let folder = out.deletingLastPathComponent().path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw ValidationError("there is no folder '\(folder)' to write the report in: make it first, or name another output")
        }
        guard FileManager.default.isWritableFile(atPath: folder) else {
            throw ValidationError("the folder '\(folder)' cannot be written: name an output in a folder you can write")
        }
        if let epoch = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], TimeInterval(epoch) == nil {
            throw ValidationError("SOURCE_DATE_EPOCH is '\(epoch)'; it must be a number of seconds since 1970 (or unset)")
        }
    }

    func run() throws {
        let text: String
        do {
            text = try TextDecoding.decode(try FileText.read(script), name: script)
        } catch {
            StandardOutput().writeError(DiagnosticRenderer(color: false).render(error))
            throw ExitCode(ShellExit.noInput.rawValue)
        }
        let (doc, status) = ScriptReport.run(path: script, text: text)
        let html = ["html", "htm"].contains((output as NSString).pathExtension.lowercased())
        let page = html ? HTMLReport.render(doc) : MarkdownReport.render(doc)
        do {
            try FileText.writeAtomically(output, Array(page.utf8))
        } catch {
            StandardOutput().writeError(DiagnosticRenderer(color: false).render(error))
            throw ExitCode(ShellExit.cantCreate.rawValue)
        }
        let cells = doc.cells.filter { if case .code(let source, _, _, let ran) = $0 { return ran && !source.isEmpty }; return false }.count
        if status == .syntaxError {
            print("wrote \(output): the script has a syntax error on line \(doc.stamp.stoppedAt ?? 1); nothing ran")
        } else {
            print("wrote \(output): \(plural(cells, "command")) run" + (doc.stamp.stoppedAt.map { ", stopped at an error on line \($0)" } ?? "")
                  + (doc.stamp.quitCode.map { ", ended by quit (status \($0))" } ?? ""))
        }
        if let code = doc.stamp.quitCode, status == .ok { if code != 0 { throw ExitCode(code) }; return }
        if status != .ok { throw ExitCode(status.rawValue) }
    }
}
