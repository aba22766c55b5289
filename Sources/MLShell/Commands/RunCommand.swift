/// `run "FILE"`
struct RunCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "run", stage: .session,
        abstract: "Run a script file in this session",
        discussion: "The script's commands run here, so what it binds stays bound. It stops at its first error.",
        parameters: [Parameter("FILE", .string, "the script, as a path in quotes")],
        examples: [Example("run \"tutorials/00-hello.mlsh\"")])

    static func run(_ call: CommandCall, in session: Session) throws {
        let path = try call.string("FILE")!
        try Runner.runFile(path, in: session, at: (call.file, call.expr("FILE")!.range))
    }
}
