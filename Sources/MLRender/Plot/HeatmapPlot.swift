/// A matrix of values in cells with shading: correlation matrices now, confusion matrices later.
public struct HeatmapPlot: Sendable {
    public var rowLabels: [String]
    public var columnLabels: [String]
    /// values[row][column]; NaN is drawn empty.
    public var values: [[Double]]
    /// The range the shading spans (-1…1 for correlations).
    public var range: (Double, Double)
    public var footnotes: [String] = []
    public var decimals = 2
    /// Correlations shade by distance from the middle; counts (confusion) from low to high.
    public var diverging = true

    public init(rowLabels: [String], columnLabels: [String], values: [[Double]], range: (Double, Double)) {
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.values = values
        self.range = range
    }

    func cellText(_ v: Double) -> String {
        v.isNaN ? "" : NumberFormat.trimZeros(NumberFormat.c("%.\(decimals)f", v)) == "-0" ? "0" : NumberFormat.c("%.\(decimals)f", v)
    }

    public func text(_ o: PlotOptions) -> String {
        // The row labels give up room first (down to 4), then columns that do not fit are left out,
        // and a note says how many.
        let shownColumns = max(1, min(columnLabels.count, (o.width - 5) / 7))
        let labelWidth = min(max(1, rowLabels.map(\.count).max() ?? 1), 16, max(4, o.width - 1 - 7 * shownColumns))
        let columnLabels = Array(columnLabels.prefix(shownColumns))
        var footnotes = footnotes
        if shownColumns < self.columnLabels.count {
            footnotes.insert("\(self.columnLabels.count - shownColumns) more columns not shown at this width", at: 0)
        }
        // Wide enough for the longest column label when the width allows (a cut "pred seto…" hides the class).
        let longest = max(10, columnLabels.map(\.count).max() ?? 0)
        let cellWidth = max(6, min(longest, (o.width - labelWidth - 1) / max(1, columnLabels.count) - 1))
        let shades: [Character] = o.unicode && o.style != .ascii ? [" ", "░", "▒", "▓", "█"] : [" ", ".", ":", "+", "#"]
        var out = ""
        if let title = o.title { out += PlotText.center(title, o.width) + "\n" }
        out += String(repeating: " ", count: labelWidth + 1)
            + columnLabels.map { PlotText.pad(PlotText.cut($0, cellWidth), cellWidth, right: true) }.joined(separator: " ") + "\n"
        for (r, label) in rowLabels.enumerated() {
            var line = PlotText.pad(PlotText.cut(label, labelWidth), labelWidth) + " "
            var cells: [String] = []
            for v in values[r].prefix(shownColumns) {
                let t = cellText(v)
                let f = v.isNaN ? 0 : diverging ? max(0, min(1, abs(v - (range.0 + range.1) / 2) / ((range.1 - range.0) / 2)))
                    : max(0, min(1, (v - range.0) / max(1e-300, range.1 - range.0)))
                let shade = shades[min(4, Int((f * 4).rounded()))]
                let text = String(shade) + PlotText.pad(t, cellWidth - 1, right: true)
                if o.color, !v.isNaN, !diverging {
                    let code = [255, 189, 153, 117, 75, 33][min(5, Int(f * 5))]
                    cells.append("\u{1B}[48;5;\(code)m\u{1B}[38;5;16m" + text + "\u{1B}[0m")
                } else if o.color, !v.isNaN {
                    // Blue for low, red for high, paler near the middle.
                    let code = v >= (range.0 + range.1) / 2 ? [255, 224, 217, 210, 203, 196][min(5, Int(f * 5))] : [255, 189, 153, 117, 75, 33][min(5, Int(f * 5))]
                    cells.append("\u{1B}[48;5;\(code)m\u{1B}[38;5;16m" + text + "\u{1B}[0m")
                } else {
                    cells.append(text)
                }
            }
            line += cells.joined(separator: " ")
            out += line + "\n"
        }
        out = out.split(separator: "\n", omittingEmptySubsequences: false).map { String($0).trimmingTrailingSpaces() }.joined(separator: "\n")
        out += o.notes(footnotes)
        return out
    }
}
