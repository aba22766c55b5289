/// A named piece of source text (a script file, `-c` text, or one REPL entry) with its line table.
public final class SourceFile: Sendable {
    /// The name shown in diagnostics: a path, `<input>` for the REPL, `<command>` for `-c`.
    public let name: String
    public let text: String
    /// Byte offsets (UTF-8) at which each line starts.
    private let lineStarts: [Int]
    /// The line number of the first line; a REPL entry or a transcript cell may start mid-file.
    public let firstLine: Int

    public init(name: String, text: String, firstLine: Int = 1) {
        self.name = name
        self.text = text
        self.firstLine = firstLine
        var starts = [0]
        var offset = 0
        for byte in text.utf8 {
            offset += 1
            if byte == UInt8(ascii: "\n") { starts.append(offset) }
        }
        self.lineStarts = starts
    }

    public var utf8Count: Int { text.utf8.count }

    /// The 1-based line and column (in characters) of a byte offset.
    public func location(of offset: Int) -> SourceLocation {
        let clamped = max(0, min(offset, utf8Count))
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= clamped { lo = mid } else { hi = mid - 1 }
        }
        let lineStart = lineStarts[lo]
        let utf8 = Array(text.utf8)
        let prefix = utf8[lineStart..<clamped]
        let column = String(decoding: prefix, as: UTF8.self).count + 1
        return SourceLocation(line: lo + firstLine, column: column, offset: clamped)
    }

    /// The text of a line (1-based, in this file's numbering) without its newline.
    public func lineText(_ line: Int) -> String {
        let index = line - firstLine
        guard index >= 0, index < lineStarts.count else { return "" }
        let utf8 = Array(text.utf8)
        let start = lineStarts[index]
        var end = index + 1 < lineStarts.count ? lineStarts[index + 1] - 1 : utf8.count
        if end > start, utf8[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return String(decoding: utf8[start..<max(start, end)], as: UTF8.self)
    }

    public var lastLine: Int { firstLine + lineStarts.count - 1 }
}

/// A point in a source file: 1-based line and column (columns count characters), plus the byte offset.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    public let line: Int
    public let column: Int
    public let offset: Int
    public init(line: Int, column: Int, offset: Int) {
        self.line = line
        self.column = column
        self.offset = offset
    }
    public var description: String { "\(line):\(column)" }
}

/// A half-open byte range in a source file.
public struct SourceRange: Sendable, Equatable {
    public let start: Int
    public let end: Int
    public init(_ start: Int, _ end: Int) {
        self.start = start
        self.end = max(start, end)
    }
    public func union(_ other: SourceRange) -> SourceRange {
        SourceRange(min(start, other.start), max(end, other.end))
    }
}
