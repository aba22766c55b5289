/// How plots are drawn in text: braille dots (2×4 per cell), block quadrants (2×2), or ASCII (1×1).
public enum PlotStyle: String, Sendable, CaseIterable {
    case braille, block, ascii

    /// Dots per character cell, across and down.
    public var dots: (x: Int, y: Int) {
        switch self {
        case .braille: return (2, 4)
        case .block: return (2, 2)
        case .ascii: return (1, 1)
        }
    }
}

/// An integer pixel grid: each pixel records which series set it (or none). Pixels are drawn
/// into character cells by the style; a cell takes the colour of the last series drawn in it.
public struct Canvas: Sendable {
    public let columns: Int
    public let rows: Int
    public let style: PlotStyle
    /// Pixel grid, row 0 at the top; 0 = empty, else series index + 1.
    public private(set) var pixels: [UInt8]

    public init(columns: Int, rows: Int, style: PlotStyle) {
        self.columns = max(1, columns)
        self.rows = max(1, rows)
        self.style = style
        pixels = [UInt8](repeating: 0, count: self.columns * style.dots.x * self.rows * style.dots.y)
    }

    public var width: Int { columns * style.dots.x }
    public var height: Int { rows * style.dots.y }

    /// Sets pixel (x, y), with (0, 0) at the bottom left; outside the grid does nothing.
    public mutating func set(_ x: Int, _ y: Int, series: Int) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        pixels[(height - 1 - y) * width + x] = UInt8(min(254, series + 1))
    }

    public func get(_ x: Int, _ y: Int) -> Int {
        guard x >= 0, y >= 0, x < width, y < height else { return 0 }
        return Int(pixels[(height - 1 - y) * width + x])
    }

    /// The pixel of a point in [0, 1] × [0, 1].
    public func pixel(_ fx: Double, _ fy: Double) -> (Int, Int) {
        (Int((fx * Double(width - 1)).rounded()), Int((fy * Double(height - 1)).rounded()))
    }

    /// A straight line between two pixels (Bresenham).
    public mutating func line(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, series: Int) {
        var x = x0, y = y0
        let dx = abs(x1 - x0), dy = -abs(y1 - y0)
        let sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var err = dx + dy
        var steps = 0
        while steps < 100_000 {
            set(x, y, series: series)
            if x == x1 && y == y1 { break }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x += sx }
            if e2 <= dx { err += dx; y += sy }
            steps += 1
        }
    }

    /// The character for each cell, with the series whose colour it takes (nil when empty).
    /// One ASCII marker per series.
    public static let markers: [Character] = ["*", "+", "x", "o", "#", "@", "%", "="]

    public func cells(markers: [Character] = Canvas.markers) -> [[(Character, Int?)]] {
        let (dx, dy) = style.dots
        var out: [[(Character, Int?)]] = []
        for r in 0..<rows {
            var line: [(Character, Int?)] = []
            for c in 0..<columns {
                var bits = 0
                var series: Int? = nil
                for j in 0..<dy {
                    for i in 0..<dx {
                        let p = pixels[(r * dy + j) * width + c * dx + i]
                        if p != 0 {
                            series = Int(p) - 1
                            bits |= Canvas.bit(style, i, j)
                        }
                    }
                }
                guard let s = series else { line.append((" ", nil)); continue }
                switch style {
                case .braille:
                    line.append((Character(Unicode.Scalar(0x2800 + UInt32(bits))!), s))
                case .block:
                    line.append((Canvas.quadrants[bits], s))
                case .ascii:
                    line.append((markers[s % markers.count], s))
                }
            }
            out.append(line)
        }
        return out
    }

    static func bit(_ style: PlotStyle, _ i: Int, _ j: Int) -> Int {
        switch style {
        case .braille:
            // Braille dots: 1 4 / 2 5 / 3 6 / 7 8, bits 0…7.
            let map = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]]
            return map[j][i]
        case .block:
            return [[1, 2], [4, 8]][j][i]
        case .ascii:
            return 1
        }
    }

    /// Quadrant blocks by bits: 1 upper left, 2 upper right, 4 lower left, 8 lower right.
    static let quadrants: [Character] = [" ", "▘", "▝", "▀", "▖", "▌", "▞", "▛", "▗", "▚", "▐", "▜", "▄", "▙", "▟", "█"]
}
