import Ink

/// The prose of a report (`#'` lines, Markdown) as XHTML that is safe to put in a self-contained
/// page. Ink converts; before it, what Ink reads wrongly is rewritten (indented code blocks become
/// fenced ones, a paragraph's lines are joined, `_` and `*` inside words are kept from becoming
/// emphasis); after it, only the tags Markdown makes are kept, everything else is shown as text,
/// pictures (which would be fetched) become links, and stray `&` become `&amp;`.
enum ProseHTML {
    static func render(_ markdown: String, _ parser: MarkdownParser) -> String {
        let html = parser.html(from: protectInnerMarks(unwrapped(markdown)))
        return sanitized(html).replacingAll(String(underscore), with: "_").replacingAll(String(star), with: "*")
            .replacingAll(String(lessThan), with: "&lt;")
    }

    /// A stand-in for `<` in prose outside code: Ink reads a `<` as the start of raw HTML and may
    /// swallow the paragraphs after it; prose shows it as the character.
    static let lessThan: Character = "\u{E002}"

    /// Private-use stand-ins for `_` and `*` between two letters or digits (bill_length_mm, 2*3),
    /// which Ink would otherwise take for emphasis.
    static let underscore: Character = "\u{E000}", star: Character = "\u{E001}"

    static func protectInnerMarks(_ text: String) -> String {
        let chars = Array(text)
        var out = "", inFence = false, inSpan = false, lineStart = true
        for (i, ch) in chars.enumerated() {
            // Code (fenced blocks, `spans`) is left as it is: Ink escapes it itself.
            if lineStart, chars[i...].prefix(3).elementsEqual("```") { inFence.toggle() }
            lineStart = ch == "\n"
            if ch == "`", !inFence { inSpan.toggle() }
            if ch == "\n" { inSpan = false }
            if inFence || inSpan { out.append(ch); continue }
            if ch == "<" { out.append(lessThan); continue }
            if (ch == "_" || ch == "*"), i > 0, i + 1 < chars.count, chars[i - 1].isLetter || chars[i - 1].isNumber,
               chars[i + 1].isLetter || chars[i + 1].isNumber {
                out.append(ch == "_" ? underscore : star)
            } else {
                out.append(ch)
            }
        }
        return out
    }

