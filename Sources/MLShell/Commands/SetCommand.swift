import MLDiagnostics

/// `set [OPTION VALUE]`
struct SetCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "set", stage: .session,
        abstract: "Change a session setting, or list them all",
        discussion: "settings:\n" + SettingSpec.all.map { "  \($0.name.padding(9)) \($0.values.padding(12)) \($0.help)" }.joined(separator: "\n"),
        parameters: [
            Parameter("OPTION", .word(SettingSpec.all.map(\.name)), "the setting to change", optional: true),
            Parameter("VALUE", .value, "its new value", optional: true),
        ],
        examples: [Example("set"), Example("set seed 7"), Example("set timer on"), Example("set maxrows 20")])

    static func run(_ call: CommandCall, in session: Session) throws {
        guard let name = call.word("OPTION") else {
            if call.has("VALUE") {
                throw call.error(at: "VALUE", "'set' needs a setting before its value",
                                 hint: "the settings are: " + SettingSpec.all.map(\.name).joined(separator: ", "))
            }
            for s in SettingSpec.all {
                session.print("\(s.name.padding(9)) \(s.get(session.settings))")
            }
            return
        }
        guard let setting = SettingSpec.all.first(where: { $0.name == name }) else {
            // `set seed -1` parses as the subtraction seed − 1: read it as the setting and −1.
            if let e = call.expr("OPTION"), case .binary("-", let lhs, let rhs) = e.kind, let n = lhs.asName,
               let spec = SettingSpec.all.first(where: { $0.name == n.text }),
               case .number(let d) = try Evaluator(session: session, file: call.file).evaluate(rhs) {
                var scratch = session.settings
                if let problem = spec.set(&scratch, .number(-d)) {
                    throw call.error(at: "OPTION", "'set \(n.text)' takes \(problem), got \(Value.formatNumber(-d))")
                }
                session.settings = scratch
                return
            }
            throw call.error(at: "OPTION", "'\(name)' is not a setting",
                             hint: Suggest.didYouMean(name, in: SettingSpec.all.map(\.name)) ?? "the settings are: " + SettingSpec.all.map(\.name).joined(separator: ", "))
        }
        guard let valueExpr = call.expr("VALUE") else {
            throw call.error(at: "OPTION", "'set \(name)' needs a value: \(setting.values)", id: .missingArgument)
        }
        // A bare word (on, off, auto) is the value itself, not a name to look up.
        let value: Value
        if let word = valueExpr.asName, session.variable(word.text) == nil {
            value = .string(word.text)
        } else {
            value = try call.value("VALUE")!
        }
        if let problem = setting.set(&session.settings, value) {
            var hint: String? = nil
            if let w = value.word, !setting.choices.isEmpty { hint = Suggest.didYouMean(w, in: setting.choices) }
            throw call.error(at: "VALUE", "'set \(name)' takes \(problem), got \(value.literal)", hint: hint)
        }
    }
}
