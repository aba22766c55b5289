/// A script run as a report (`mlsh render`): its prose, and each command with what it showed.
/// It knows nothing of the language: the shell fills it, `HTMLReport` and `MarkdownReport` write it.
public struct ReportDocument: Sendable {
    /// What one command showed, in order.
    public enum Piece: Sendable {
        case text(String)
        case error(String)
        /// A warning or a note the shell reported (not an error: the script went on).
        case warning(String)
        /// A table, with the text the terminal shows for it (the Markdown report's fallback).
        case table(TextTable, text: String)
        /// A plot as SVG, with its terminal drawing.
        case plot(svg: String, text: String)
    }

    public enum Cell: Sendable {
        /// `#'` lines, as Markdown.
        case prose(String)
        /// The command's source lines and what it showed; `ran` is false after the script stopped.
        case code(source: String, line: Int, pieces: [Piece], ran: Bool)
    }

    /// What makes the run reproducible, stamped at the foot of the report.
    public struct Stamp: Sendable {
        public var version: String
        public var seed: UInt64
        public var date: String
        /// Each file the script read, with its SHA-256 (nil when it cannot be read now).
        public var files: [(path: String, sha256: String?)]
        /// Where the script stopped, when it did (an error).
        public var stoppedAt: Int?
        /// The status `quit` (or `exit N`) ended the script with, when it did.
        public var quitCode: Int32?
        public init(version: String, seed: UInt64, date: String, files: [(path: String, sha256: String?)], stoppedAt: Int?) {
            self.version = version
            self.seed = seed
            self.date = date
            self.files = files
            self.stoppedAt = stoppedAt
        }
    }

    public var title: String
    public var source: String
    public var cells: [Cell]
    public var stamp: Stamp

    public init(title: String, source: String, cells: [Cell], stamp: Stamp) {
        self.title = title
        self.source = source
        self.cells = cells
        self.stamp = stamp
    }

    /// The first Markdown heading of the prose, else the script's name.
    public static func title(of cells: [Cell], fallback: String) -> String {
        for case .prose(let text) in cells {
            for line in text.split(separator: "\n") where line.hasPrefix("#") {
                let t = line.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)
                if !t.isEmpty { return t }
            }
        }
        return fallback
    }
}

extension Substring {
    func trimmingCharacters(in set: Set<Character>) -> String {
        var s = self
        while let c = s.first, set.contains(c) { s = s.dropFirst() }
        while let c = s.last, set.contains(c) { s = s.dropLast() }
        return String(s)
    }
}

extension Set where Element == Character {
    static let whitespaces: Set<Character> = [" ", "\t"]
}
