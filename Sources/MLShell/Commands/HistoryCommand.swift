/// `history [N]`
struct HistoryCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "history", stage: .session,
        abstract: "Show the commands entered so far, numbered",
        discussion: "At the prompt, Up and Down walk the history and Ctrl-R searches it. The history is kept in ~/.mlsh_history (or the file MLSH_HISTORY names), one entry appended at a time, so two sessions at once lose nothing.",
        parameters: [Parameter("N", .integer, "how many of the latest entries to show (default: 20)", optional: true)],
        examples: [Example("history"), Example("history 5")])

    static func run(_ call: CommandCall, in session: Session) throws {
        let n = try call.integer("N") ?? 20
        if n < 1 { throw call.error(at: "N", "'history' needs N ≥ 1, got \(n)") }
        let entries = session.history
        let first = max(0, entries.count - n)
        let width = String(entries.count).count
        for (i, entry) in entries.enumerated().dropFirst(first) {
            let number = String(i + 1)
            let lines = entry.split(separator: "\n", omittingEmptySubsequences: false)
            session.print(String(repeating: " ", count: width - number.count) + number + "  " + lines[0])
            for more in lines.dropFirst() {
                session.print(String(repeating: " ", count: width + 2) + more)
            }
        }
    }
}
