/// `quit [CODE]`
struct QuitCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "quit", aliases: ["exit"], stage: .session,
        abstract: "Leave mlsh (Ctrl-D on an empty line does the same)",
        parameters: [Parameter("CODE", .integer, "the exit status (default: 0)", optional: true)],
        examples: [Example("quit"), Example("exit 3", "a script can end with its own status")])

    static func run(_ call: CommandCall, in session: Session) throws {
        let code = try call.integer("CODE") ?? 0
        if code < 0 || code > 255 { throw call.error(at: "CODE", "an exit status is a whole number from 0 to 255, got \(code)") }
        session.quitRequested = Int32(code)
    }
}
