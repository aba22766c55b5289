import MLDiagnostics
import MLLanguage

/// Matches a parsed command's arguments to its spec, or says exactly what does not fit.
struct ArgumentBinder {
    let spec: CommandSpec
    let command: Command
    let session: Session

    func bind() throws(Diagnostic) -> CommandCall {
        var options: [String: Expr] = [:]
        var freeOptions: [(name: Name, value: Expr)] = []
        var items: [Argument] = []
        var afterOption = false
        for arg in command.arguments {
            if case .comma = arg, afterOption {
                continue  // `n=count(x), m=mean(y)`: commas between options
            }
            afterOption = false
            if case .option(let name, let value) = arg {
                afterOption = true
                guard let option = spec.options.first(where: { $0.name == name.text }) else {
                    if spec.freeOptions != nil {
                        if freeOptions.contains(where: { $0.name.text == name.text }) {
                            throw diag(.badArgument, "'\(name.text)=' is given twice", name.range, hint: "keep one \(name.text)=...")
                        }
                        freeOptions.append((name, value))
                        continue
                    }
                    throw unknownOption(name)
                }
                if options[name.text] != nil {
                    throw diag(.badArgument, "option '\(name.text)' is given twice", name.range, hint: "keep one \(name.text)=...")
                }
                try check(value, against: option.kind, label: "option '\(name.text)'")
                options[name.text] = value
            } else {
                items.append(arg)
            }
        }
        if !command.binding.isEmpty {
            if spec.binds.isEmpty {
                throw diag(.unexpectedArgument, "'\(spec.name)' does not bind a result, so 'as' has no place here",
                           command.bindingRange ?? command.range, hint: "usage: \(spec.usage)")
            }
            if command.binding.count != spec.binds.count {
                let want = spec.binds.count == 1 ? "one name" : "\(spec.binds.count) names (\(spec.binds.joined(separator: " ")))"
                throw diag(.badArgument, "'\(spec.name)' binds \(want) after 'as', got \(command.binding.count)",
                           command.bindingRange ?? command.range, hint: "usage: \(spec.usage)")
            }
        }

        var parameters: [String: [Expr]] = [:]
        var i = 0
        for (index, p) in spec.parameters.enumerated() {
            if let keyword = p.keyword {
                guard i < items.count, case .positional(let e) = items[i], e.asName?.text == keyword, e.asName?.quoted == false else {
                    if p.optional { continue }
                    if let swallowed = swallowedKeyword(keyword, in: items[..<i]) { throw swallowed }
                    throw missing(p, at: i < items.count ? items[i].range : nil)
                }
                i += 1
                if p.kind == .flag {
                    parameters[p.name] = [e]
                    continue
                }
                guard i < items.count else {
                    // `join A B on a_id = b_id`: the keyword's values came as free options.
                    if p.optional && spec.freeOptions != nil { continue }
                    throw missing(p, at: nil, after: keyword)
                }
            }
            if p.kind == .dataset && p.optional, i < items.count, case .positional(let e) = items[i],
               !takesDataset(e, laterParameters: spec.parameters[(index + 1)...]) {
                continue
            }
            if p.variadic {
                var values: [Expr] = []
                while i < items.count {
                    if case .comma = items[i] { i += 1; continue }
                    guard case .positional(let e) = items[i] else { break }
                    if let stop = nextKeyword(after: p), e.asName?.text == stop, e.asName?.quoted == false { break }
                    try check(e, against: p.kind, label: p.name)
                    values.append(e)
                    i += 1
                }
                if values.isEmpty {
                    if p.optional { continue }
                    throw missing(p, at: i < items.count ? items[i].range : nil)
                }
                parameters[p.name] = values
                continue
            }
            guard i < items.count, case .positional(let e) = items[i] else {
                if p.optional && p.keyword == nil { continue }
                throw missing(p, at: i < items.count ? items[i].range : nil)
            }
            // An optional parameter leaves a later parameter's keyword (`on`, `by`) to it.
            if p.optional, let w = e.asName, !w.quoted, spec.parameters[(index + 1)...].contains(where: { $0.keyword == w.text }) {
                continue
            }
            try check(e, against: p.kind, label: p.name)
            parameters[p.name] = [e]
            i += 1
        }
        if i < items.count {
            let extra = items[i]
            if case .comma(let r) = extra {
                throw diag(.unexpectedArgument, "unexpected ','", r, hint: "usage: \(spec.usage)")
            }
            var hint = "usage: \(spec.usage)"
            if let free = spec.freeOptions, case .positional(let e) = extra, case .call(let fn, _, _) = e.kind {
                hint = "name it: \(fn.text == "count" ? "n" : fn.text)=\(ExprPrinter.print(e)) (\(free.usage))"
            }
            throw diag(.unexpectedArgument, "'\(spec.name)' takes no further argument here", extra.range, hint: hint)
        }
        return CommandCall(command: command, spec: spec, parameters: parameters, options: options,
                           freeOptions: freeOptions, session: session)
    }

    /// Whether an optional dataset parameter takes this argument. A bare name does, unless it is
    /// a column of the current dataset or the keyword of a later parameter (`count by x`).
    private func takesDataset(_ e: Expr, laterParameters: ArraySlice<Parameter>) -> Bool {
        guard let name = e.asName else { return false }
        if session.dataset(named: name.text) != nil { return true }
        // A word the next parameter expects (`encode onehot …`) is not a dataset's name.
        if let next = laterParameters.first, case .word(let choices) = next.kind, choices.contains(name.text) { return false }
        if !name.quoted, laterParameters.contains(where: { $0.keyword == name.text }) { return false }
        if let current = session.currentDataset, current.frame.index(of: name.text) != nil { return false }
        // Only one positional left and more required: the name belongs to them.
        let required = laterParameters.filter { !$0.optional && $0.keyword == nil }
        if !required.isEmpty && command.arguments.filter({ if case .positional = $0 { return true }; return false }).count <= required.count {
            return false
        }
        return true
    }

