import MLDiagnostics
import MLFrame

/// Draws tables by DuckDB's rules: a type row under the header; head and tail around a `…`
/// row when long; numbers right-aligned; too wide → shrink the widest columns, then hide
/// middle columns and name them in the footer. Nothing is hidden silently.
public struct TableRenderer: Sendable {
    public var width: Int
    public var unicode: Bool
    public var missingText = "NA"
    /// Styles missing cells and type labels (dim) when colour is on.
    public var dim: @Sendable (String) -> String = { $0 }

    public init(width: Int, unicode: Bool = true) {
        self.width = max(20, width)
        self.unicode = unicode
    }

    public func render(_ table: TextTable, mode: TableMode = .box) -> String {
        // The data modes carry data only: the columns drawn for people are left out.
        var table = table
        if mode.isData {
            table.columns.removeAll { $0.decorative }
            for i in table.columns.indices { if let key = table.columns[i].key { table.columns[i].header = key } }
        }
        switch mode {
        case .box: return box(table)
        case .markdown: return markdown(table)
        case .csv: return csv(table)
        case .json: return json(table)
        }
    }

    // MARK: - Box

    static let minColumnWidth = 6
    static let maxColumnWidth = 40

    func box(_ table: TextTable) -> String {
        let g = unicode ? BoxGlyphs.unicode : BoxGlyphs.ascii
        if table.columns.isEmpty {
            let text = "\(table.totalRows == 1 ? "1 row" : "\(table.totalRows) rows") \(unicode ? "×" : "x") 0 columns"
            return g.tl + String(repeating: g.h, count: text.count + 2) + g.tr + "\n" + g.v + " " + text + " " + g.v + "\n"
                + g.bl + String(repeating: g.h, count: text.count + 2) + g.br + "\n"
        }
        var widths = table.columns.map { c -> Int in
            let cellWidth = c.cells.reduce(0) { max($0, displayWidth($1 ?? missingText)) }
            return min(TableRenderer.maxColumnWidth, max(displayWidth(c.header), displayWidth(c.typeLabel ?? ""), cellWidth, 1))
        }
        func total(_ ws: [Int]) -> Int { ws.reduce(0, +) + 3 * ws.count + 1 }
        // Shrink the widest column, one character at a time, down to a floor.
        while total(widths) > width, let i = widths.indices.max(by: { widths[$0] < widths[$1] }), widths[i] > TableRenderer.minColumnWidth {
            widths[i] -= 1
        }
        // Still too wide: keep columns from both ends, hide the middle ones.
        var shown = Array(table.columns.indices)
        var hidden: [Int] = []
        if total(widths) > width && table.columns.count > 1 {
            let gapWidth = 1 + 3
            var left: [Int] = [], right: [Int] = []
            var used = 1 + gapWidth
            var l = 0, r = table.columns.count - 1
            var takeLeft = true
            while l <= r {
                let i = takeLeft ? l : r
                let need = widths[i] + 3
                if used + need > width { break }
                used += need
                if takeLeft { left.append(i); l += 1 } else { right.insert(i, at: 0); r -= 1 }
                takeLeft.toggle()
            }
            if left.isEmpty { left = [0]; if l == 0 { l = 1 } }
            shown = left + right
            hidden = Array(table.columns.indices.filter { !shown.contains($0) })
        }
        // A narrow table is widened a little so that its footer reads well; a longer footer wraps.
        let footerText = table.footer ?? (table.shownRows < table.totalRows
            ? "\(table.totalRows) rows (\(table.shownRows) shown) × \(table.columns.count) columns"
            : "\(table.totalRows) rows × \(table.columns.count) columns")
        let shownWidth = shown.reduce(0) { $0 + widths[$1] + 3 } - 1 + (hidden.isEmpty ? 0 : 4)
        let wanted = min(footerText.count, 40)
        if let last = shown.last, shownWidth - 2 < wanted, hidden.isEmpty {
            widths[last] += min(wanted - (shownWidth - 2), max(0, width - total(widths)))
        }
        var cols: [(header: String, type: String, align: TextTable.Alignment, cells: [String?], width: Int)] = []
        for i in shown { cols.append((table.columns[i].header, table.columns[i].typeLabel ?? "", table.columns[i].alignment, table.columns[i].cells, widths[i])) }
        if !hidden.isEmpty {
            let insertAt = shown.firstIndex(where: { $0 > hidden[0] }) ?? cols.count
            cols.insert(("…", "", .left, Array(repeating: "…", count: table.shownRows), 1), at: insertAt)
        }
        var out = ""
        func rule(_ l: String, _ m: String, _ r: String) -> String {
            l + cols.map { String(repeating: g.h, count: $0.width + 2) }.joined(separator: m) + r + "\n"
        }
        func line(_ texts: [String], styled: [Bool] = []) -> String {
            var parts: [String] = []
            for (k, c) in cols.enumerated() {
                let t = fit(texts[k], c.width)
                let padded = c.align == .right ? pad(left: t, c.width) : pad(right: t, c.width)
                parts.append(" " + (k < styled.count && styled[k] ? dim(padded) : padded) + " ")
            }
            return g.v + parts.joined(separator: g.v) + g.v + "\n"
        }
        out += rule(g.tl, g.tm, g.tr)
        out += line(cols.map { $0.header })
        if cols.contains(where: { !$0.type.isEmpty }) {
            out += line(cols.map { $0.type }, styled: cols.map { _ in true })
        }
        out += rule(g.ml, g.mm, g.mr)
        let rows = table.shownRows
        for r in 0..<rows {
            if let gap = table.gapAfter, r == gap {
                out += line(cols.map { _ in "…" })
            }
            out += line(cols.map { $0.cells[r] ?? missingText }, styled: cols.map { $0.cells[r] == nil })
        }
        if rows == 0 {
            out += line(cols.map { _ in "" })
        }
        // The footer: row and column counts, and what was left out.
        var footer: [String] = []
        if let custom = table.footer {
            footer.append(custom + (hidden.isEmpty ? "" : " (\(shown.count) of \(table.columns.count) columns shown)"))
        } else {
        let rowText = table.totalRows == 1 ? "1 row" : "\(table.totalRows) rows"
        var counts = table.shownRows < table.totalRows ? "\(rowText) (\(table.shownRows) shown)" : rowText
        let colText = table.columns.count == 1 ? "1 column" : "\(table.columns.count) columns"
        let times = unicode ? "×" : "x"
        counts += hidden.isEmpty ? " \(times) \(colText)" : " \(times) \(colText) (\(shown.count) shown)"
        footer.append(counts)
        }
        if !hidden.isEmpty {
            footer += wrap("hidden: " + hidden.map { table.columns[$0].header }.joined(separator: ", "), total(cols.map(\.width)) - 4)
        }
        let inner = cols.reduce(0) { $0 + $1.width + 3 } - 1
        out += rule(g.ml, g.bm, g.mr)
        for f in footer.flatMap({ wrap($0, inner - 2) }) {
            out += g.v + " " + pad(right: fit(f, inner - 2), inner - 2) + " " + g.v + "\n"
        }
        out += g.bl + String(repeating: g.h, count: inner) + g.br + "\n"
        if let caption = table.caption { out += caption + "\n" }
        return out
    }

