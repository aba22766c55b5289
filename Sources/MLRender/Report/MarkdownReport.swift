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
                if !source.isEmpty { out += fenced(source, "mlsh") }
                if !ran { out += doc.stamp.quitCode != nil ? "*Not run: the script quit above.*\n\n" : "*Not run: the script stopped at the error above.*\n\n" }
                for piece in pieces {
                    switch piece {
                    case .text(let t), .error(let t), .warning(let t), .plot(_, let t): out += fenced(t, "text")
                    case .table(let table, _): out += renderer.render(table, mode: .markdown).trimmingTrailingNewlines + "\n\n"
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

    /// A code block whose fence is longer than any run of backticks inside (CommonMark's rule),
    /// so that output cannot end it early.
    static func fenced(_ text: String, _ language: String) -> String {
        var longest = 0, run = 0
        for ch in text { if ch == "`" { run += 1; longest = max(longest, run) } else { run = 0 } }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        return fence + language + "\n" + text.trimmingTrailingNewlines + "\n" + fence + "\n\n"
    }
}