    private func nextKeyword(after p: Parameter) -> String? {
        guard let index = spec.parameters.firstIndex(where: { $0.name == p.name }) else { return nil }
        return spec.parameters[(index + 1)...].first(where: { $0.keyword != nil })?.keyword
    }

    /// Checks literals at once; names and computed values are checked when the command reads them.
    private func check(_ e: Expr, against kind: ParameterKind, label: String) throws(Diagnostic) {
        func wrong(_ got: String) -> Diagnostic {
            diag(.wrongArgumentType, "'\(spec.name)' expects \(kind.expectation) for \(label), got \(got)", e.range,
                 hint: "usage: \(spec.usage)")
        }
        switch (kind, e.kind) {
        case (.number, .string(let s)), (.integer, .string(let s)), (.duration, .string(let s)):
            throw wrong("string \"\(s)\"")
        case (.integer, .number(let d, let literal)) where d != d.rounded():
            throw wrong("\(literal)")
        case (.string, .number(_, let literal)), (.duration, .number(_, let literal)):
            throw wrong("number \(literal)")
        case (.name, .string(let s)), (.word, .string(let s)):
            throw wrong("string \"\(s)\"")
        case (.name, .number(_, let literal)), (.word, .number(_, let literal)):
            throw wrong("number \(literal)")
        case (.word(let choices), .name(let n)) where !choices.isEmpty && !choices.contains(n.text):
            let near = Suggest.didYouMean(n.text, in: choices)
            throw diag(.badArgument, "'\(spec.name)' expects one of \(choices.joined(separator: ", ")) for \(label), got '\(n.text)'",
                       e.range, hint: near ?? "usage: \(spec.usage)")
        case (.word(let choices), .bool(let b)) where !choices.isEmpty && !choices.contains(b ? "true" : "false"):
            throw wrong(b ? "true" : "false")
        default:
            return
        }
    }

    private func unknownOption(_ name: Name) -> Diagnostic {
        let valid = spec.options.map(\.name)
        var hint: String
        if let near = Suggest.didYouMean(name.text, in: valid) {
            hint = near
        } else if valid.isEmpty {
            hint = "'\(spec.name)' takes no key=value options; usage: \(spec.usage)"
        } else {
            hint = "the options of '\(spec.name)' are: " + valid.joined(separator: ", ")
        }
        if Suggest.didYouMean(name.text, in: valid) != nil {
            hint += " (the options of '\(spec.name)' are: \(valid.joined(separator: ", ")))"
        }
        if spec.parameters.contains(where: { $0.kind == .expression }) && Suggest.didYouMean(name.text, in: valid) == nil {
            hint = "to compare, write == (as in \(name.text) == ...); a single = sets an option"
        }
        return diag(.unknownOption, "unknown option '\(name.text)' for '\(spec.name)'", name.range, hint: hint)
    }

    /// `fit logistic y ~ a + on d`: the formula (or expression) ends in an operator, so the keyword
    /// became its last term. Said as what it is, at the operator, rather than "needs 'on DS'".
    private func swallowedKeyword(_ keyword: String, in items: ArraySlice<Argument>) -> Diagnostic? {
        func lastTerm(_ e: Expr) -> (op: String, opEnd: Int, name: Name)? {
            switch e.kind {
            case .formula(_, let rhs): return lastTerm(rhs)
            case .binary(let op, let a, let b):
                if let n = b.asName, n.text == keyword, !n.quoted { return (op, a.range.end, n) }
                return lastTerm(b)
            default: return nil
            }
        }
        for item in items.reversed() {
            guard case .positional(let e) = item, let (op, after, name) = lastTerm(e) else { continue }
            // The operator's own range: after its left side's end, past the spaces, before the keyword.
            let bytes = Array(command.file.text.utf8)
            var start = after
            while start < min(name.range.start, bytes.count), bytes[start] == 32 || bytes[start] == 9 { start += 1 }
            let what: String
            if case .formula = e.kind { what = "formula" } else { what = "expression" }
            return diag(.missingArgument, "the \(what) ends after '\(op)': a term is missing there, and '\(keyword)' cannot be one",
                        SourceRange(start, start + op.utf8.count),
                        hint: "write a term after '\(op)', or remove the '\(op)'; usage: \(spec.usage)")
        }
        return nil
    }

    private func missing(_ p: Parameter, at range: SourceRange?, after keyword: String? = nil) -> Diagnostic {
        let end = command.range.end
        var what = p.keyword.map { "'\($0) \(p.name)'" } ?? p.name
        if p.kind == .flag, let keyword = p.keyword {
            what = "'\(keyword)" + (spec.freeOptions.map { " " + $0.usage + ", ...'" } ?? "'")
        }
        return diag(.missingArgument, "'\(spec.name)' needs \(what): \(p.help)", range ?? SourceRange(end, end),
                    hint: "usage: \(spec.usage)")
    }

    private func diag(_ id: Diagnostic.ID, _ message: String, _ range: SourceRange, hint: String?) -> Diagnostic {
        Diagnostic(id, .error, message, file: command.file, range: range, hint: hint)
    }
}
