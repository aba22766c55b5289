/// Renders diagnostics as `file:line:col: error: message`, the source line, a caret, notes and a hint.
public struct DiagnosticRenderer: Sendable {
    public var color: Bool
    /// The terminal's width: messages wrap to it and a long source line is cut around the caret to
    /// fit it. Nil: no wrapping, and lines over 120 characters are cut to 100.
    public var width: Int?

    public init(color: Bool, width: Int? = nil) {
        self.color = color
        self.width = width
    }

    public func render(_ d: Diagnostic) -> String {
        guard let width else { return renderLines(d) }
        // The excerpt is laid out to the width already. The first line stays whole, as compilers
        // print it (editors and scripts read `file:line:col: error: message` lines); the notes
        // and the hint are prose and wrap.
        return renderLines(d).split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .map { k, line in k == 0 || line.hasPrefix(" ") ? String(line) : TextWidth.wrap(String(line), width: width) }
            .joined(separator: "\n")
    }

    private func renderLines(_ d: Diagnostic) -> String {
        var out = ""
        let label = style(d.severity.rawValue + ":", code: d.severity == .error ? "1;31" : d.severity == .warning ? "1;35" : "1;36")
        if let file = d.file, let range = d.range {
            let start = file.location(of: range.start)
            out += style("\(file.name):\(start.line):\(start.column):", code: "1") + " \(label) \(style(d.message, code: "1"))\n"
            out += excerpt(file: file, range: range, start: start)
        } else if let place = d.externalLocation {
            out += style("\(place):", code: "1") + " \(label) \(style(d.message, code: "1"))\n"
        } else {
            out += "\(label) \(style(d.message, code: "1"))\n"
        }
        for note in d.notes {
            out += style("note:", code: "1;36") + " \(note)\n"
        }
        if let hint = d.hint {
            out += style("hint:", code: "1;32") + " \(hint)\n"
        }
        return out
    }

    private func excerpt(file: SourceFile, range: SourceRange, start: SourceLocation) -> String {
        let line = file.lineText(start.line)
        let end = file.location(of: range.end)
        let digits = String(start.line).count
        let gutter = String(repeating: " ", count: digits)
        // Very long lines are cut around the caret so the excerpt stays readable: to the width
        // when there is one (the gutter, and a … on each side that was cut, included).
        var shown = Array(line)
        var caretColumn = start.column - 1
        var lead = ""
        var tail = ""
        // " 12 | " takes digits + 4 columns; a … on each side, one more each.
        let room = width.map { max(20, $0 - digits - 6) } ?? 100
        if shown.count > (width == nil ? 120 : room) {
            let from = max(0, min(caretColumn - room / 3, shown.count - room))
            let to = min(shown.count, from + room)
            if to < shown.count { tail = "…" }
            shown = Array(shown[from..<to])
            caretColumn -= from
            if from > 0 { lead = "…" }
        }
        let underlineLength: Int
        if end.line == start.line {
            underlineLength = max(1, min(end.column - start.column, shown.count - caretColumn))
        } else {
            underlineLength = max(1, shown.count - caretColumn)
        }
        let text = lead + String(shown).replacingTabs() + tail
        let pad = String(repeating: " ", count: lead.count + max(0, caretColumn))
        let marks = "^" + String(repeating: "~", count: max(0, underlineLength - 1))
        return " \(start.line) | \(text)\n \(gutter) | \(pad)\(style(marks, code: "1;32"))\n"
    }

    private func style(_ text: String, code: String) -> String {
        color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}

extension String {
    fileprivate func replacingTabs() -> String {
        String(map { $0 == "\t" ? " " : $0 })
    }
}
