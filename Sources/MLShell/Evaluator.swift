import MLDiagnostics
import MLLanguage
#if canImport(Glibc)
import Glibc
#endif

/// Evaluates an expression to one value, with the session's bound names in scope.
/// (Expressions over a dataset's columns are evaluated column-wise elsewhere.)
public struct Evaluator {
    let session: Session
    let file: SourceFile

    public init(session: Session, file: SourceFile) {
        self.session = session
        self.file = file
    }

    func fail(_ message: String, _ e: Expr, hint: String? = nil, id: Diagnostic.ID = .evaluationError) -> Diagnostic {
        Diagnostic(id, .error, message, file: file, range: e.range, hint: hint)
    }

    public func evaluate(_ e: Expr) throws(Diagnostic) -> Value {
        switch e.kind {
        case .number(let d, _): return .number(d)
        case .string(let s): return .string(s)
        case .duration(let s, _): return .duration(seconds: s)
        case .bool(let b): return .bool(b)
        case .name(let n):
            if n.text == "missing" && !n.quoted { return .missing }
            if n.text == "args" && !n.quoted { return .list(session.scriptArguments.map { .string($0) }) }
            if let v = session.variable(n.text) { return v }
            // `e.rmse`: a field of a bound record (a dotted name is one word to the lexer).
            if let dot = n.text.firstIndex(of: "."), case .record(let fields)? = session.variable(String(n.text[..<dot])) {
                let key = String(n.text[n.text.index(after: dot)...])
                if let v = fields.first(where: { $0.name == key })?.value { return v }
                throw fail("\(n.text[..<dot]) has no field '\(key)'", e,
                           hint: Suggest.didYouMean(key, in: fields.map(\.name)) ?? "its fields: " + fields.map(\.name).joined(separator: ", "), id: .unknownName)
            }
            let hint = Suggest.didYouMean(n.text, in: session.variableNames)
                ?? "bind a value first, e.g. 'print 1 as \(n.quoted ? "x" : n.text)'; 'vars' lists what is bound"
            throw fail("unknown name '\(n.text)'", e, hint: hint, id: .unknownName)
        case .dot:
            throw fail("'.' stands for 'every other column' and works only in a formula", e,
                       hint: "write a formula such as 'y ~ .'")
        case .list(let items):
            var values: [Value] = []
            for item in items { values.append(try evaluate(item)) }
            return .list(values)
        case .map:
            throw fail("a {key: value} map is an option value, not a value to compute with", e)
        case .formula:
            throw fail("a formula describes a model's inputs and target; it has no value of its own", e,
                       hint: "use it in 'fit', e.g. 'fit linear y ~ x on data'")
        case .unary(let op, let operand):
            let v = try evaluate(operand)
            if op == "not" {
                if case .missing = v { return .missing }
                return .bool(!(try truth(v, operand)))
            }
            if case .missing = v { return .missing }
            let d = try number(v, operand, op: op)
            return .number(op == "-" ? -d : d)
        case .binary(let op, let a, let b):
            return try binary(op, a, b, e)
        case .call(let name, let args, let named):
            if !named.isEmpty {
                throw fail("'\(name.text)' takes no named arguments", named[0].value)
            }
            // `if` evaluates only the branch it takes, so if(x != 0, 1 / x, 0) is safe.
            if name.text == "if" && args.count == 3 {
                let condition = try evaluate(args[0])
                if condition == .missing { return .missing }
                return try evaluate(try truth(condition, args[0]) ? args[1] : args[2])
            }
            var values: [Value] = []
            for a in args { values.append(try evaluate(a)) }
            return try Functions.call(name, values, args: args, call: e, evaluator: self)
        case .isCheck(let operand, let what, let negated):
            let v = try evaluate(operand)
            let result: Bool
            switch what.text {
            case "missing": result = v == .missing
            case "number", "float": if case .number = v { result = true } else { result = false }
            case "int", "integer": if case .number(let d) = v { result = d.isFinite && d == d.rounded() } else { result = false }
            case "string": if case .string = v { result = true } else { result = false }
            case "bool": if case .bool = v { result = true } else { result = false }
            default:
                let names = ["missing", "number", "int", "string", "bool"]
                throw Diagnostic(.evaluationError, .error, "unknown check 'is \(what.text)'", file: file, range: what.range,
                                 hint: Suggest.didYouMean(what.text, in: names + ["float", "integer"])
                                    ?? "write 'is missing' or 'is' a type: " + names.dropFirst().joined(separator: ", "))
            }
            return .bool(result != negated)
        case .inList(let operand, let listExpr, let negated):
            let v = try evaluate(operand)
            let l = try evaluate(listExpr)
            guard case .list(let items) = l else {
                throw fail("'in' needs a list on its right, got \(l.kindName) \(l.literal)", listExpr, hint: "write x in [a, b, c]")
            }
            return .bool(items.contains(v) != negated)
        case .between(let operand, let low, let high, let negated):
            let v = try evaluate(operand)
            if case .missing = v { return .missing }
            let x = try number(v, operand, op: "between")
            let lo = try number(try evaluate(low), low, op: "between")
            let hi = try number(try evaluate(high), high, op: "between")
            return .bool((x >= lo && x <= hi) != negated)
        }
    }

