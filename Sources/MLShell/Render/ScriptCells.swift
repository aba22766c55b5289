import MLDiagnostics
import MLLanguage

/// A script read as a notebook reads it, for `mlsh render` and `step`: runs of `#'` lines are
/// prose (Markdown), and each command, with the plain comment lines just above it and any other
/// command on its lines, is a code cell. Recorded output (`#>` lines), the `#!` line and blank
/// lines are left out.
enum ScriptCells {
    enum Item {
        case prose(String)
        case code(source: String, line: Int, commands: [Command])
    }

    static func read(_ file: SourceFile, _ commands: [Command]) -> [Item] {
        let lines = file.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        func lastLine(_ c: Command) -> Int { file.location(of: max(c.range.start, c.range.end - 1)).line }
        var byStart: [Int: [Command]] = [:]
        for c in commands { byStart[file.location(of: c.range.start).line, default: []].append(c) }
        var items: [Item] = [], prose: [String] = [], comments: [String] = []
        func flushProse() {
            if !prose.isEmpty { items.append(.prose(prose.joined(separator: "\n"))) }
            prose = []
        }
        var i = 0
        while i < lines.count {
            let line = lines[i], number = i + 1
            if line.hasPrefix("#'") {
                var t = String(line.dropFirst(2))
                if t.hasPrefix(" ") { t.removeFirst() }
                prose.append(t)
                i += 1
                continue
            }
            flushProse()
            guard let first = byStart[number] else {
                if line.hasPrefix("#") && !line.hasPrefix("#>") && !(i == 0 && line.hasPrefix("#!")) { comments.append(line) }
                if line.allSatisfy({ $0 == " " || $0 == "\t" }) { comments = [] }
                i += 1
                continue
            }
            // The cell runs to the end of the last command that starts on one of its lines.
            var last = first.map(lastLine).max() ?? number
            var j = number + 1
            while j <= last {
                if let more = byStart[j] { last = max(last, more.map(lastLine).max() ?? last) }
                j += 1
            }
            let source = (comments + lines[(number - 1)..<last]).joined(separator: "\n")
            items.append(.code(source: source, line: number, commands: (number...last).flatMap { byStart[$0] ?? [] }))
            comments = []
            i = last
        }
        flushProse()
        return items
    }
}
