/// A report as Markdown (`mlsh render FILE -o report.md`): the prose as written, each command in
/// an `mlsh` block, its output in a text block, tables as Markdown tables, plots as their
/// terminal drawing (a Markdown file cannot hold a picture without a second file).
public enum MarkdownReport {
    public static func render(_ doc: ReportDocument, width: Int = 100) -> String {
        var out = ""
        var renderer = TableRenderer(width: width)
        renderer.missingText = "NA"
        for cell in doc.cells {
            switch cell {
            case .prose(let markdown):
                out += markdown.trimmingTrailingNewlines + "\n\n"
            case .code(let source, _, let pieces, let ran):
                out += "```mlsh\n" + source.trimmingTrailingNewlines + "\n```\n\n"
                if !ran { out += "*Not run: the script stopped at the error above.*\n\n" }
                for piece in pieces {
                    switch piece {
                    case .text(let t): out += "```text\n" + t.trimmingTrailingNewlines + "\n```\n\n"
                    case .error(let t): out += "```text\n" + t.trimmingTrailingNewlines + "\n```\n\n"
                    case .table(let table, _): out += renderer.render(table, mode: .markdown).trimmingTrailingNewlines + "\n\n"
                    case .plot(_, let text): out += "```text\n" + text.trimmingTrailingNewlines + "\n```\n\n"
                    }
                }
            }
        }
        let s = doc.stamp
        out += "---\n\n*Rendered by mlsh \(s.version) on \(s.date), seed \(s.seed), from `\(doc.source)`.*"
        if let line = s.stoppedAt { out += " *The script stopped at an error on line \(line).*" }
        out += "\n"
        if !s.files.isEmpty {
            out += "\n| file read | SHA-256 |\n|---|---|\n"
            for f in s.files { out += "| `\(f.path)` | `\(f.sha256 ?? "not readable now")` |\n" }
        }
        return out
    }
}
