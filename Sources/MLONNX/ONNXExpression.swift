import Foundation
import MLDiagnostics
import MLLanguage

/// A `derive` step's expression as graph nodes, with the shell's column semantics: a missing
/// operand gives missing (NaN), division or remainder by zero gives missing, sqrt and log outside
/// their domain give missing, comparisons and `and`/`or`/`not` are three-valued (false wins over
/// missing in `and`, true in `or`). Text takes part only in == and != against a text literal.
extension Exporter {
    mutating func derive(_ name: String, _ source: String, _ place: String) throws {
        let (parsed, problems) = Parser.parseExpression(SourceFile(name: "derive", text: source))
        guard let expr = parsed, problems.isEmpty else { throw refuse("\(place) has an expression mlsh cannot read back: \(source)") }
        // Session values were written in as literals when the recipe was fitted: every name is a column.
        guard expressionNames(expr).allSatisfy({ columns[$0] != nil }) else {
            // It reads a column the model does not use: the derived column is not used either.
            columns[name] = nil
            return
        }
        let v = try value(expr, place)
        columns[name] = GraphColumn(value: v.name, kind: v.bool ? .bool : .number)
    }

    /// A node's output and whether it holds true/false (as 1/0).
    private struct Operand {
        var name: String
        var bool = false
        var text = false
        var literal: String? = nil
    }

