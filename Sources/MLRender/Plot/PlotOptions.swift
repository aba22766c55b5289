import MLDiagnostics
/// Options every plot takes, validated once before drawing.
public struct PlotOptions: Sendable {
    /// Total width in characters, axes and labels included.
    public var width: Int
    /// Height of the plotting area in character rows.
    public var height: Int
    public var title: String?
    public var style: PlotStyle
    public var logX = false
    public var logY = false
    /// ANSI colours, one per series.
    public var color: Bool
    public var unicode: Bool

    public init(width: Int, height: Int, title: String? = nil, style: PlotStyle, color: Bool, unicode: Bool) {
        self.width = width
        self.height = height
        self.title = title
        self.style = style
        self.color = color
        self.unicode = unicode
    }

    /// The smallest width the axes, labels and a plot area need.
    public static let minimumWidth = 30
    public static let minimumHeight = 4

    /// Eight colours that stay apart on dark and light terminals (ANSI 256 codes).
    public static let palette = [33, 208, 70, 161, 141, 37, 178, 244]

    func paint(_ text: String, series: Int?) -> String {
        guard color, let s = series else { return text }
        return "\u{1B}[38;5;\(PlotOptions.palette[s % PlotOptions.palette.count])m\(text)\u{1B}[0m"
    }

    func dim(_ text: String) -> String { color ? "\u{1B}[2m\(text)\u{1B}[0m" : text }

    /// The notes under a plot, each wrapped to the plot's width and dimmed.
    func notes(_ footnotes: [String]) -> String {
        footnotes.map { note in
            TextWidth.wrap("note: " + note, width: width).split(separator: "\n").map { dim(String($0)) + "\n" }.joined()
        }.joined()
    }

    var hline: String { unicode ? "─" : "-" }
    var vline: String { unicode ? "│" : "|" }
    var corner: String { unicode ? "└" : "+" }
    var tick: String { unicode ? "┬" : "+" }
    var ytick: String { unicode ? "┤" : "+" }
}

/// Text helpers shared by the plots.
enum PlotText {
    static func pad(_ s: String, _ w: Int, right: Bool = false) -> String {
        let n = s.count
        if n >= w { return s }
        return right ? String(repeating: " ", count: w - n) + s : s + String(repeating: " ", count: w - n)
    }

    static func center(_ s: String, _ w: Int) -> String {
        let n = s.count
        guard n < w else { return s }
        return String(repeating: " ", count: (w - n) / 2) + s
    }

    static func cut(_ s: String, _ w: Int) -> String {
        s.count <= w ? s : String(s.prefix(max(0, w - 1))) + "…"
    }

    /// Tick labels spread along `width` characters at their positions, dropping any that would
    /// touch a neighbour; the first and last are kept.
    static func axisLabels(_ ticks: [(position: Double, label: String)], width: Int) -> String {
        var line = [Character](repeating: " ", count: width)
        var taken: [(Int, Int)] = []
        let order = ticks.indices.count > 2 ? [0, ticks.count - 1] + Array(1..<(ticks.count - 1)) : Array(ticks.indices)
        for k in order {
            let t = ticks[k]
            let chars = Array(t.label)
            let center = Int((t.position * Double(width - 1)).rounded())
            var start = center - chars.count / 2
            start = max(0, min(width - chars.count, start))
            let end = start + chars.count
            if taken.contains(where: { start < $0.1 + 1 && end + 1 > $0.0 }) { continue }
            for (i, ch) in chars.enumerated() where start + i < width && start + i >= 0 { line[start + i] = ch }
            taken.append((start, end))
        }
        return String(line)
    }
}
