/// A Markdown page's ```mlsh blocks as one transcript, so that `mlsh check docs/prep.md` checks
/// (and `--update` records) the examples in place. Lines outside the blocks become blank lines,
/// so every line keeps its number and an error in an example names its line in the page.
struct MarkdownTranscript {
    /// The page's lines, as they are.
    let lines: [String]
    /// The script: block lines without their indent, every other line blank.
    let script: String
    /// Each line's indent inside a block (a block may sit in a list item), "" elsewhere.
    let indents: [String]

    static func isMarkdown(_ path: String) -> Bool {
        path.hasSuffix(".md") || path.hasSuffix(".markdown")
    }

    init(_ text: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var out: [String] = []
        var indents: [String] = []
        var inBlock = false
        var indent = 0
        for line in lines {
            let trimmed = line.drop(while: { $0 == " " })
            if trimmed.hasPrefix("```") {
                inBlock = !inBlock && String(trimmed).trimmingTrailing() == "```mlsh"
                indent = line.count - trimmed.count
                out.append("")
                indents.append("")
                continue
            }
            let own = min(indent, line.prefix(while: { $0 == " " }).count)
            out.append(inBlock ? String(line.dropFirst(own)) : "")
            indents.append(inBlock ? String(repeating: " ", count: own) : "")
        }
        script = out.joined(separator: "\n")
        self.indents = indents
    }
}
