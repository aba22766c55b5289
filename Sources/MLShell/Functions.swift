import MLDiagnostics
import MLLanguage
#if canImport(Glibc)
import Glibc
#endif

/// The functions expressions can call: abs sqrt log exp round min max clip lower upper len contains if.
enum Functions {
    static let names = ["abs", "sqrt", "log", "exp", "round", "min", "max", "clip", "lower", "upper", "len", "contains", "if"]

    static let signatures: [String: String] = [
        "abs": "abs(x)", "sqrt": "sqrt(x)", "log": "log(x)", "exp": "exp(x)", "round": "round(x[, digits])",
        "min": "min(a, b, ...)", "max": "max(a, b, ...)", "clip": "clip(x, low, high)", "lower": "lower(text)",
        "upper": "upper(text)", "len": "len(text or list)", "contains": "contains(text, part)", "if": "if(condition, then, else)",
        "str": "str(x)",
    ]

    static func call(_ name: Name, _ values: [Value], args: [Expr], call callExpr: Expr, evaluator ev: Evaluator) throws(Diagnostic) -> Value {
        guard let signature = signatures[name.text] else {
            throw Diagnostic(.unknownName, .error, "unknown function '\(name.text)'", file: ev.file, range: name.range,
                             hint: Suggest.didYouMean(name.text, in: names) ?? "the functions are: " + names.joined(separator: ", "))
        }
        func arity(_ counts: ClosedRange<Int>) throws(Diagnostic) {
            if !counts.contains(values.count) {
                let takes = counts.lowerBound == counts.upperBound ? "\(counts.lowerBound)"
                    : counts.upperBound == Int.max ? "at least \(counts.lowerBound)" : "\(counts.lowerBound) to \(counts.upperBound)"
                throw ev.fail("'\(name.text)' takes \(takes) argument\(counts.upperBound == 1 || counts == 1...Int.max ? "" : "s"), got \(values.count)",
                              callExpr, hint: "write \(signature)")
            }
        }
        func num(_ i: Int) throws(Diagnostic) -> Double { try ev.number(values[i], args[i], op: name.text) }
        func text(_ i: Int) throws(Diagnostic) -> String {
            if case .string(let s) = values[i] { return s }
            throw ev.fail("'\(name.text)' needs text, got \(values[i].kindName) \(values[i].literal)", args[i])
        }
        if name.text != "if" && values.contains(.missing) && name.text != "len" { return .missing }
        switch name.text {
        case "abs": try arity(1...1); return .number(Swift.abs(try num(0)))
        case "str":
            // A value as text, as `print` shows it: what '+' needs to join text with a number.
            try arity(1...1)
            if case .string = values[0] { return values[0] }
            return .string(values[0].display)
        case "sqrt":
            try arity(1...1)
            let x = try num(0)
            if x < 0 { throw ev.fail("sqrt of a negative number (\(Value.formatNumber(x)))", args[0]) }
            return .number(x.squareRoot())
        case "log":
            try arity(1...1)
            let x = try num(0)
            if x <= 0 { throw ev.fail("log of a number that is not positive (\(Value.formatNumber(x)))", args[0]) }
            return .number(Glibc.log(x))
        case "exp": try arity(1...1); return .number(Glibc.exp(try num(0)))
        case "round":
            try arity(1...2)
            let x = try num(0)
            let digits = values.count == 2 ? try num(1) : 0
            if digits != digits.rounded() || abs(digits) > 15 {
                throw ev.fail("'round' needs a whole number of digits (-15 to 15)", args[1])
            }
            let scale = pow(10, digits)
            return .number((x * scale).rounded(.toNearestOrEven) / scale)
        case "min", "max":
            if values.count == 1, case .list(let items) = values[0] {
                return try Functions.call(name, items, args: Array(repeating: args[0], count: items.count), call: callExpr, evaluator: ev)
            }
            try arity(1...Int.max)
            var best = try num(0)
            for i in 1..<values.count {
                let x = try num(i)
                best = name.text == "min" ? Swift.min(best, x) : Swift.max(best, x)
            }
            return .number(best)
        case "clip":
            try arity(3...3)
            return .number(Swift.min(Swift.max(try num(0), try num(1)), try num(2)))
        case "lower": try arity(1...1); return .string(try text(0).lowercased())
        case "upper": try arity(1...1); return .string(try text(0).uppercased())
        case "len":
            try arity(1...1)
            switch values[0] {
            case .string(let s): return .number(Double(s.count))
            case .list(let l): return .number(Double(l.count))
            case .missing: return .missing
            default: throw ev.fail("'len' needs text or a list, got \(values[0].kindName)", args[0])
            }
        case "contains":
            try arity(2...2)
            return .bool(try text(0).contains(try text(1)))
        default:  // if
            try arity(3...3)
            if values[0] == .missing { return .missing }
            return try ev.truth(values[0], args[0]) ? values[1] : values[2]
        }
    }
}
