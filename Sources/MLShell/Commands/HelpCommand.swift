import MLDiagnostics

/// `help [VERB]`
struct HelpCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "help", stage: .session,
        abstract: "Show every command, or one command's usage, parameters and examples",
        parameters: [Parameter("VERB", .name, "the command to explain", optional: true)],
        examples: [Example("help"), Example("help set")])

    static func run(_ call: CommandCall, in session: Session) throws {
        guard let verb = call.word("VERB") else {
            session.output.write(TextWidth.wrap(HelpFormatter.overview(session.registry), width: session.width))
            return
        }
        guard let type = session.registry.lookup(verb) else {
            throw call.error(at: "VERB", "no command named '\(verb)'", hint: Suggest.didYouMean(verb, in: session.registry.allNames)
                             ?? "type 'help' to see every command", id: .unknownCommand)
        }
        session.output.write(TextWidth.wrap(HelpFormatter.command(type.spec), width: session.width))
    }
}
