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
}