    func truth(_ v: Value, _ e: Expr) throws(Diagnostic) -> Bool {
        if case .bool(let b) = v { return b }
        throw fail("expected true or false, got \(v.kindName) \(v.literal)", e, hint: "compare it, e.g. x > 0")
    }

    func number(_ v: Value, _ e: Expr, op: String) throws(Diagnostic) -> Double {
        if case .number(let d) = v { return d }
        var hint: String? = nil
        if case .dataset = v { hint = "a negative number as an argument of its own needs parentheses: (-1)" }
        throw fail("'\(op)' needs a number, got \(v.kindName) \(v.literal)", e, hint: hint)
    }

    private func binary(_ op: String, _ a: Expr, _ b: Expr, _ whole: Expr) throws(Diagnostic) -> Value {
        if op == "and" || op == "or" {
            let l = try evaluate(a)
            if case .bool(let lb) = l {
                if op == "and" && !lb { return .bool(false) }
                if op == "or" && lb { return .bool(true) }
            } else if l != .missing {
                _ = try truth(l, a)
            }
            let r = try evaluate(b)
            if l == .missing || r == .missing {
                if case .bool(let rb) = r { if op == "and" && !rb { return .bool(false) }; if op == "or" && rb { return .bool(true) } }
                return .missing
            }
            return .bool(try truth(r, b))
        }
        let l = try evaluate(a), r = try evaluate(b)
        if l == .missing || r == .missing { return .missing }
        switch op {
        case "==": return .bool(l == r)
        case "!=": return .bool(l != r)
        case "<", "<=", ">", ">=":
            let order: Int
            switch (l, r) {
            case (.number(let x), .number(let y)): order = x < y ? -1 : (x > y ? 1 : 0)
            case (.string(let x), .string(let y)): order = x < y ? -1 : (x > y ? 1 : 0)
            case (.duration(let x), .duration(let y)): order = x < y ? -1 : (x > y ? 1 : 0)
            default:
                throw fail("cannot compare \(l.kindName) \(l.literal) with \(r.kindName) \(r.literal)", whole)
            }
            switch op {
            case "<": return .bool(order < 0)
            case "<=": return .bool(order <= 0)
            case ">": return .bool(order > 0)
            default: return .bool(order >= 0)
            }
        case "+":
            if case .string(let x) = l, case .string(let y) = r { return .string(x + y) }
            if case .duration(let x) = l, case .duration(let y) = r { return .duration(seconds: x + y) }
            return .number(try number(l, a, op: op) + number(r, b, op: op))
        case "-":
            if case .duration(let x) = l, case .duration(let y) = r { return .duration(seconds: x - y) }
            return .number(try number(l, a, op: op) - number(r, b, op: op))
        case "*":
            if case .duration(let x) = l, case .number(let y) = r { return .duration(seconds: x * y) }
            return .number(try number(l, a, op: op) * number(r, b, op: op))
        case "/":
            let x = try number(l, a, op: op), y = try number(r, b, op: op)
            if y == 0 {
                throw fail("division by zero", b, hint: "the right side of '/' evaluates to 0")
            }
            return .number(x / y)
        case "%":
            let x = try number(l, a, op: op), y = try number(r, b, op: op)
            if y == 0 { throw fail("modulo by zero", b) }
            let m = fmod(x, y)
            return .number(m != 0 && (m < 0) != (y < 0) ? m + y : m)
        case "^":
            return .number(pow(try number(l, a, op: op), try number(r, b, op: op)))
        default:
            throw fail("unknown operator '\(op)'", whole)
        }
    }
}

extension Diagnostic.ID {
    public static let evaluationError = Diagnostic.ID("evaluation-error")
}
