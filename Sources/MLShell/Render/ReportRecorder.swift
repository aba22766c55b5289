import MLRender

/// The output sink of a report run: what each command shows, kept as pieces (text, errors,
/// tables and plots as themselves) instead of terminal text. `printTable` and the plot commands
/// hand it their table or figure when the session's output is one of these.
public final class ReportRecorder: OutputSink {
    private var pieces: [ReportDocument.Piece] = []

    public init() {}

    public func write(_ text: String) {
        if case .text(let before)? = pieces.last { pieces[pieces.count - 1] = .text(before + text) } else { pieces.append(.text(text)) }
    }

    public func writeError(_ text: String) {
        // Progress lines redraw themselves with a carriage return; a report has no use for them.
        guard !text.hasPrefix("\r") else { return }
        // A warning or a note (the script goes on) is not shown as an error.
        let first = text.prefix { $0 != "\n" }
        if ["warning: ", "note: "].contains(where: { first.hasPrefix($0) || first.contains(": " + $0) }) {
            pieces.append(.warning(text))
            return
        }
        if case .error(let before)? = pieces.last { pieces[pieces.count - 1] = .error(before + text) } else { pieces.append(.error(text)) }
    }

    func table(_ table: TextTable, text: String) { pieces.append(.table(table, text: text)) }

    func plot(svg: String, text: String) { pieces.append(.plot(svg: svg, text: text)) }

    /// The pieces since the last call.
    func take() -> [ReportDocument.Piece] {
        defer { pieces = [] }
        return pieces
    }
}

extension Session {
    /// Shows a figure: drawn in the terminal, or kept as SVG and text in a report.
    func show(_ figure: Figure, _ options: PlotOptions) {
        if let recorder = output as? ReportRecorder {
            recorder.plot(svg: figure.svg(options), text: figure.text(options))
        } else {
            output.write(figure.text(options))
        }
    }
}
