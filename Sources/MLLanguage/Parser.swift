import MLDiagnostics

/// A recursive-descent parser: one function per grammar rule, with the rule above it.
/// On a syntax error it records a diagnostic, skips to the end of the command and goes on,
/// so one run reports every error in a script.
public struct Parser {
    let file: SourceFile
    var tokens: [Token]
    var index = 0
    var diagnostics: [Diagnostic]
    /// How deep the expression parser has recursed; bounded so hostile input cannot overflow the stack.
    var depth = 0
    static let maxDepth = 100
    /// Bounds the height of an expression tree, so that walking it (even in a debug build, on a
    /// thread with a small stack) cannot overflow.
    static let maxHeight = 200
    /// Brackets opened and not yet closed; input that ends inside one is incomplete, not wrong.
    var openBrackets = 0
    /// The lexer saw the input stop inside a string or after a trailing '\'.
    var lexerIncomplete = false

    public static func parse(_ file: SourceFile) -> Script {
        let (tokens, lexErrors) = Lexer.tokenize(file)
        var parser = Parser(file: file, tokens: tokens, diagnostics: lexErrors)
        parser.lexerIncomplete = lexErrors.contains { $0.id == .incompleteInput }
        let commands = parser.script()
        let sorted = parser.diagnostics.sorted { ($0.range?.start ?? 0) < ($1.range?.start ?? 0) }
        return Script(file: file, commands: commands, diagnostics: sorted)
    }

    /// Parses a lone expression (a `check` rule, an option value typed by a test).
    public static func parseExpression(_ file: SourceFile) -> (Expr?, [Diagnostic]) {
        let (tokens, lexErrors) = Lexer.tokenize(file)
        var parser = Parser(file: file, tokens: tokens, diagnostics: lexErrors)
        do throws(Diagnostic) {
            let e = try parser.expression()
            if parser.current.kind != .eof && parser.current.kind != .newline {
                throw parser.unexpected("after the expression")
            }
            return (e, parser.diagnostics)
        } catch {
            parser.diagnostics.append(error)
            return (nil, parser.diagnostics)
        }
    }

    var current: Token { tokens[index] }
    func peekToken(_ k: Int = 1) -> Token { tokens[min(index + k, tokens.count - 1)] }

    @discardableResult
    mutating func advance() -> Token {
        let t = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return t
    }

    var atCommandEnd: Bool {
        current.kind == .newline || current.kind == .eof || current.isPunct(";")
    }

    // script := (command? (';' | NEWLINE))* EOF
    mutating func script() -> [Command] {
        var commands: [Command] = []
        while true {
            while current.kind == .newline || current.isPunct(";") { advance() }
            if current.kind == .eof { break }
            do {
                commands.append(try command())
            } catch {
                diagnostics.append(error)
                while !atCommandEnd { advance() }
            }
            if !atCommandEnd {
                diagnostics.append(unexpected("here; a command ends at a newline or ';'"))
                while !atCommandEnd { advance() }
            }
        }
        return commands
    }

    // command := WORD argument* ('as' NAME+)?
    mutating func command() throws(Diagnostic) -> Command {
        let verbToken = current
        guard verbToken.kind == .word, !reservedWords.contains(verbToken.text) else {
            throw unexpected("where a command should start", hint: "a command starts with a verb such as 'help', 'print' or 'load'")
        }
        advance()
        let verb = Name(verbToken.text, range: verbToken.range)
        var arguments: [Argument] = []
        var binding: [Name] = []
        var bindingRange: SourceRange? = nil
        while !atCommandEnd {
            if current.isKeyword("as") {
                let asToken = advance()
                while (current.kind == .word || current.kind == .quotedName) && !peekToken().isPunct("=") {
                    let t = advance()
                    if t.kind == .word && reservedWords.contains(t.text) {
                        throw Diagnostic(.syntaxError, .error, "'\(t.text)' is a reserved word and cannot be a name", file: file, range: t.range,
                                         hint: "write it in backticks: `\(t.text)`")
                    }
                    binding.append(Name(t.text, range: t.range, quoted: t.kind == .quotedName))
                }
                if binding.isEmpty {
                    throw expected("a name after 'as'", hint: "write 'as NAME' to bind the result to NAME")
                }
                bindingRange = asToken.range.union(binding.last!.range)
                // Only key=value options may follow the names.
                while !atCommandEnd {
                    let arg = try argument()
                    guard case .option = arg else {
                        throw Diagnostic(.syntaxError, .error, "unexpected argument after 'as \(binding.map(\.text).joined(separator: " "))'",
                                         file: file, range: arg.range, hint: "'as NAME' comes last; only key=value options may follow it")
                    }
                    arguments.append(arg)
                }
                break
            }
            arguments.append(try argument())
        }
        let end = bindingRange?.end ?? arguments.last?.range.end ?? verb.range.end
        return Command(verb: verb, arguments: arguments, binding: binding, bindingRange: bindingRange,
                       range: SourceRange(verb.range.start, end), file: file)
    }

    // argument := NAME '=' expression | ',' | expression
    mutating func argument() throws(Diagnostic) -> Argument {
        if current.isPunct(",") {
            return .comma(advance().range)
        }
        if (current.kind == .word || current.kind == .quotedName), peekToken().isPunct("="),
           !(current.kind == .word && reservedWords.contains(current.text)) {
            let key = advance()
            let eq = advance()
            if atCommandEnd || current.isPunct(",") {
                throw Diagnostic(.syntaxError, .error, "missing value after '\(key.text)='", file: file, range: key.range.union(eq.range),
                                 hint: "write \(key.text)=VALUE, with no space needed around '='")
            }
            let value = try optionValue()
            return .option(name: Name(key.text, range: key.range, quoted: key.kind == .quotedName), value: value)
        }
        return .positional(try expression())
    }

    // MARK: - Errors

    func describe(_ t: Token) -> String {
        switch t.kind {
        case .eof: return "end of input"
        case .newline: return "end of line"
        case .string: return "string \"\(t.text)\""
        case .quotedName: return "`\(t.text)`"
        default: return "'\(t.text)'"
        }
    }

    /// An error at the end of input that only more input can fix is `incompleteInput`,
    /// which the REPL answers with a continuation prompt.
    var errorID: Diagnostic.ID {
        current.kind == .eof && (openBrackets > 0 || lexerIncomplete) ? .incompleteInput : .syntaxError
    }

    func unexpected(_ context: String, hint: String? = nil) -> Diagnostic {
        Diagnostic(errorID, .error, "unexpected \(describe(current)) \(context)", file: file, range: current.range, hint: hint)
    }

    func expected(_ what: String, hint: String? = nil) -> Diagnostic {
        Diagnostic(errorID, .error, "expected \(what), found \(describe(current))", file: file, range: current.range, hint: hint)
    }
}