    private mutating func value(_ e: Expr, _ place: String) throws -> Operand {
        func unsupported(_ what: String) -> Diagnostic {
            refuse("\(place) uses \(what), which the graph cannot compute as mlsh does", hint: "derive the column before fitting without it, or leave it out of the formula")
        }
        switch e.kind {
        case .number(let d, _): return Operand(name: graph.scalar(d))
        case .bool(let b): return Operand(name: graph.scalar(b ? 1 : 0), bool: true)
        case .string(let s): return Operand(name: graph.constant(strings: [s], shape: []), text: true, literal: s)
        case .name(let n):
            guard let c = columns[n.text] else { throw refuse("\(place) reads '\(n.text)', which the graph does not have") }
            if c.kind == .date { throw unsupported("the date column '\(n.text)' (dates in expressions)") }
            return Operand(name: c.value, bool: c.kind == .bool, text: c.isText)
        case .unary(let op, let a):
            let x = try value(a, place)
            guard !x.text else { throw unsupported("'\(op)' on text") }
            switch op {
            case "-": return Operand(name: graph.op("Neg", x.name))
            case "not":
                let flipped = graph.op("Sub", graph.scalar(1), x.name)
                return Operand(name: graph.op("Where", graph.op("IsNaN", x.name), graph.scalar(.nan), flipped), bool: true)
            default: throw unsupported("'\(op)'")
            }
        case .binary(let op, let a, let b):
            let x = try value(a, place), y = try value(b, place)
            if x.text || y.text {
                guard op == "==" || op == "!=", x.text && y.text, (x.literal != nil) != (y.literal != nil) else {
                    throw unsupported("text in '\(op)'")
                }
                let column = x.literal == nil ? x.name : y.name
                var hit = graph.op("Cast", graph.op("Equal", x.name, y.name), attributes: [ONNXGraph.attribute("to", int: 11)])
                if op == "!=" { hit = graph.op("Sub", graph.scalar(1), hit) }
                let missing = graph.op("Equal", column, graph.constant(strings: [""], shape: []))
                return Operand(name: graph.op("Where", missing, graph.scalar(.nan), hit), bool: true)
            }
            let eitherMissing = graph.op("Or", graph.op("IsNaN", x.name), graph.op("IsNaN", y.name))
            switch op {
            case "+": return Operand(name: graph.op("Add", x.name, y.name))
            case "-": return Operand(name: graph.op("Sub", x.name, y.name))
            case "*": return Operand(name: graph.op("Mul", x.name, y.name))
            case "^": return Operand(name: graph.op("Pow", x.name, y.name))
            case "/":
                return Operand(name: graph.op("Where", graph.op("Equal", y.name, graph.scalar(0)), graph.scalar(.nan), graph.op("Div", x.name, y.name)))
            case "%":
                // C's fmod, then the sign of the divisor (Python's %), as the shell computes it.
                let m = graph.op("Mod", x.name, y.name, attributes: [ONNXGraph.attribute("fmod", int: 1)])
                let shift = graph.op("And", graph.op("Not", graph.op("Equal", m, graph.scalar(0))),
                                     graph.op("Xor", graph.op("Less", m, graph.scalar(0)), graph.op("Less", y.name, graph.scalar(0))))
                let r = graph.op("Where", shift, graph.op("Add", m, y.name), m)
                return Operand(name: graph.op("Where", graph.op("Equal", y.name, graph.scalar(0)), graph.scalar(.nan), r))
            case "==", "!=", "<", "<=", ">", ">=":
                let ops = ["==": "Equal", "<": "Less", "<=": "LessOrEqual", ">": "Greater", ">=": "GreaterOrEqual", "!=": "Equal"]
                var hit = graph.op("Cast", graph.op(ops[op]!, x.name, y.name), attributes: [ONNXGraph.attribute("to", int: 11)])
                if op == "!=" { hit = graph.op("Sub", graph.scalar(1), hit) }
                return Operand(name: graph.op("Where", eitherMissing, graph.scalar(.nan), hit), bool: true)
            case "and", "or":
                guard x.bool && y.bool else { throw unsupported("'\(op)' on numbers") }
                let decisive = graph.scalar(op == "and" ? 0 : 1)
                let decided = graph.op("Or", graph.op("Equal", x.name, decisive), graph.op("Equal", y.name, decisive))
                let otherwise = graph.op("Where", eitherMissing, graph.scalar(.nan), graph.scalar(op == "and" ? 1 : 0))
                return Operand(name: graph.op("Where", decided, decisive, otherwise), bool: true)
            default: throw unsupported("the operator '\(op)'")
            }
        case .call(let fn, let args, let named):
            guard named.isEmpty else { throw unsupported("named arguments") }
            let xs = try args.map { try value($0, place) }
            guard xs.allSatisfy({ !$0.text }) else { throw unsupported("text in '\(fn.text)'") }
            switch (fn.text, xs.count) {
            case ("abs", 1): return Operand(name: graph.op("Abs", xs[0].name))
            case ("exp", 1): return Operand(name: graph.op("Exp", xs[0].name))
            case ("sqrt", 1):
                return Operand(name: graph.op("Where", graph.op("Less", xs[0].name, graph.scalar(0)), graph.scalar(.nan), graph.op("Sqrt", xs[0].name)))
            case ("log", 1):
                return Operand(name: graph.op("Where", graph.op("LessOrEqual", xs[0].name, graph.scalar(0)), graph.scalar(.nan), graph.op("Log", xs[0].name)))
            case ("round", 1): return Operand(name: graph.op("Round", xs[0].name))
            case ("round", 2):
                var digitsExpr = args[1], sign = 1.0
                if case .unary("-", let inner) = digitsExpr.kind { digitsExpr = inner; sign = -1 }
                guard case .number(let d, _) = digitsExpr.kind, d == d.rounded(), abs(d) <= 15 else { throw unsupported("round with digits other than a whole number from -15 to 15") }
                let digits = sign * d
                // Half to even, as the shell's (x · 10^d).rounded(.toNearestOrEven) / 10^d.
                let scale = graph.scalar(pow(10, digits))
                return Operand(name: graph.op("Div", graph.op("Round", graph.op("Mul", xs[0].name, scale)), scale))
            case ("min", 1...), ("max", 1...):
                var acc = xs[0].name
                var missing = graph.op("IsNaN", acc)
                for x in xs.dropFirst() {
                    acc = graph.op(fn.text == "min" ? "Min" : "Max", acc, x.name)
                    missing = graph.op("Or", missing, graph.op("IsNaN", x.name))
                }
                return Operand(name: graph.op("Where", missing, graph.scalar(.nan), acc))
            case ("clip", 3):
                let missing = graph.op("Or", graph.op("IsNaN", xs[0].name), graph.op("Or", graph.op("IsNaN", xs[1].name), graph.op("IsNaN", xs[2].name)))
                let v = graph.op("Min", graph.op("Max", xs[0].name, xs[1].name), xs[2].name)
                return Operand(name: graph.op("Where", missing, graph.scalar(.nan), v))
            default: throw unsupported("the function '\(fn.text)'")
            }
        default:
            throw unsupported("'\(ExprPrinter.print(e))'")
        }
    }
}

/// The names an expression reads.
private func expressionNames(_ e: Expr) -> [String] {
    var out: [String] = []
    func walk(_ e: Expr) {
        switch e.kind {
        case .name(let n): out.append(n.text)
        case .unary(_, let a): walk(a)
        case .binary(_, let a, let b): walk(a); walk(b)
        case .call(_, let args, let named): args.forEach(walk); named.forEach { walk($0.value) }
        case .list(let items): items.forEach(walk)
        case .isCheck(let a, _, _): walk(a)
        case .inList(let a, let b, _): walk(a); walk(b)
        case .between(let a, let lo, let hi, _): walk(a); walk(lo); walk(hi)
        default: break
        }
    }
    walk(e)
    return out
}
