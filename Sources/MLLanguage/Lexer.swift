import MLDiagnostics

/// Turns source text into tokens. Comments (`#`, `#'` prose, `#>` output) are skipped; newlines
/// inside brackets and after a `\` are not tokens, so such input continues on the next line.
public struct Lexer {
    private let file: SourceFile
    private let bytes: [UInt8]
    private var pos = 0
    private var brackets: [UInt8] = []
    public private(set) var diagnostics: [Diagnostic] = []

    public init(file: SourceFile) {
        self.file = file
        self.bytes = Array(file.text.utf8)
    }

    public static func tokenize(_ file: SourceFile) -> (tokens: [Token], diagnostics: [Diagnostic]) {
        var lexer = Lexer(file: file)
        var tokens: [Token] = []
        while true {
            let t = lexer.next()
            tokens.append(t)
            if t.kind == .eof { break }
        }
        return (tokens, lexer.diagnostics)
    }

    private func peek(_ k: Int = 0) -> UInt8 { pos + k < bytes.count ? bytes[pos + k] : 0 }

    private mutating func error(_ message: String, _ start: Int, _ end: Int, id: Diagnostic.ID = .syntaxError, hint: String? = nil) {
        diagnostics.append(Diagnostic(id, .error, message, file: file, range: SourceRange(start, end), hint: hint))
    }

    public mutating func next() -> Token {
        // A loop, not a call per unknown character: a run of thousands of them (a binary file
        // read as a script) overflowed the stack.
        while true {
            skipSpaceAndComments()
            let start = pos
            guard pos < bytes.count else { return Token(.eof, "", range: SourceRange(pos, pos)) }
            let c = bytes[pos]
            if c == UInt8(ascii: "\n") {
                pos += 1
                return Token(.newline, "\n", range: SourceRange(start, pos))
            }
            if isDigit(c) || (c == UInt8(ascii: ".") && isDigit(peek(1))) { return number() }
            if isWordStart(c) { return word() }  // (reads bytes[pos])
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") { return string(quote: c) }
            if c == UInt8(ascii: "`") { return quotedName() }
            if let token = punct() { return token }
        }
    }

