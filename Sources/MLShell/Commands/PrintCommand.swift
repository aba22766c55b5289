/// `print EXPR [as NAME]`
struct PrintCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "print", stage: .session,
        abstract: "Evaluate an expression and show its value",
        parameters: [Parameter("EXPR", .expression, "the expression to evaluate")],
        binds: ["NAME"],
        examples: [
            Example("print 2 + 3 * 4"), Example("print round(10 / 3, 2)"),
            Example("print 7 as lucky"), Example("print lucky between 1 and 10"),
            Example("print \"total: \" + upper(\"ok\")"),
        ])

    static func run(_ call: CommandCall, in session: Session) throws {
        let value = try call.value("EXPR")!
        if let name = call.binding.first {
            try session.checkBindable(name, in: call.file)
            session.bind(name.text, value)
        }
        session.output.write(value.display + "\n")  // a value stays whole: never wrapped
    }
}
