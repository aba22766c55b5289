/// Terminal columns, and prose wrapped to fit them. Tables and plots lay themselves out to a
/// width; messages (a load report, a note, a warning) are prose and wrap here instead, so no line
/// mlsh prints is wider than the width it was given.
public enum TextWidth {
    /// Terminal columns a text takes: East Asian wide characters and emoji take two.
    public static func of(_ s: some StringProtocol) -> Int {
        var w = 0
        for ch in s { w += of(ch) }
        return w
    }

    public static func of(_ ch: Character) -> Int {
        guard let v = ch.unicodeScalars.first?.value else { return 0 }
        if v < 0x1100 { return 1 }
        if (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
            || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1FAFF).contains(v) || (0x20000...0x3FFFD).contains(v) {
            return 2
        }
        return 1
    }

    /// Each line of `text` that is wider than `width`, broken at spaces. The lines it continues on
    /// line up under its second column when it has one (`  name   what it does`, as help and
    /// lists print), else two columns right of its own indent. A word longer than a line is cut.
    /// Lines that fit are left exactly as they are (escape codes and all).
    public static func wrap(_ text: String, width: Int) -> String {
        guard width >= 20, !text.isEmpty else { return text }
        var out: [Substring] = []
        var changed = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.utf8.count <= width || of(line) <= width || line.contains("\u{1B}") {
                out.append(line)
                continue
            }
            changed = true
            out += wrapLine(line, width: width)
        }
        return changed ? out.joined(separator: "\n") : text
    }

    /// Where a second column starts (its column, and how many characters come before it): the
    /// first text after a run of two or more spaces.
    static func secondColumn(_ line: Substring, after indent: Int) -> (column: Int, characters: Int)? {
        var column = 0
        var characters = 0
        var spaces = 0
        for ch in line {
            if ch == " " {
                spaces += 1
            } else {
                if spaces >= 2 && column > indent + 1 { return (column, characters) }
                spaces = 0
            }
            column += of(ch)
            characters += 1
        }
        return nil
    }

    /// The words of a line; a short group in brackets ("(64 B)", "(1 of 3)") stays one word.
    static func words(_ text: Substring) -> [Substring] {
        var out: [Substring] = []
        var open: Substring.Index? = nil
        for word in text.split(separator: " ") {
            if let start = open {
                if word.hasSuffix(")") { out.append(text[start..<word.endIndex]); open = nil }
                else if text.distance(from: start, to: word.endIndex) > 20 {
                    out += text[start..<word.endIndex].split(separator: " ")
                    open = nil
                }
                continue
            }
            if word.hasPrefix("(") && !word.hasSuffix(")") { open = word.startIndex } else { out.append(word) }
        }
        if let start = open { out += text[start...].split(separator: " ") }
        return out
    }

    static func wrapLine(_ line: Substring, width: Int) -> [Substring] {
        let indent = line.prefix(while: { $0 == " " }).count
        // A line in two columns keeps its first column as it is and wraps the second under itself.
        let second = secondColumn(line, after: indent).flatMap { $0.column <= width / 2 ? $0 : nil }
        let hanging = String(repeating: " ", count: second?.column ?? min(indent + 2, width / 2))
        let head = line.prefix(second?.characters ?? indent)
        var lines: [Substring] = []
        var current = String(head)
        var used = of(head)
        var empty = true  // no word on the current line yet
        for word in words(line.dropFirst(head.count)) {
            let w = of(word)
            if !empty && used + 1 + w > width {
                lines.append(Substring(current))
                (current, used, empty) = (hanging, hanging.count, true)
            }
            guard empty && used + w > width else {
                current += (empty ? "" : " ") + word
                used += (empty ? 0 : 1) + w
                empty = false
                continue
            }
            // A word wider than a whole line is cut into pieces that fit.
            var rest = word
            while used + of(rest) > width {
                var piece = Substring()
                var pw = used
                for ch in rest {
                    if pw + of(ch) > width && !piece.isEmpty { break }
                    piece.append(ch)
                    pw += of(ch)
                }
                lines.append(Substring(current + piece))
                rest = rest.dropFirst(piece.count)
                (current, used) = (hanging, hanging.count)
            }
            current += rest
            used += of(rest)
            empty = rest.isEmpty
        }
        if !empty { lines.append(Substring(current)) }
        return lines
    }
}