    private mutating func skipSpaceAndComments() {
        while pos < bytes.count {
            let c = bytes[pos]
            if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") {
                pos += 1
            } else if c == UInt8(ascii: "\n") && !brackets.isEmpty {
                pos += 1
            } else if c == UInt8(ascii: "#") {
                while pos < bytes.count && bytes[pos] != UInt8(ascii: "\n") { pos += 1 }
            } else if c == UInt8(ascii: "\\") {
                // A backslash ends the line: the command continues on the next one.
                var k = pos + 1
                while k < bytes.count, bytes[k] == UInt8(ascii: " ") || bytes[k] == UInt8(ascii: "\t") || bytes[k] == UInt8(ascii: "\r") { k += 1 }
                if k >= bytes.count {
                    error("the line ends with '\\', so the command continues on the next line", pos, pos + 1, id: .incompleteInput)
                    pos = k
                } else if bytes[k] == UInt8(ascii: "\n") {
                    pos = k + 1
                } else {
                    return
                }
            } else {
                return
            }
        }
    }

    private func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
    private func isWordStart(_ c: UInt8) -> Bool {
        (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == UInt8(ascii: "_") || (c >= 0xC0 && letterLength(at: pos) > 0)
    }

    /// The byte length of the letter (or digit) that starts at `at`, or 0: names may use any
    /// alphabet, but a non-breaking space or a stray symbol is not part of a name.
    private func letterLength(at: Int) -> Int {
        guard at < bytes.count else { return 0 }
        let c = bytes[at]
        if c < 0x80 {
            return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == UInt8(ascii: "_") || isDigit(c) ? 1 : 0
        }
        let length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0
        guard length > 0, at + length <= bytes.count else { return 0 }
        let text = String(decoding: bytes[at..<(at + length)], as: UTF8.self)
        guard let scalar = text.unicodeScalars.first, text.unicodeScalars.count == 1 else { return 0 }
        let p = scalar.properties
        return p.isAlphabetic || p.numericType != nil || p.generalCategory == .nonspacingMark ? length : 0
    }

    private mutating func word() -> Token {
        let start = pos
        while pos < bytes.count {
            var n = letterLength(at: pos)
            // A dot between letters stays in the name, as in R's column names: Sepal.Length, Solar.R.
            if n == 0, bytes[pos] == UInt8(ascii: "."), letterLength(at: pos + 1) > 0 { n = 1 }
            if n == 0 { break }
            pos += n
        }
        return Token(.word, text(start, pos), range: SourceRange(start, pos))
    }

    private func text(_ a: Int, _ b: Int) -> String { String(decoding: bytes[a..<b], as: UTF8.self) }

    private mutating func number() -> Token {
        let start = pos
        while isDigit(peek()) { pos += 1 }
        if peek() == UInt8(ascii: ".") && isDigit(peek(1)) {
            pos += 1
            while isDigit(peek()) { pos += 1 }
        } else if peek() == UInt8(ascii: ".") && letterLength(at: pos + 1) == 0 && peek(1) != UInt8(ascii: ".") {
            pos += 1  // "1." is a number, as in most languages
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            let sign = peek(1) == UInt8(ascii: "+") || peek(1) == UInt8(ascii: "-") ? 1 : 0
            if isDigit(peek(1 + sign)) {
                pos += 1 + sign
                while isDigit(peek()) { pos += 1 }
            }
        }
        let literal = text(start, pos)
        let value = Double(literal) ?? .nan
        if letterLength(at: pos) > 0 && !isDigit(peek()) {
            let suffixStart = pos
            while pos < bytes.count, letterLength(at: pos) > 0 { pos += letterLength(at: pos) }
            let suffix = text(suffixStart, pos)
            let scale: Double? = ["ms": 0.001, "s": 1, "m": 60, "h": 3600][suffix]
            if let scale {
                return Token(.duration, literal + suffix, number: value * scale, range: SourceRange(start, pos))
            }
            error("invalid number '\(literal + suffix)'", start, pos,
                  hint: "a number may end in a duration unit (ms, s, m, h); a name cannot start with a digit unless written in backticks: `\(literal + suffix)`")
            return Token(.number, literal, number: value, range: SourceRange(start, pos))
        }
        return Token(.number, literal, number: value, range: SourceRange(start, pos))
    }

    private mutating func string(quote: UInt8) -> Token {
        let start = pos
        pos += 1
        var out: [UInt8] = []
        while pos < bytes.count {
            let c = bytes[pos]
            if c == quote {
                pos += 1
                return Token(.string, String(decoding: out, as: UTF8.self), range: SourceRange(start, pos))
            }
            if c == UInt8(ascii: "\\") && pos + 1 < bytes.count {
                let e = bytes[pos + 1]
                switch e {
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "t"): out.append(9)
                case UInt8(ascii: "r"): out.append(13)
                case UInt8(ascii: "0"): out.append(0)
                case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "'"): out.append(e)
                case UInt8(ascii: "\n"): break
                default:
                    error("unknown escape '\\\(text(pos + 1, pos + 2))' in a string", pos, pos + 2,
                          hint: "the escapes are \\n \\t \\r \\\\ \\\" \\'; write \\\\ for a backslash")
                    out.append(e)
                }
                pos += 2
                continue
            }
            out.append(c)
            pos += 1
        }
        let q = quote == UInt8(ascii: "\"") ? "\"" : "'"
        error("unterminated string: the \(q) here is never closed", start, start + 1, id: .incompleteInput,
              hint: "end the string with \(q) (a string may span lines)")
        return Token(.string, String(decoding: out, as: UTF8.self), range: SourceRange(start, pos))
    }

    private mutating func quotedName() -> Token {
        let start = pos
        pos += 1
        let nameStart = pos
        while pos < bytes.count && bytes[pos] != UInt8(ascii: "`") && bytes[pos] != UInt8(ascii: "\n") { pos += 1 }
        if pos < bytes.count && bytes[pos] == UInt8(ascii: "`") {
            let name = text(nameStart, pos)
            pos += 1
            if name.isEmpty { error("empty name in backticks", start, pos) }
            return Token(.quotedName, name, range: SourceRange(start, pos))
        }
        error("unterminated name: the ` here is never closed", start, start + 1,
              hint: "a backtick name ends with ` on the same line")
        return Token(.quotedName, text(nameStart, pos), range: SourceRange(start, pos))
    }

    /// An operator or bracket; nil for an unknown character, which is reported and skipped.
    private mutating func punct() -> Token? {
        let start = pos
        let c = bytes[pos]
        let two = pos + 1 < bytes.count ? text(pos, pos + 2) : ""
        if ["==", "!=", "<=", ">="].contains(two) {
            pos += 2
            return Token(.punct, two, range: SourceRange(start, pos))
        }
        let singles: Set<UInt8> = Set("()[]{},;=<>+-*/%^~.:".utf8)
        if singles.contains(c) {
            pos += 1
            switch c {
            case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"): brackets.append(c)
            case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"): if !brackets.isEmpty { brackets.removeLast() }
            default: break
            }
            return Token(.punct, text(start, pos), range: SourceRange(start, pos))
        }
        // An unknown character: one whole UTF-8 sequence, reported, then skipped.
        var end = pos + 1
        while end < bytes.count && bytes[end] & 0xC0 == 0x80 { end += 1 }
        let ch = text(pos, end)
        var hint: String? = nil
        if ch == "&" { hint = "write 'and' for a logical and" }
        else if ch == "|" { hint = "write 'or' for a logical or" }
        else if ch == "!" { hint = "write 'not' for a logical not, or '!=' for not equal" }
        else if ch == "$" { hint = "script arguments are in the list 'args'" }
        error("unexpected character '\(ch)'", pos, end, hint: hint)
        pos = end
        return nil
    }
}

extension Diagnostic.ID {
    public static let syntaxError = Diagnostic.ID("syntax-error")
}