    /// A table without borders, columns two spaces apart and a rule under the header: for
    /// summaries (describe) that must fit 80 columns. Too wide: the widest columns shrink; still
    /// too wide at their narrowest: the last columns are left out, and a line under the table
    /// names them.
    public func plain(_ table: TextTable) -> String {
        var widths = table.columns.map { c -> Int in
            let cellWidth = c.cells.reduce(0) { max($0, displayWidth($1 ?? missingText)) }
            return max(displayWidth(c.header), cellWidth, 1)
        }
        var shown = widths.count
        func total() -> Int { widths.prefix(shown).reduce(0, +) + 2 * (shown - 1) }
        while total() > width {
            if let i = widths.prefix(shown).indices.max(by: { widths[$0] < widths[$1] }), widths[i] > TableRenderer.minColumnWidth {
                widths[i] -= 1
            } else if shown > 1 {
                shown -= 1
            } else {
                break
            }
        }
        func line(_ texts: [String?], styled: Bool = false) -> String {
            var parts: [String] = []
            for (k, c) in table.columns.prefix(shown).enumerated() {
                let t = fit(texts[k] ?? missingText, widths[k])
                let padded = c.alignment == .right ? pad(left: t, widths[k]) : pad(right: t, widths[k])
                parts.append(texts[k] == nil || styled ? dim(padded) : padded)
            }
            return parts.joined(separator: "  ").trimmingTrailingSpaces() + "\n"
        }
        var out = line(table.columns.map { $0.header })
        out += widths.prefix(shown).map { String(repeating: unicode ? "─" : "-", count: $0) }.joined(separator: "  ") + "\n"
        for r in 0..<table.shownRows {
            out += line(table.columns.map { $0.cells[r] })
        }
        if shown < table.columns.count {
            let hidden = table.columns.dropFirst(shown).map { $0.header }
            let note = "(\(hidden.count) more column\(hidden.count == 1 ? "" : "s") not shown: \(hidden.joined(separator: ", ")); a wider terminal or 'set maxwidth' shows them)"
            out += dim(wrap(note, width).joined(separator: "\n")) + "\n"
        }
        return out
    }

