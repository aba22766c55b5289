import Ink

/// A report as one self-contained HTML page: no script, no link, no font or picture fetched; the
/// prose through Ink (Markdown), tables as tables, plots as inline SVG from the plots' own layout.
/// It is also well-formed XML (XHTML syntax), so that a checker can parse it. Light and dark
/// colours follow the reader's setting, and it prints on white.
public enum HTMLReport {
    public static func render(_ doc: ReportDocument) -> String {
        var body = ""
        let parser = MarkdownParser()
        for cell in doc.cells {
            switch cell {
            case .prose(let markdown):
                body += "<section class=\"prose\">\n" + ProseHTML.render(markdown, parser) + "\n</section>\n"
            case .code(let source, let line, let pieces, let ran):
                body += "<div class=\"cell\(ran ? "" : " not-run")\" id=\"line-\(line)\">\n"
                if !source.isEmpty { body += "<pre class=\"command\"><code>" + escape(source) + "</code></pre>\n" }
                if !ran { body += "<p class=\"note\">not run: " + (doc.stamp.quitCode != nil ? "the script quit above" : "the script stopped at the error above") + "</p>\n" }
                for piece in pieces { body += html(piece) }
                body += "</div>\n"
            }
        }
        return """
            <!DOCTYPE html>
            <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
            <head>
            <meta charset="utf-8" />
            <meta name="viewport" content="width=device-width, initial-scale=1" />
            <meta name="generator" content="mlsh \(escape(doc.stamp.version))" />
            <title>\(escape(doc.title))</title>
            <style>\(css)</style>
            </head>
            <body>
            <main>
            \(body)\(stamp(doc))
            </main>
            </body>
            </html>

            """
    }

    static func html(_ piece: ReportDocument.Piece) -> String {
        switch piece {
        case .text(let t): return "<pre class=\"output\">" + escape(t.trimmingTrailingNewlines) + "</pre>\n"
        case .error(let t): return "<pre class=\"error\">" + escape(t.trimmingTrailingNewlines) + "</pre>\n"
        case .warning(let t): return "<pre class=\"warning\">" + escape(t.trimmingTrailingNewlines) + "</pre>\n"
        case .table(let table, _): return table.html
        case .plot(let svg, _):
            // The SVG document's own XML declaration cannot stand inside the page.
            let inline = svg.hasPrefix("<?xml") ? String(svg.drop { $0 != "\n" }.dropFirst()) : svg
            return "<figure class=\"plot\">\n" + inline + "</figure>\n"
        }
    }

    static func stamp(_ doc: ReportDocument) -> String {
        let s = doc.stamp
        var out = "<footer class=\"stamp\">\n<p>Rendered by mlsh \(escape(s.version)) on \(escape(s.date)), seed \(s.seed), from "
            + "<code>\(escape(doc.source))</code>."
        if let line = s.stoppedAt { out += " The script stopped at an error on line \(line)." }
        out += "</p>\n"
        if !s.files.isEmpty {
            out += "<table class=\"files\"><thead><tr><th>file read</th><th>SHA-256</th></tr></thead><tbody>\n"
            for f in s.files {
                out += "<tr><td><code>\(escape(f.path))</code></td><td><code>\(escape(f.sha256 ?? "not readable now"))</code></td></tr>\n"
            }
            out += "</tbody></table>\n"
        }
        return out + "</footer>\n"
    }

    public static func escape(_ s: String) -> String { SVG.esc(s) }

