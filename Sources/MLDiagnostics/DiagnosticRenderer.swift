/// Renders diagnostics as `file:line:col: error: message`, the source line, a caret, notes and a hint.
public struct DiagnosticRenderer: Sendable {
    public var color: Bool

    public init(color: Bool) { self.color = color }

    public func render(_ d: Diagnostic) -> String {
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
        let width = String(start.line).count
        let gutter = String(repeating: " ", count: width)
        // Very long lines are cut around the caret so the excerpt stays readable.
        var shown = Array(line)
        var caretColumn = start.column - 1
        var lead = ""
        if shown.count > 120 {
            let from = max(0, min(caretColumn - 40, shown.count - 100))
            shown = Array(shown[from..<min(shown.count, from + 100)])
            caretColumn -= from
            if from > 0 { lead = "…" }
        }
        let underlineLength: Int
        if end.line == start.line {
            underlineLength = max(1, min(end.column - start.column, shown.count - caretColumn))
        } else {
            underlineLength = max(1, shown.count - caretColumn)
        }
        let text = lead + String(shown).replacingTabs()
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