    func wrap(_ text: String, _ w: Int) -> [String] {
        guard w > 10, displayWidth(text) > w else { return [text] }
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            if !current.isEmpty && displayWidth(current) + 1 + word.count > w {
                lines.append(current)
                current = "  " + word
            } else {
                current += (current.isEmpty ? "" : " ") + word
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    // MARK: - Other modes

    func markdown(_ table: TextTable) -> String {
        // A cell stays in its cell: | escaped, a line break as <br>, and < and & as entities
        // (Markdown passes HTML through: a cell's "<!--" would hide the rest of the page).
        func esc(_ s: String) -> String {
            s.replacingAll("&", with: "&amp;").replacingAll("<", with: "&lt;").replacingAll("|", with: "\\|")
                .replacingAll("\r\n", with: "<br>").replacingAll("\n", with: "<br>").replacingAll("\r", with: "<br>")
        }
        var out = "| " + table.columns.map { esc($0.header) }.joined(separator: " | ") + " |\n"
        out += "|" + table.columns.map { $0.alignment == .right ? " ---: " : " --- " }.joined(separator: "|") + "|\n"
        for r in 0..<table.shownRows {
            if let gap = table.gapAfter, r == gap { out += "| " + table.columns.map { _ in "…" }.joined(separator: " | ") + " |\n" }
            out += "| " + table.columns.map { esc($0.machineCells[r] ?? missingText) }.joined(separator: " | ") + " |\n"
        }
        if table.shownRows < table.totalRows { out += "\n\(table.totalRows) rows (\(table.shownRows) shown)\n" }
        return out
    }

    func csv(_ table: TextTable) -> String {
        func field(_ s: String?) -> String {
            guard let s else { return "" }
            if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || s.hasPrefix(" ") || s.hasSuffix(" ") {
                return "\"" + s.replacingAll("\"", with: "\"\"") + "\""
            }
            return s
        }
        var out = table.columns.map { field($0.header) }.joined(separator: ",") + "\n"
        for r in 0..<table.shownRows {
            out += table.columns.map { field($0.machineCells[r]) }.joined(separator: ",") + "\n"
        }
        return out
    }

    func json(_ table: TextTable) -> String {
        var out = ""
        for r in 0..<table.shownRows {
            let fields = table.columns.map { c -> String in
                let value: String
                if let v = c.machineCells[r] {
                    value = c.alignment == .right && Double(v) != nil && !v.contains("inf") && !v.contains("NaN") ? v : jsonString(v)
                } else {
                    value = "null"
                }
                return jsonString(c.header) + ":" + value
            }
            out += "{" + fields.joined(separator: ",") + "}\n"
        }
        return out
    }

    // MARK: - Text helpers

    func displayWidth(_ s: String) -> Int { TextWidth.of(s) }

    func charWidth(_ ch: Character) -> Int { TextWidth.of(ch) }

    /// A cell's text on one line, cut with … to `w` columns. Line breaks and tabs become spaces and
    /// other control characters (an escape, a bell) are shown as �, so no cell can move the cursor.
    func fit(_ s: String, _ w: Int) -> String {
        var flat = s
        if s.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            var out = ""
            for u in s.unicodeScalars {
                if u == "\n" || u == "\t" || u == "\r" { out += " " }
                else if u.value < 0x20 || u.value == 0x7F { out += "\u{FFFD}" }
                else { out.unicodeScalars.append(u) }
            }
            flat = out
        }
        if displayWidth(flat) <= w { return flat }
        // A decimal number too wide is written again with fewer digits, never cut: a cut
        // "-6.8857e-…" would lose its exponent and read as a different number.
        if flat.contains(where: { $0 == "." || $0 == "e" }), let d = Double(flat), d.isFinite,
           let shorter = NumberFormat.fitting(d, width: w) {
            return shorter
        }
        var out = ""
        var used = 0
        for ch in flat {
            let cw = charWidth(ch)
            if used + cw > w - 1 { break }
            out.append(ch)
            used += cw
        }
        return out + "…"
    }

    func pad(left s: String, _ w: Int) -> String { String(repeating: " ", count: max(0, w - displayWidth(s))) + s }
    func pad(right s: String, _ w: Int) -> String { s + String(repeating: " ", count: max(0, w - displayWidth(s))) }
}

struct BoxGlyphs {
    let h, v, tl, tm, tr, ml, mm, mr, bl, bm, br: String
    static let unicode = BoxGlyphs(h: "─", v: "│", tl: "┌", tm: "┬", tr: "┐", ml: "├", mm: "┼", mr: "┤", bl: "└", bm: "┴", br: "┘")
    static let ascii = BoxGlyphs(h: "-", v: "|", tl: "+", tm: "+", tr: "+", ml: "+", mm: "+", mr: "+", bl: "+", bm: "+", br: "+")
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.hasSuffix(" ") { s = s.dropLast() }
        return String(s)
    }

    func replacingAll(_ target: String, with replacement: String) -> String {
        var out = ""
        var rest = Substring(self)
        while let r = rest.firstRange(of: target) {
            out += rest[..<r.lowerBound] + replacement
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}
