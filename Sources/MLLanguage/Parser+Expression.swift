import MLDiagnostics

/// The expression grammar, lowest precedence first:
///   formula    := '~' or | or ('~' or)?
///   or         := and ('or' and)*
///   and        := not ('and' not)*
///   not        := 'not' not | comparison
///   comparison := additive (('=='|'!='|'<'|'<='|'>'|'>=') additive
///                 | 'not'? 'in' additive | 'not'? 'between' additive 'and' additive
///                 | 'is' 'not'? NAME)?
///   additive   := multiplicative (('+'|'-') multiplicative)*
///   multiplicative := unary (('*'|'/'|'%') unary)*
///   unary      := ('-'|'+') unary | power
///   power      := postfix ('^' unary)?
///   postfix    := primary | NAME '(' args ')'          (no space before '(')
///   primary    := NUMBER | DURATION | STRING | NAME | 'true' | 'false' | '.'
///                 | '[' list ']' | '{' map '}' | '(' formula ')'
extension Parser {
    mutating func expression() throws(Diagnostic) -> Expr {
        let start = current.range
        let e = try formula()
        if e.height > Parser.maxHeight {
            throw Diagnostic(.syntaxError, .error, "expression too long (more than \(Parser.maxHeight) operations in a row)",
                             file: file, range: start.union(e.range), hint: "split it into steps with 'as NAME'")
        }
        return e
    }

    /// An option's value: any expression but a formula, so `k=3 ~ a + b` is an option and a formula.
    mutating func optionValue() throws(Diagnostic) -> Expr {
        let start = current.range
        let e = try orExpr()
        if e.height > Parser.maxHeight {
            throw Diagnostic(.syntaxError, .error, "expression too long (more than \(Parser.maxHeight) operations in a row)",
                             file: file, range: start.union(e.range), hint: "split it into steps with 'as NAME'")
        }
        return e
    }

    mutating func formula() throws(Diagnostic) -> Expr {
        depth += 1
        defer { depth -= 1 }
        if depth > Parser.maxDepth {
            throw Diagnostic(.syntaxError, .error, "expression nested too deeply (more than \(Parser.maxDepth) levels)", file: file, range: current.range,
                             hint: "split it into steps with 'as NAME'")
        }
        if current.isPunct("~") {
            let tilde = advance()
            let rhs = try orExpr()
            return Expr(.formula(lhs: nil, rhs: rhs), tilde.range.union(rhs.range))
        }
        let lhs = try orExpr()
        if current.isPunct("~") {
            advance()
            let rhs = try orExpr()
            return Expr(.formula(lhs: lhs, rhs: rhs), lhs.range.union(rhs.range))
        }
        return lhs
    }

    mutating func orExpr() throws(Diagnostic) -> Expr {
        var left = try andExpr()
        while current.isKeyword("or") {
            advance()
            let right = try andExpr()
            left = Expr(.binary(op: "or", left, right), left.range.union(right.range))
        }
        return left
    }

    mutating func andExpr() throws(Diagnostic) -> Expr {
        var left = try notExpr()
        while current.isKeyword("and") {
            advance()
            let right = try notExpr()
            left = Expr(.binary(op: "and", left, right), left.range.union(right.range))
        }
        return left
    }

    mutating func notExpr() throws(Diagnostic) -> Expr {
        if current.isKeyword("not") {
            depth += 1
            defer { depth -= 1 }
            if depth > Parser.maxDepth {
                throw Diagnostic(.syntaxError, .error, "expression nested too deeply (more than \(Parser.maxDepth) levels)", file: file, range: current.range)
            }
            let t = advance()
            let operand = try notExpr()
            return Expr(.unary(op: "not", operand), t.range.union(operand.range))
        }
        return try comparison()
    }

    mutating func comparison() throws(Diagnostic) -> Expr {
        let left = try additive()
        if current.kind == .punct, ["==", "!=", "<", "<=", ">", ">="].contains(current.text) {
            let op = advance().text
            let right = try additive()
            return Expr(.binary(op: op, left, right), left.range.union(right.range))
        }
        var negated = false
        if current.isKeyword("not") && (peekToken().isKeyword("in") || peekToken().isKeyword("between")) {
            advance()
            negated = true
        }
        if current.isKeyword("in") {
            advance()
            let list = try additive()
            return Expr(.inList(left, list, negated: negated), left.range.union(list.range))
        }
        if current.isKeyword("between") {
            advance()
            let low = try additive()
            guard current.isKeyword("and") else {
                throw expected("'and' in 'between LOW and HIGH'")
            }
            advance()
            let high = try additive()
            return Expr(.between(left, low: low, high: high, negated: negated), left.range.union(high.range))
        }
        if current.isKeyword("is") {
            advance()
            var neg = false
            if current.isKeyword("not") {
                advance()
                neg = true
            }
            guard current.kind == .word else {
                throw expected("'missing' or a type name after 'is'", hint: "write 'x is missing', 'x is not missing' or 'x is int'")
            }
            let what = advance()
            return Expr(.isCheck(left, what: Name(what.text, range: what.range), negated: neg), left.range.union(what.range))
        }
        return left
    }

    mutating func additive() throws(Diagnostic) -> Expr {
        var left = try multiplicative()
        while current.isPunct("+") || current.isPunct("-") {
            let op = advance().text
            let right = try multiplicative()
            left = Expr(.binary(op: op, left, right), left.range.union(right.range))
        }
        return left
    }