    static let css = """

        :root { color-scheme: light dark; --fg: #1d1d1f; --bg: #ffffff; --muted: #6e6e73; --code-bg: #f5f5f7;
          --border: #d2d2d7; --error: #b3261e; --warning: #b8860b; --accent: #1f77b4; }
        @media (prefers-color-scheme: dark) {
          :root { --fg: #e8e8ed; --bg: #161618; --muted: #a1a1a6; --code-bg: #232326; --border: #3a3a3c; --error: #ff6b60; --warning: #e0b040; --accent: #6cb4ee; }
          figure.plot svg { background: #ffffff; border-radius: 4px; }
        }
        body { margin: 0; background: var(--bg); color: var(--fg); font: 16px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; }
        main { max-width: 60rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
        h1, h2, h3 { line-height: 1.25; }
        a { color: var(--accent); }
        pre, code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 0.85rem; }
        p code, li code { background: var(--code-bg); padding: 0.1em 0.3em; border-radius: 3px; }
        .cell { margin: 1.25rem 0; }
        pre { margin: 0.4rem 0; padding: 0.6rem 0.8rem; overflow-x: auto; border-radius: 6px; }
        pre.command { background: var(--code-bg); border-left: 3px solid var(--accent); }
        pre.command::before { content: "mlsh> "; color: var(--muted); }
        pre.output { border: 1px solid var(--border); }
        pre.error { border: 1px solid var(--error); color: var(--error); white-space: pre-wrap; }
        pre.warning { border: 1px solid var(--warning); white-space: pre-wrap; }
        .not-run { opacity: 0.5; }
        .note { color: var(--muted); font-size: 0.85rem; margin: 0.2rem 0; }
        .table-wrap { overflow-x: auto; margin: 0.4rem 0; }
        table { border-collapse: collapse; font-size: 0.85rem; }
        th, td { padding: 0.2rem 0.6rem; border-bottom: 1px solid var(--border); text-align: left; white-space: nowrap; }
        th { border-bottom: 2px solid var(--border); }
        tr.types th { font-weight: normal; color: var(--muted); font-size: 0.75rem; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        td.na { color: var(--muted); font-style: italic; }
        caption { caption-side: bottom; text-align: left; color: var(--muted); font-size: 0.8rem; padding-top: 0.3rem; }
        figure.plot { margin: 0.6rem 0; }
        figure.plot svg { max-width: 100%; height: auto; }
        footer.stamp { margin-top: 3rem; padding-top: 1rem; border-top: 1px solid var(--border); color: var(--muted); font-size: 0.85rem; }
        @media print {
          :root { --fg: #000000; --bg: #ffffff; --muted: #555555; --code-bg: #f3f3f3; --border: #bbbbbb; --error: #a00000; }
          main { max-width: none; padding: 0; }
          pre { white-space: pre-wrap; }
          .cell, figure.plot, table { break-inside: avoid; }
        }

        """
}

extension TextTable {
    /// The table as HTML: a header row, the type labels under it, the cells (missing as NA), the
    /// counts as a caption.
    var html: String {
        func cls(_ c: Column) -> String { c.alignment == .right ? " class=\"num\"" : "" }
        var out = "<div class=\"table-wrap\"><table>\n<thead><tr>"
        for c in columns { out += "<th\(cls(c))>" + HTMLReport.escape(c.header) + "</th>" }
        out += "</tr>\n"
        if columns.contains(where: { $0.typeLabel != nil }) {
            out += "<tr class=\"types\">" + columns.map { "<th\(cls($0))>" + HTMLReport.escape($0.typeLabel ?? "") + "</th>" }.joined() + "</tr>\n"
        }
        out += "</thead>\n<tbody>\n"
        for r in 0..<shownRows {
            if let gap = gapAfter, r == gap { out += "<tr>" + columns.map { _ in "<td>…</td>" }.joined() + "</tr>\n" }
            out += "<tr>"
            for c in columns {
                if let v = c.cells[r] { out += "<td\(cls(c))>" + HTMLReport.escape(v) + "</td>" } else { out += "<td class=\"na\">NA</td>" }
            }
            out += "</tr>\n"
        }
        let rows = totalRows == 1 ? "1 row" : "\(totalRows) rows"
        let counts = footer ?? (shownRows < totalRows ? "\(rows) (\(shownRows) shown)" : rows) + " × " + (columns.count == 1 ? "1 column" : "\(columns.count) columns")
        out += "</tbody>\n<caption>" + HTMLReport.escape(counts + (caption.map { "; " + $0 } ?? "")) + "</caption>\n</table></div>\n"
        return out
    }
}

extension String {
    var trimmingTrailingNewlines: String {
        var s = self
        while s.hasSuffix("\n") { s.removeLast() }
        return s
    }

}
