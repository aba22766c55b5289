/// `vars`
struct VarsCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "vars", stage: .session,
        abstract: "List the names bound in this session, with kind and shape",
        examples: [Example("print 6 * 7 as answer"), Example("vars")])

    static func run(_ call: CommandCall, in session: Session) throws {
        let names = session.variableNames
        if names.isEmpty {
            session.print("nothing is bound yet; 'as NAME' binds a result, e.g. 'print 2 + 3 as x'")
            return
        }
        let rows = names.map { n -> (String, String, String, String) in
            let v = session.variable(n)!
            var shown = v.literal
            if shown.count > 40 { shown = String(shown.prefix(39)) + "…" }
            return (n, v.kindName, v.shape, shown)
        }
        let w0 = max(4, rows.map { $0.0.count }.max()!)
        let w1 = max(4, rows.map { $0.1.count }.max()!)
        let w2 = max(5, rows.map { $0.2.count }.max()!)
        session.print("name".padding(w0) + "  " + "kind".padding(w1) + "  " + "shape".padding(w2) + "  value")
        for r in rows {
            session.print(r.0.padding(w0) + "  " + r.1.padding(w1) + "  " + r.2.padding(w2) + "  " + r.3)
        }
    }
}