    mutating func multiplicative() throws(Diagnostic) -> Expr {
        var left = try unary()
        while current.isPunct("*") || current.isPunct("/") || current.isPunct("%") {
            let op = advance().text
            let right = try unary()
            left = Expr(.binary(op: op, left, right), left.range.union(right.range))
        }
        return left
    }

    mutating func unary() throws(Diagnostic) -> Expr {
        if current.isPunct("-") || current.isPunct("+") {
            depth += 1
            defer { depth -= 1 }
            if depth > Parser.maxDepth {
                throw Diagnostic(.syntaxError, .error, "expression nested too deeply (more than \(Parser.maxDepth) levels)", file: file, range: current.range)
            }
            let t = advance()
            let operand = try unary()
            return Expr(.unary(op: t.text, operand), t.range.union(operand.range))
        }
        return try power()
    }

    mutating func power() throws(Diagnostic) -> Expr {
        let base = try postfix()
        if current.isPunct("^") {
            depth += 1
            defer { depth -= 1 }
            if depth > Parser.maxDepth {
                throw Diagnostic(.syntaxError, .error, "expression nested too deeply (more than \(Parser.maxDepth) levels)", file: file, range: current.range)
            }
            advance()
            let exponent = try unary()
            return Expr(.binary(op: "^", base, exponent), base.range.union(exponent.range))
        }
        return base
    }

    mutating func postfix() throws(Diagnostic) -> Expr {
        let e = try primary()
        // A call needs the '(' right after the name: `mean(x)`, while `ds (x > 1)` is two arguments.
        if case .name(let name) = e.kind, current.isPunct("("), current.range.start == e.range.end {
            let open = advance()
            openBrackets += 1
            var args: [Expr] = []
            var named: [(name: Name, value: Expr)] = []
            if !current.isPunct(")") {
                while true {
                    if (current.kind == .word || current.kind == .quotedName), peekToken().isPunct("=") {
                        let key = advance()
                        advance()
                        named.append((Name(key.text, range: key.range), try expression()))
                    } else {
                        if !named.isEmpty { throw expected("a named argument (name=value) after named arguments") }
                        args.append(try expression())
                    }
                    if current.isPunct(",") { advance(); continue }
                    break
                }
            }
            let close = try closing(")", opened: open)
            return Expr(.call(name, args: args, named: named), e.range.union(close.range))
        }
        return e
    }

    mutating func primary() throws(Diagnostic) -> Expr {
        let t = current
        switch t.kind {
        case .number:
            advance()
            return Expr(.number(t.number, literal: t.text), t.range)
        case .duration:
            advance()
            return Expr(.duration(seconds: t.number, literal: t.text), t.range)
        case .string:
            advance()
            return Expr(.string(t.text), t.range)
        case .quotedName:
            advance()
            return Expr(.name(Name(t.text, range: t.range, quoted: true)), t.range)
        case .word:
            if t.text == "true" || t.text == "false" {
                advance()
                return Expr(.bool(t.text == "true"), t.range)
            }
            if reservedWords.contains(t.text) {
                throw Diagnostic(.syntaxError, .error, "unexpected '\(t.text)': expected a value", file: file, range: t.range,
                                 hint: "'\(t.text)' is a reserved word; write a column of that name in backticks: `\(t.text)`")
            }
            advance()
            return Expr(.name(Name(t.text, range: t.range)), t.range)
        case .punct:
            switch t.text {
            case ".":
                advance()
                return Expr(.dot, t.range)
            case "(":
                advance()
                openBrackets += 1
                let inner = try expression()
                let close = try closing(")", opened: t)
                return Expr(inner.kind, t.range.union(close.range))
            case "[":
                advance()
                openBrackets += 1
                var items: [Expr] = []
                while !current.isPunct("]") {
                    if current.kind == .eof { break }
                    items.append(try expression())
                    if current.isPunct(",") { advance() } else { break }
                }
                let close = try closing("]", opened: t)
                return Expr(.list(items), t.range.union(close.range))
            case "{":
                advance()
                openBrackets += 1
                var pairs: [(key: Name, value: Expr)] = []
                while !current.isPunct("}") {
                    if current.kind == .eof { break }
                    let k = current
                    guard k.kind == .word || k.kind == .quotedName || k.kind == .string else {
                        throw expected("a key (a name or a string) in '{key: value}'")
                    }
                    advance()
                    guard current.isPunct(":") else { throw expected("':' after the key '\(k.text)'", hint: "write {key: value, ...}") }
                    advance()
                    pairs.append((Name(k.text, range: k.range, quoted: k.kind != .word), try expression()))
                    if current.isPunct(",") { advance() } else { break }
                }
                let close = try closing("}", opened: t)
                return Expr(.map(pairs), t.range.union(close.range))
            default:
                break
            }
        default:
            break
        }
        if errorID == .incompleteInput {
            throw expected("a value")
        }
        throw expected("a value", hint: t.kind == .eof || t.kind == .newline ? "the command stops too early" : nil)
    }

    /// Expects the bracket that closes `opened`; at the end of input that is incomplete input.
    mutating func closing(_ close: String, opened: Token) throws(Diagnostic) -> Token {
        defer { openBrackets -= 1 }
        if current.isPunct(close) { return advance() }
        let at = file.location(of: opened.range.start)
        if current.kind == .eof {
            throw Diagnostic(.incompleteInput, .error, "'\(opened.text)' is never closed", file: file, range: opened.range,
                             hint: "add '\(close)' to close it")
        }
        throw Diagnostic(.syntaxError, .error, "expected '\(close)' to close the '\(opened.text)' at \(at.line):\(at.column), found \(describe(current))",
                         file: file, range: current.range)
    }
}
