import MLDiagnostics
import MLLanguage

/// A command's arguments after binding to its spec: parameters by name, options by name, `as` names.
public struct CommandCall {
    public let command: Command
    public let spec: CommandSpec
    /// Each parameter's arguments (a variadic one may have several).
    public let parameters: [String: [Expr]]
    public let options: [String: Expr]
    /// The `NAME=EXPR` options of a spec with free options, in the order written.
    public let freeOptions: [(name: Name, value: Expr)]
    public var binding: [Name] { command.binding }
    let session: Session

    public var file: SourceFile { command.file }

    public func has(_ name: String) -> Bool { parameters[name] != nil || options[name] != nil }

    public func expr(_ name: String) -> Expr? { parameters[name]?.first ?? options[name] }

    public func exprs(_ name: String) -> [Expr] { parameters[name] ?? options[name].map { [$0] } ?? [] }

    /// A bare word (a `.name` or `.word` parameter), as written.
    public func word(_ name: String) -> String? {
        guard let e = expr(name) else { return nil }
        if let n = e.asName { return n.text }
        if case .bool(let b) = e.kind { return b ? "true" : "false" }
        if case .string(let s) = e.kind { return s }
        return ExprPrinter.print(e)
    }

    public func value(_ name: String) throws -> Value? {
        guard let e = expr(name) else { return nil }
        return try Evaluator(session: session, file: file).evaluate(e)
    }

    public func string(_ name: String) throws -> String? {
        guard let e = expr(name) else { return nil }
        let v: Value
        do { v = try Evaluator(session: session, file: file).evaluate(e) } catch {
            // `save m model.mlsm`: a bare word where a text (a path, mostly) goes.
            if error.id == .unknownName, let n = e.asName, !n.quoted {
                throw error.withHint("a text goes in quotes: \"\(n.text)\"")
            }
            throw error
        }
        if case .string(let s) = v { return s }
        throw wrongType(name, e, v, expected: .string)
    }

    public func number(_ name: String) throws -> Double? {
        guard let e = expr(name) else { return nil }
        let v = try Evaluator(session: session, file: file).evaluate(e)
        if case .number(let d) = v { return d }
        throw wrongType(name, e, v, expected: .number)
    }

    public func integer(_ name: String) throws -> Int? {
        guard let e = expr(name) else { return nil }
        let v = try Evaluator(session: session, file: file).evaluate(e)
        if case .number(let d) = v, d.isFinite, d == d.rounded(), abs(d) < 9e15 { return Int(d) }
        throw wrongType(name, e, v, expected: .integer)
    }

    public func duration(_ name: String) throws -> Double? {
        guard let e = expr(name) else { return nil }
        let v = try Evaluator(session: session, file: file).evaluate(e)
        if case .duration(let s) = v { return s }
        throw wrongType(name, e, v, expected: .duration)
    }

    func wrongType(_ name: String, _ e: Expr, _ v: Value, expected: ParameterKind) -> Diagnostic {
        Diagnostic(.wrongArgumentType, .error,
                   "'\(spec.name)' expects \(expected.expectation) for \(name), got \(v.kindName) \(v.literal)",
                   file: file, range: e.range, hint: "usage: \(spec.usage)")
    }

    /// A diagnostic pointing at an argument.
    public func error(at name: String, _ message: String, hint: String? = nil, id: Diagnostic.ID = .badArgument) -> Diagnostic {
        let range = expr(name)?.range ?? command.range
        return Diagnostic(id, .error, message, file: file, range: range, hint: hint)
    }

    /// An option given where it has no effect (`plot bar … by=`): typed at the prompt, a warning
    /// and the command goes on; in a script (or `-c`), an error, since a script that says one thing
    /// and draws another should not pass silently.
    public func notApplicable(_ name: String, _ message: String, hint: String? = nil, in session: Session) throws(Diagnostic) {
        let atPrompt = file.name == "<input>"
        let d = Diagnostic(.badArgument, atPrompt ? .warning : .error, message, file: file, range: expr(name)?.range ?? command.range, hint: hint)
        if atPrompt { session.report(d) } else { throw d }
    }

    /// A diagnostic pointing at the whole command.
    public func error(_ message: String, hint: String? = nil, id: Diagnostic.ID = .badArgument) -> Diagnostic {
        Diagnostic(id, .error, message, file: file, range: command.range, hint: hint)
    }
}

extension Diagnostic.ID {
    public static let badArgument = Diagnostic.ID("bad-argument")
    public static let missingArgument = Diagnostic.ID("missing-argument")
    public static let unexpectedArgument = Diagnostic.ID("unexpected-argument")
    public static let unknownOption = Diagnostic.ID("unknown-option")
    public static let unknownCommand = Diagnostic.ID("unknown-command")
    public static let unknownName = Diagnostic.ID("unknown-name")
}
