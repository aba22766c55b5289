import MLDiagnostics
import MLLanguage
import MLPrep

/// `rename [DS] old=new ... [as NAME]`
struct RenameCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "rename", stage: .data,
        abstract: "Rename columns: old=new",
        parameters: [Parameter("DS", .dataset, "the dataset (default: the current one)", optional: true)],
        freeOptions: ("OLD=NEW", "a column and its new name"),
        binds: ["NAME"],
        examples: [Example("load \"tutorials/data/penguins.csv\""), Example("rename penguins body_mass_g=mass sex=gender")])

    static func run(_ call: CommandCall, in session: Session) throws {
        let d = try call.dataset(session)
        guard !call.freeOptions.isEmpty else {
            throw call.error("'rename' needs at least one old=new", hint: "e.g. rename \(d.name) body_mass_g=mass", id: .missingArgument)
        }
        var frame = d.frame
        var done: [String] = []
        var pairs: [RenamePair] = []
        for (old, value) in call.freeOptions {
            try call.checkColumn(old.text, old.range, in: d)
            guard let new = value.asName?.text ?? { if case .string(let s) = value.kind { return s }; return nil }() else {
                throw Diagnostic(.badArgument, .error, "the new name must be a name or a text in quotes", file: call.file, range: value.range)
            }
            if new != old.text, frame.index(of: new) != nil {
                throw Diagnostic(.badArgument, .error, "\(d.name) already has a column '\(new)'", file: call.file, range: value.range,
                                 hint: "choose another name, or drop '\(new)' first")
            }
            frame.rename(old.text, to: new)
            pairs.append(RenamePair(old: old.text, new: new))
            done.append("\(old.text) → \(new)")
        }
        try call.record([(StepResult(frame: frame), .rename(pairs: pairs))], to: d, in: session)
        session.print("\(call.resultName(d)): renamed " + done.joined(separator: ", "))
    }
}
