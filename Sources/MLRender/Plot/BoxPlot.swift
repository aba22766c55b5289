/// Box-and-whisker rows on one shared axis: whiskers at the furthest values within 1.5 IQR,
/// the box from the first to the third quartile, the median marked, outliers as dots.
public struct BoxPlot: Sendable {
    public struct Box: Sendable {
        public var label: String
        public var low, q1, median, q3, high: Double
        public var outliers: [Double]
        public var count: Int
        public init(label: String, low: Double, q1: Double, median: Double, q3: Double, high: Double, outliers: [Double], count: Int) {
            self.label = label
            self.low = low
            self.q1 = q1
            self.median = median
            self.q3 = q3
            self.high = high
            self.outliers = outliers
            self.count = count
        }
    }

    public var boxes: [Box]
    public var valueLabel: String
    public var footnotes: [String] = []

    public init(boxes: [Box], valueLabel: String) {
        self.boxes = boxes
        self.valueLabel = valueLabel
    }

    public func scale(_ o: PlotOptions) -> Scale {
        Scale(covering: boxes.flatMap { [$0.low, $0.high] + $0.outliers }, log: o.logX)
    }

    public func text(_ o: PlotOptions) -> String {
        let s = scale(o)
        let labelWidth = min(max(1, boxes.map { $0.label.count }.max() ?? 1), o.width / 4)
        let width = max(10, o.width - labelWidth - 2)
        func col(_ v: Double) -> Int { max(0, min(width - 1, Int((s.position(v) * Double(width - 1)).rounded()))) }
        var out = ""
        if let title = o.title { out += PlotText.center(title, o.width) + "\n" }
        let u = o.unicode && o.style != .ascii
        for (k, b) in boxes.enumerated() {
            var line = [Character](repeating: " ", count: width)
            let lo = col(b.low), q1 = col(b.q1), med = col(b.median), q3 = col(b.q3), hi = col(b.high)
            for c in lo...max(lo, hi) { line[c] = u ? "─" : "-" }
            for c in q1...max(q1, q3) { line[c] = u ? "█" : "=" }
            line[lo] = u ? "├" : "|"
            line[hi] = u ? "┤" : "|"
            line[med] = u ? "┃" : "#"
            for v in b.outliers { line[col(v)] = u ? "•" : "o" }
            out += PlotText.pad(PlotText.cut(b.label, labelWidth), labelWidth) + " " + o.vline + o.paint(String(line), series: o.color ? k : nil) + "\n"
        }
        out += String(repeating: " ", count: labelWidth + 1) + o.corner + String(repeating: o.hline, count: width) + "\n"
        let ticks = s.tickLabels(count: max(2, width / 10)).map { (s.position($0.value), $0.label) }
        out += String(repeating: " ", count: labelWidth + 2) + PlotText.axisLabels(ticks, width: width) + "\n"
        out += String(repeating: " ", count: labelWidth + 2) + PlotText.center(o.dim(valueLabel), width + (o.color ? 8 : 0)) + "\n"
        out += o.notes(footnotes)
        return out
    }
}
