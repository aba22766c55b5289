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
            The format follows the output's extension: .html (one self-contained page: tables as
            tables, plots as pictures, light and dark, printable) or .md (Markdown: tables as
            Markdown tables, plots as their text drawing). The script runs as 'mlsh FILE' runs it,
            from the current folder, and stops at its first error; the report is still written,
            with the error where it happened, and the exit status is then 1. The foot of the
            report gives the mlsh version, the seed, the date (SOURCE_DATE_EPOCH when set) and the
            SHA-256 of each file the script read. The file is written atomically.
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
        let cells = doc.cells.filter { if case .code = $0 { return true }; return false }.count
        print("wrote \(output): \(cells) commands" + (doc.stamp.stoppedAt.map { ", stopped at an error on line \($0)" } ?? ""))
        if status != .ok { throw ExitCode(status.rawValue) }
    }
}
