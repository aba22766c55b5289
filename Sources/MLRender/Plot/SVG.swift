/// SVG pictures of the plots for reports and slides. They use the plots' own scales and ticks,
/// so the picture and the text plot agree.
public enum SVG {
    static let colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#17becf", "#bcbd22", "#7f7f7f"]

    static func esc(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(ch)
            }
        }
        return out
    }

    static func f(_ v: Double) -> String { NumberFormat.trimZeros(NumberFormat.c("%.2f", v)) }

    /// The frame: a plot area with axes, ticks and labels, a title, a legend; `body` draws inside.
    struct Frame {
        /// The left margin fits the longest y label (about 7 px a character at 12 px).
        init(yLabelChars: Int = 6) {
            left = max(70, Double(yLabelChars) * 7 + 24)
            width = left + 550
        }
        let width: Double, height = 400.0
        let left: Double, right = 20.0, top = 40.0, bottom = 60.0
        var legendRows = 0
        var plotWidth: Double { width - left - right }
        var plotHeight: Double { height - top - bottom }
        func x(_ p: Double) -> Double { left + p * plotWidth }
        func y(_ p: Double) -> Double { top + (1 - p) * plotHeight }
    }

    static func document(_ frame: Frame, title: String?, body: String, xTicks: [(Double, String)], yTicks: [(Double, String)],
                         xLabel: String, yLabel: String, legend: [String], notes: [String]) -> String {
        let extra = Double(legend.isEmpty ? 0 : 24) + Double(notes.count * 16)
        var s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        s += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(frame.width))\" height=\"\(f(frame.height + extra))\" viewBox=\"0 0 \(f(frame.width)) \(f(frame.height + extra))\" font-family=\"sans-serif\" font-size=\"12\">\n"
        s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        if let title { s += "<text x=\"\(f(frame.width / 2))\" y=\"24\" text-anchor=\"middle\" font-size=\"16\">\(esc(title))</text>\n" }
        s += "<g class=\"grid\" stroke=\"#e6e6e6\">\n"
        for (p, _) in yTicks { s += "<line x1=\"\(f(frame.x(0)))\" x2=\"\(f(frame.x(1)))\" y1=\"\(f(frame.y(p)))\" y2=\"\(f(frame.y(p)))\"/>\n" }
        s += "</g>\n"
        s += body
        s += "<g class=\"axes\" stroke=\"black\">\n"
        s += "<line x1=\"\(f(frame.x(0)))\" x2=\"\(f(frame.x(1)))\" y1=\"\(f(frame.y(0)))\" y2=\"\(f(frame.y(0)))\"/>\n"
        s += "<line x1=\"\(f(frame.x(0)))\" x2=\"\(f(frame.x(0)))\" y1=\"\(f(frame.y(0)))\" y2=\"\(f(frame.y(1)))\"/>\n"
        s += "</g>\n<g class=\"xticks\" text-anchor=\"middle\">\n"
        for (p, label) in xTicks {
            s += "<line x1=\"\(f(frame.x(p)))\" x2=\"\(f(frame.x(p)))\" y1=\"\(f(frame.y(0)))\" y2=\"\(f(frame.y(0) + 5))\" stroke=\"black\"/>"
            s += "<text x=\"\(f(frame.x(p)))\" y=\"\(f(frame.y(0) + 18))\">\(esc(label))</text>\n"
        }
        s += "</g>\n<g class=\"yticks\" text-anchor=\"end\">\n"
        for (p, label) in yTicks {
            s += "<line x1=\"\(f(frame.x(0) - 5))\" x2=\"\(f(frame.x(0)))\" y1=\"\(f(frame.y(p)))\" y2=\"\(f(frame.y(p)))\" stroke=\"black\"/>"
            s += "<text x=\"\(f(frame.x(0) - 8))\" y=\"\(f(frame.y(p) + 4))\">\(esc(label))</text>\n"
        }
        s += "</g>\n"
        s += "<text class=\"xlabel\" x=\"\(f(frame.x(0.5)))\" y=\"\(f(frame.height - 20))\" text-anchor=\"middle\">\(esc(xLabel))</text>\n"
        s += "<text class=\"ylabel\" transform=\"translate(16 \(f(frame.y(0.5)))) rotate(-90)\" text-anchor=\"middle\">\(esc(yLabel))</text>\n"
        if !legend.isEmpty {
            s += "<g class=\"legend\">\n"
            var x = frame.left
            for (k, name) in legend.enumerated() {
                s += "<rect x=\"\(f(x))\" y=\"\(f(frame.height - 2))\" width=\"10\" height=\"10\" fill=\"\(colors[k % colors.count])\"/>"
                s += "<text x=\"\(f(x + 14))\" y=\"\(f(frame.height + 8))\">\(esc(name))</text>\n"
                x += 24 + Double(name.count) * 7
            }
            s += "</g>\n"
        }
        for (k, note) in notes.enumerated() {
            s += "<text class=\"note\" x=\"\(f(frame.left))\" y=\"\(f(frame.height + extra - Double(notes.count - k - 1) * 16 - 4))\" fill=\"#555\">note: \(esc(note))</text>\n"
        }
        return s + "</svg>\n"
    }

    public static func render(_ p: XYPlot, _ o: PlotOptions) -> String {
        let (xs, ys) = p.scales(o)
        let frame = Frame()
        var body = "<g class=\"marks\">\n"
        for (k, s) in p.series.enumerated() {
            let color = colors[k % colors.count]
            let points = zip(s.xs, s.ys).filter { $0.0.isFinite && $0.1.isFinite && (!o.logX || $0.0 > 0) && (!o.logY || $0.1 > 0) }
            if s.connect {
                let path = points.map { "\(f(frame.x(xs.position($0.0)))),\(f(frame.y(ys.position($0.1))))" }.joined(separator: " ")
                body += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\" points=\"\(path)\"/>\n"
            } else {
                for (x, y) in points {
                    body += "<circle cx=\"\(f(frame.x(xs.position(x))))\" cy=\"\(f(frame.y(ys.position(y))))\" r=\"2.5\" fill=\"\(color)\" fill-opacity=\"0.7\"/>\n"
                }
            }
        }
        body += "</g>\n"
        let legend = p.series.count > 1 || !(p.series.first?.name.isEmpty ?? true) ? p.series.map(\.name) : []
        return document(frame, title: o.title, body: body,
                        xTicks: xs.tickLabels(count: 8).map { (xs.position($0.value), $0.label) },
                        yTicks: ys.tickLabels(count: 6).map { (ys.position($0.value), $0.label) },
                        xLabel: p.xLabel, yLabel: p.yLabel, legend: legend, notes: p.footnotes)
    }

    public static func render(_ p: BarPlot, _ o: PlotOptions) -> String {
        let frame = Frame()
        let vs = p.scale
        var body = "<g class=\"marks\" fill=\"\(colors[0])\">\n"
        if p.bars.allSatisfy({ $0.range != nil }), let first = p.bars.first?.range, let last = p.bars.last?.range {
            // A histogram: vertical bars over the bins' ranges.
            let xs = Scale(low: first.0, high: last.1)
            // by=: each group's bar side by side within its bin, in the group's colour.
            var groups: [String] = []
            for b in p.bars { if let g = b.group, !groups.contains(g) { groups.append(g) } }
            let lanes = Double(max(1, groups.count))
            for b in p.bars {
                let (a, c) = b.range!
                let lane = Double(b.group.flatMap { groups.firstIndex(of: $0) } ?? 0)
                let left = frame.x(xs.position(a)), right = frame.x(xs.position(c)), w = (right - left) / lanes
                let x0 = left + lane * w, x1 = x0 + w
                let y0 = frame.y(vs.position(0)), y1 = frame.y(vs.position(b.value))
                let fill = groups.isEmpty ? "" : " fill=\"\(colors[Int(lane) % colors.count])\""
                body += "<rect x=\"\(f(x0))\" y=\"\(f(min(y0, y1)))\" width=\"\(f(max(0, x1 - x0 - 1)))\" height=\"\(f(abs(y0 - y1)))\"\(fill)><title>\(esc(b.label)): \(p.valueText(b.value))</title></rect>\n"
            }
            body += "</g>\n"
            let ticks = Scale(covering: [first.0, last.1]).tickLabels(count: 8).filter { $0.value >= first.0 && $0.value <= last.1 }
            return document(frame, title: o.title, body: body, xTicks: ticks.map { (xs.position($0.value), $0.label) },
                            yTicks: vs.tickLabels(count: 6).map { (vs.position($0.value), $0.label) },
                            xLabel: p.categoryLabel, yLabel: p.valueLabel, legend: groups, notes: p.footnotes)
        }
        // Categories: vertical bars, one slot each, labelled below.
        let n = Double(max(1, p.bars.count))
        for (k, b) in p.bars.enumerated() {
            let x0 = frame.x((Double(k) + 0.1) / n), x1 = frame.x((Double(k) + 0.9) / n)
            let y0 = frame.y(vs.position(0)), y1 = frame.y(vs.position(b.value))
            body += "<rect x=\"\(f(x0))\" y=\"\(f(min(y0, y1)))\" width=\"\(f(x1 - x0))\" height=\"\(f(abs(y0 - y1)))\"><title>\(esc(b.label)): \(p.valueText(b.value))</title></rect>\n"
        }
        body += "</g>\n"
        return document(frame, title: o.title, body: body,
                        xTicks: p.bars.enumerated().map { ((Double($0.offset) + 0.5) / n, $0.element.label) },
                        yTicks: vs.tickLabels(count: 6).map { (vs.position($0.value), $0.label) },
                        xLabel: p.categoryLabel, yLabel: p.valueLabel, legend: [], notes: p.footnotes)
    }

    public static func render(_ p: BoxPlot, _ o: PlotOptions) -> String {
        let frame = Frame(yLabelChars: p.boxes.map(\.label.count).max() ?? 6)
        let s = p.scale(o)
        let n = Double(max(1, p.boxes.count))
        var body = "<g class=\"marks\" stroke=\"black\">\n"
        for (k, b) in p.boxes.enumerated() {
            // Rows from the top, like the text plot.
            let yc = frame.y(1 - (Double(k) + 0.5) / n), h = frame.plotHeight / n * 0.5
            let x = { (v: Double) in frame.x(s.position(v)) }
            body += "<line x1=\"\(f(x(b.low)))\" x2=\"\(f(x(b.high)))\" y1=\"\(f(yc))\" y2=\"\(f(yc))\"/>"
            body += "<rect x=\"\(f(x(b.q1)))\" y=\"\(f(yc - h / 2))\" width=\"\(f(x(b.q3) - x(b.q1)))\" height=\"\(f(h))\" fill=\"\(colors[k % colors.count])\" fill-opacity=\"0.6\"/>"
            body += "<line x1=\"\(f(x(b.median)))\" x2=\"\(f(x(b.median)))\" y1=\"\(f(yc - h / 2))\" y2=\"\(f(yc + h / 2))\" stroke-width=\"2\"/>\n"
            for v in b.outliers { body += "<circle cx=\"\(f(x(v)))\" cy=\"\(f(yc))\" r=\"2\" fill=\"none\"/>" }
        }
        body += "</g>\n"
        return document(frame, title: o.title, body: body,
                        xTicks: s.tickLabels(count: 8).map { (s.position($0.value), $0.label) },
                        yTicks: p.boxes.enumerated().map { (1 - (Double($0.offset) + 0.5) / n, $0.element.label) },
                        xLabel: p.valueLabel, yLabel: "", legend: [], notes: p.footnotes)
    }

    public static func render(_ p: HeatmapPlot, _ o: PlotOptions) -> String {
        let frame = Frame(yLabelChars: p.rowLabels.map(\.count).max() ?? 6)
        let rows = Double(max(1, p.rowLabels.count)), cols = Double(max(1, p.columnLabels.count))
        var body = "<g class=\"cells\" font-size=\"11\" text-anchor=\"middle\">\n"
        for (r, row) in p.values.enumerated() {
            for (c, v) in row.enumerated() {
                let x0 = frame.x(Double(c) / cols), x1 = frame.x(Double(c + 1) / cols)
                let y0 = frame.y(1 - Double(r) / rows), y1 = frame.y(1 - Double(r + 1) / rows)
                let fill: String
                if v.isNaN {
                    fill = "#ffffff"
                } else if p.diverging {
                    // Correlations: blue below the middle, red above, white at it.
                    let mid = (p.range.0 + p.range.1) / 2, half = (p.range.1 - p.range.0) / 2
                    let t = max(-1, min(1, (v - mid) / max(half, 1e-300)))
                    let red = t > 0 ? 255 : Int(255 * (1 + t)), blue = t < 0 ? 255 : Int(255 * (1 - t)), green = Int(255 * (1 - abs(t)))
                    fill = "rgb(\(red),\(green),\(blue))"
                } else {
                    // Counts (a confusion matrix): white at the low end to blue at the high, as the
                    // terminal's shading from light to dark; the numbers stay readable on both.
                    let t = max(0, min(1, (v - p.range.0) / max(p.range.1 - p.range.0, 1e-300)))
                    fill = "rgb(\(Int(255 - 180 * t)),\(Int(255 - 120 * t)),255)"
                }
                body += "<rect x=\"\(f(x0))\" y=\"\(f(y0))\" width=\"\(f(x1 - x0))\" height=\"\(f(y1 - y0))\" fill=\"\(fill)\" stroke=\"white\"/>"
                body += "<text x=\"\(f((x0 + x1) / 2))\" y=\"\(f((y0 + y1) / 2 + 4))\">\(esc(p.cellText(v)))</text>\n"
            }
        }
        body += "</g>\n"
        return document(frame, title: o.title, body: body,
                        xTicks: p.columnLabels.enumerated().map { ((Double($0.offset) + 0.5) / cols, $0.element) },
                        yTicks: p.rowLabels.enumerated().map { (1 - (Double($0.offset) + 0.5) / rows, $0.element) },
                        xLabel: "", yLabel: "", legend: [], notes: p.footnotes)
    }
}
