import MLDiagnostics

/// `step "FILE.mlsh"`, `step`, `step skip`, `step stop`
struct StepCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "step", stage: .session,
        abstract: "Walk through a tutorial one command at a time, each put on the edit line to run, change or skip",
        discussion: """
            step "FILE.mlsh" starts: it shows the prose before the first command, then puts the \
            command on the edit line with [1/N]. Enter runs it as it is; edit it first to try \
            something else; either way the next step follows. 'step skip' goes past a command \
            without running it, 'step' shows the current one again (after Ctrl-C cleared the \
            line, say), 'step stop' leaves the tutorial. At the prompt only: in a script, run the \
            tutorial instead.
            """,
        parameters: [Parameter("WHAT", .expression, "a tutorial to start (a text), or skip | stop", optional: true)],
        examples: [Example("step \"tutorials/00-hello.mlsh\""), Example("step skip"), Example("step stop")])

    static func run(_ call: CommandCall, in session: Session) throws {
        guard session.journal.isOn else {
            throw call.error("step walks through a tutorial at the prompt; a script runs straight through",
                             hint: "start mlsh and type: step \"tutorials/00-hello.mlsh\"")
        }
        // skip and stop are bare words; anything else is the tutorial's path, a text.
        let word = call.expr("WHAT")?.asName.flatMap { $0.quoted ? nil : $0.text }
        if let word, word != "skip", word != "stop" {
            throw call.error(at: "WHAT", "step takes a tutorial (a text in quotes), skip or stop, not '\(word)'",
                             hint: Suggest.didYouMean(word, in: ["skip", "stop"]) ?? "step \"tutorials/00-hello.mlsh\"")
        }
        let what = try word ?? call.string("WHAT")
        switch what {
        case nil:
            guard let walk = session.walk else {
                throw call.error("no tutorial is being walked through", hint: "start one: step \"tutorials/00-hello.mlsh\"")
            }
            walk.moved = true
            walk.present(session)
        case "skip"?:
            guard let walk = session.walk else { throw call.error("no tutorial is being walked through; there is nothing to skip") }
            walk.moved = true
            if !walk.advance(session) { session.walk = nil }
        case "stop"?:
            guard let walk = session.walk else {
                session.print("no tutorial is being walked through")
                return
            }
            session.print("left \(walk.path) at step \(walk.index + 1) of \(walk.steps.count); step \"\(walk.path)\" starts it again")
            session.walk = nil
        case let path?:
            let text: String
            do {
                text = try TextDecoding.decode(try FileText.read(path), name: path)
            } catch let d {
                throw call.error(at: "WHAT", d.message, hint: d.hint ?? "a tutorial is a .mlsh file, e.g. tutorials/00-hello.mlsh")
            }
            let (walk, problems) = TutorialWalk.read(path: path, text: text)
            guard let walk else {
                // A file that is not a script (a CSV, say) would report every line: the first few.
                for d in problems.prefix(2) { session.report(d) }
                throw call.error(at: "WHAT", "\(path) is not a script mlsh can step through (\(plural(problems.count, "syntax error")))",
                                 hint: "a tutorial is a .mlsh file, e.g. tutorials/00-hello.mlsh")
            }
            guard !walk.steps.isEmpty else { throw call.error(at: "WHAT", "\(path) has no command to step through") }
            if let running = session.walk {
                session.print("left \(running.path) at step \(running.index + 1) of \(running.steps.count)")
            }
            session.print("stepping through \(path): \(plural(walk.steps.count, "step"))")
            walk.moved = true
            session.walk = walk
            walk.present(session)
        }
    }
}
