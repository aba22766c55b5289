/// Horizontal bars, one row each: a label, the bar, and its value. Histograms (the label is the
/// bin's range) and bar charts of counts or values use it.
public struct BarPlot: Sendable {
    public struct Bar: Sendable {
        public var label: String
        public var value: Double
        /// For histograms: the bin's edges, which the SVG draws as a vertical histogram.
        public var range: (Double, Double)?
        /// For a histogram `by=`: the group the bar counts (drawn side by side within the bin).
        public var group: String?
        public init(label: String, value: Double, range: (Double, Double)? = nil, group: String? = nil) {
            self.label = label
            self.value = value
            self.range = range
            self.group = group
        }
    }

    public var bars: [Bar]
    /// What the values are ("count", "mean body_mass_g").
    public var valueLabel: String
    public var categoryLabel: String
    public var footnotes: [String] = []
    /// Whole numbers (counts) print without decimals.
    public var integerValues: Bool

    public init(bars: [Bar], valueLabel: String, categoryLabel: String, integerValues: Bool) {
        self.bars = bars
        self.valueLabel = valueLabel
        self.categoryLabel = categoryLabel
        self.integerValues = integerValues
    }

    public var scale: Scale { Scale(covering: bars.map(\.value), includeZero: true) }

    func valueText(_ v: Double) -> String {
        integerValues && abs(v) < 9e18 ? String(Int64(v)) : NumberFormat.compact(v)
    }

    public func text(_ o: PlotOptions) -> String {
        let labelWidth = min(max(categoryLabel.count, bars.map { $0.label.count }.max() ?? 1), o.width / 3)
        let valueWidth = max(valueLabel.count, bars.map { valueText($0.value).count }.max() ?? 1)
        let barWidth = max(4, o.width - labelWidth - valueWidth - 4)
        let lo = min(0, bars.map(\.value).min() ?? 0), hi = max(0, bars.map(\.value).max() ?? 0)
        let span = hi - lo > 0 ? hi - lo : 1
        let zero = Int(((0 - lo) / span * Double(barWidth)).rounded())
        var out = ""
        if let title = o.title { out += PlotText.center(title, o.width) + "\n" }
        out += PlotText.pad(categoryLabel, labelWidth) + "  " + String(repeating: " ", count: barWidth) + " " + o.dim(PlotText.pad(valueLabel, valueWidth, right: true)) + "\n"
        for (k, b) in bars.enumerated() {
            let length = abs(b.value) / span * Double(barWidth)
            let glyphs = BarPlot.bar(length, unicode: o.unicode && o.style != .ascii)
            var line: String
            if b.value >= 0 {
                line = String(repeating: " ", count: zero) + o.paint(glyphs, series: o.color ? 0 : nil)
                line += String(repeating: " ", count: max(0, barWidth - zero - glyphs.count))
            } else {
                let n = glyphs.count
                line = String(repeating: " ", count: max(0, zero - n)) + o.paint(glyphs, series: 1) + String(repeating: " ", count: barWidth - zero)
            }
            _ = k
            out += PlotText.pad(PlotText.cut(b.label, labelWidth), labelWidth) + " " + o.vline + line + " " + PlotText.pad(valueText(b.value), valueWidth, right: true) + "\n"
        }
        out = out.split(separator: "\n", omittingEmptySubsequences: false).map { String($0).trimmingTrailingSpaces() }.joined(separator: "\n")
        out += o.notes(footnotes)
        return out
    }

    /// A bar of `length` characters with eighth blocks (or # in ASCII).
    static func bar(_ length: Double, unicode: Bool) -> String {
        if !unicode { return String(repeating: "#", count: Int(length.rounded())) }
        let eighths = Int((length * 8).rounded())
        let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"][eighths % 8]
        let s = String(repeating: "█", count: eighths / 8) + partial
        return s.isEmpty && length > 0 ? "▏" : s
    }
}
