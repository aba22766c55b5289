/// A row of bars, one per value, scaled to the largest: `▁▃▇█▅▂`.
public enum Sparkline {
    static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    static let ascii: [Character] = [".", ".", ":", ":", "-", "=", "#", "#"]

    public static func render(_ counts: [Int], unicode: Bool = true) -> String {
        guard let top = counts.max(), top > 0 else { return String(repeating: " ", count: counts.count) }
        let glyphs = unicode ? blocks : ascii
        return String(counts.map { n -> Character in
            if n == 0 { return " " }
            return glyphs[min(7, max(0, Int((Double(n) / Double(top) * 7).rounded(.up))))]
        })
    }

    /// Rates over time, right-aligned in `width` columns (the latest at the right), scaled from 0
    /// to the largest shown or `top`: every value gets a bar, 0 the lowest.
    public static func render(_ values: [Double], width: Int, top: Double? = nil, unicode: Bool = true) -> String {
        let glyphs = unicode ? blocks : ascii
        let shown = values.suffix(max(0, width))
        let high = max(top ?? 0, shown.filter(\.isFinite).max() ?? 0)
        var s = String(repeating: " ", count: max(0, width - shown.count))
        for v in shown {
            guard v.isFinite, high > 0 else { s.append(glyphs[0]); continue }
            s.append(glyphs[min(7, max(0, Int((max(0, v) / high * 7).rounded())))])
        }
        return s
    }
}