    /// A paragraph's lines joined into one, as Markdown reads them anyway (Ink takes a line that
    /// starts with a code span for a new paragraph); lines indented by four spaces after a blank
    /// line become a fenced block (Ink has no indented code blocks). Lines that start a block (a
    /// heading, a list item, a quote, a table row, a fence) and fenced code stay as they are.
    static func unwrapped(_ markdown: String) -> String {
        var out: [String] = [], fenced = false, indentedBlock = false
        func startsBlock(_ line: String) -> Bool {
            let t = line.drop { $0 == " " }
            if t.isEmpty { return true }
            if ["#", ">", "|", "```", "- ", "* ", "+ "].contains(where: { t.hasPrefix($0) }) { return true }
            let digits = t.prefix { $0.isNumber }
            return !digits.isEmpty && t.dropFirst(digits.count).hasPrefix(". ")
        }
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.drop(while: { $0 == " " }).hasPrefix("```") { fenced.toggle(); out.append(line); continue }
            if fenced { out.append(line); continue }
            if line.hasPrefix("    ") && (indentedBlock || out.last.map { $0.isEmpty } ?? true) {
                if !indentedBlock { out.append("```"); indentedBlock = true }
                out.append(String(line.dropFirst(4)))
                continue
            }
            if indentedBlock { out.append("```"); indentedBlock = false }
            if !startsBlock(line), let last = out.last, !last.isEmpty, !last.hasPrefix("#"), !last.hasPrefix("|"), last != "```" {
                out[out.count - 1] = last + " " + line.drop { $0 == " " }
            } else {
                out.append(line)
            }
        }
        if indentedBlock { out.append("```") }
        return out.joined(separator: "\n")
    }

    /// The tags Markdown makes, which stay; any other `<` is text.
    static let allowed: Set<String> = ["p", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "code", "pre", "ul", "ol", "li",
                                       "blockquote", "hr", "br", "a", "table", "thead", "tbody", "tr", "th", "td", "del", "s"]

    static func sanitized(_ html: String) -> String {
        var out = ""
        var i = html.startIndex
        while i < html.endIndex {
            let ch = html[i]
            if ch == "<", let end = html[i...].firstIndex(of: ">"), let kept = tag(String(html[html.index(after: i)..<end])) {
                out += kept
                i = html.index(after: end)
            } else if ch == "<" {
                out += "&lt;"
                i = html.index(after: i)
            } else if ch == ">" {
                out += "&gt;"
                i = html.index(after: i)
            } else if ch == "&" {
                let rest = html[i...].prefix(12)
                out += isEntity(rest) ? "&" : "&amp;"
                i = html.index(after: i)
            } else {
                out.append(ch)
                i = html.index(after: i)
            }
        }
        return out
    }

    /// A tag Ink wrote, as XHTML, or nil when it is not one to keep (then it shows as text).
    static func tag(_ inside: String) -> String? {
        let closing = inside.hasPrefix("/")
        let body = closing ? String(inside.dropFirst()) : inside
        let name = String(body.prefix { $0.isLetter || $0.isNumber }).lowercased()
        if name == "img" && !closing {
            // A picture would be fetched: its alt text links to it instead.
            let src = attribute("src", in: body) ?? "", alt = attribute("alt", in: body) ?? src
            return "<a href=\"\(escapeAttribute(src))\">\(escapeAttribute(alt))</a>"
        }
        guard allowed.contains(name) else { return nil }
        let rest = body.dropFirst(name.count)
        if closing { return rest.allSatisfy(\.isWhitespace) ? "</\(name)>" : nil }
        if name == "a" {
            guard let href = attribute("href", in: body) else { return rest.allSatisfy(\.isWhitespace) ? "<a>" : nil }
            return "<a href=\"\(escapeAttribute(href))\">"
        }
        if name == "hr" || name == "br" { return "<\(name) />" }
        // Ink's code blocks say their language: class="language-mlsh".
        if name == "code", let c = attribute("class", in: body) { return "<code class=\"\(escapeAttribute(c))\">" }
        // Ink's table cells say their alignment.
        if name == "th" || name == "td", let a = attribute("align", in: body), ["left", "right", "center"].contains(a) { return "<\(name) align=\"\(a)\">" }
        return rest.allSatisfy({ $0.isWhitespace || $0 == "/" }) ? "<\(name)>" : nil
    }

    static func attribute(_ name: String, in tag: String) -> String? {
        guard let r = tag.firstRange(of: name + "=\"") else { return nil }
        // Ink leaves a picture's title in its source ("p.png \"x\"" becomes "p.png "): up to the space.
        let value = tag[r.upperBound...].prefix { $0 != "\"" }
        return String(value.split(separator: " ").first ?? "")
    }

    static func escapeAttribute(_ s: String) -> String {
        // Ink may already have escaped some: undo, then escape once.
        let raw = s.replacingAll("&amp;", with: "&").replacingAll("&lt;", with: "<").replacingAll("&gt;", with: ">").replacingAll("&quot;", with: "\"")
        return SVG.esc(raw)
    }

    /// `&name;` for XML's five names, or a character reference `&#…;`.
    static func isEntity(_ s: Substring) -> Bool {
        for e in ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"] where s.hasPrefix(e) { return true }
        guard s.hasPrefix("&#"), let semi = s.firstIndex(of: ";") else { return false }
        let digits = s[s.index(s.startIndex, offsetBy: 2)..<semi]
        if digits.hasPrefix("x") { return digits.count > 1 && digits.dropFirst().allSatisfy(\.isHexDigit) }
        return !digits.isEmpty && digits.allSatisfy(\.isNumber)
    }
}
