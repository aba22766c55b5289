/// Scatter and line plots: series of points on two numeric axes, drawn on a canvas.
public struct XYPlot: Sendable {
    public struct Series: Sendable {
        public var name: String
        public var xs: [Double]
        public var ys: [Double]
        public var connect: Bool
        public init(name: String, xs: [Double], ys: [Double], connect: Bool) {
            self.name = name
            self.xs = xs
            self.ys = ys
            self.connect = connect
        }
    }

    public var series: [Series]
    public var xLabel: String
    public var yLabel: String
    public var footnotes: [String] = []

    public init(series: [Series], xLabel: String, yLabel: String) {
        self.series = series
        self.xLabel = xLabel
        self.yLabel = yLabel
    }

    public func scales(_ o: PlotOptions) -> (Scale, Scale) {
        (Scale(covering: series.flatMap(\.xs), log: o.logX), Scale(covering: series.flatMap(\.ys), log: o.logY))
    }

    public func text(_ o: PlotOptions) -> String {
        let (xs, ys) = scales(o)
        let yTicks = ys.tickLabels(count: max(2, o.height / 3))
        let labelWidth = max(yLabel.count > 12 ? 0 : 0, yTicks.map { $0.label.count }.max() ?? 1)
        let plotColumns = max(8, o.width - labelWidth - 2)
        // Without colour, groups can only be told apart by their markers: draw them one per cell.
        let style: PlotStyle = !o.color && series.count > 1 ? .ascii : o.style
        var canvas = Canvas(columns: plotColumns, rows: o.height, style: style)
        // A zero line where the y range spans zero.
        let zeroRow: Int? = !o.logY && ys.low < 0 && ys.high > 0 ? Int(((1 - ys.position(0)) * Double(o.height - 1)).rounded()) : nil
        for (k, s) in series.enumerated() {
            var previous: (Int, Int)? = nil
            for (x, y) in zip(s.xs, s.ys) where x.isFinite && y.isFinite && (!o.logX || x > 0) && (!o.logY || y > 0) {
                let p = canvas.pixel(xs.position(x), ys.position(y))
                if s.connect, let q = previous { canvas.line(q.0, q.1, p.0, p.1, series: k) } else { canvas.set(p.0, p.1, series: k) }
                previous = p
            }
        }
        var out = ""
        if let title = o.title { out += PlotText.center(title, o.width) + "\n" }
        if !yLabel.isEmpty { out += PlotText.pad("", labelWidth) + "  " + o.dim(yLabel) + "\n" }
        let cells = canvas.cells()
        // The row of each y tick.
        var tickAtRow: [Int: String] = [:]
        for t in yTicks {
            let row = Int(((1 - ys.position(t.value)) * Double(o.height - 1)).rounded())
            if row >= 0 && row < o.height && tickAtRow[row] == nil { tickAtRow[row] = t.label }
        }
        for (r, line) in cells.enumerated() {
            let label = tickAtRow[r].map { PlotText.pad($0, labelWidth, right: true) } ?? String(repeating: " ", count: labelWidth)
            var body = ""
            for (ch, s) in line {
                if s == nil, r == zeroRow { body += o.dim(o.unicode ? "·" : ".") } else { body += o.paint(String(ch), series: s) }
            }
            out += (label + " " + (tickAtRow[r] != nil ? o.ytick : o.vline) + body).trimmingTrailingSpaces() + "\n"
        }
        out += String(repeating: " ", count: labelWidth) + " " + o.corner + String(repeating: o.hline, count: plotColumns) + "\n"
        let xTicks = xs.tickLabels(count: max(2, plotColumns / 10)).map { (xs.position($0.value), $0.label) }
        out += String(repeating: " ", count: labelWidth + 2) + PlotText.axisLabels(xTicks, width: plotColumns) + "\n"
        out += String(repeating: " ", count: labelWidth + 2) + PlotText.center(o.dim(xLabel), plotColumns + (o.color ? 8 : 0)) + "\n"
        if series.count > 1 || !(series.first?.name.isEmpty ?? true) {
            out += legend(o, indent: labelWidth + 2)
        }
        out += o.notes(footnotes)
        return out
    }

    func legend(_ o: PlotOptions, indent: Int) -> String {
        var items: [String] = []
        for (k, s) in series.enumerated() {
            // In ASCII each series has its own marker; otherwise colour tells them apart.
            let marker = o.style == .ascii || (!o.color && series.count > 1) ? String(Canvas.markers[k % Canvas.markers.count]) : (o.unicode ? "●" : "*")
            items.append(o.paint(marker, series: k) + " " + s.name)
        }
        var out = ""
        var line = String(repeating: " ", count: indent)
        var lineLength = indent
        for (item, s) in zip(items, series) {
            let length = s.name.count + 4
            if lineLength + length > o.width && lineLength > indent {
                out += line + "\n"
                line = String(repeating: " ", count: indent)
                lineLength = indent
            }
            line += item + "   "
            lineLength += length
        }
        return out + line.trimmingTrailingSpaces() + "\n"
    }
}
