/// Prints an expression back as source text (normalised spacing); used in messages and tests.
public enum ExprPrinter {
    public static func print(_ e: Expr) -> String { print(e.kind) }

    public static func print(_ k: ExprKind) -> String {
        switch k {
        case .number(_, let literal): return literal
        case .string(let s): return "\"" + s.replacingBackslashesAndQuotes() + "\""
        case .duration(_, let literal): return literal
        case .bool(let b): return b ? "true" : "false"
        case .name(let n): return n.quoted || !isPlainWord(n.text) ? "`\(n.text)`" : n.text
        case .dot: return "."
        case .list(let items): return "[" + items.map(print).joined(separator: ", ") + "]"
        case .map(let pairs): return "{" + pairs.map { "\($0.key.text): \(print($0.value))" }.joined(separator: ", ") + "}"
        case .unary(let op, let e): return op == "not" ? "not \(print(e))" : "\(op)\(print(e))"
        case .binary(let op, let a, let b): return "(\(print(a)) \(op) \(print(b)))"
        case .call(let n, let args, let named):
            let all = args.map(print) + named.map { "\($0.name.text)=\(print($0.value))" }
            return "\(n.text)(" + all.joined(separator: ", ") + ")"
        case .isCheck(let e, let what, let neg): return "(\(print(e)) is \(neg ? "not " : "")\(what.text))"
        case .inList(let e, let l, let neg): return "(\(print(e)) \(neg ? "not in" : "in") \(print(l)))"
        case .between(let e, let lo, let hi, let neg):
            return "(\(print(e)) \(neg ? "not between" : "between") \(print(lo)) and \(print(hi)))"
        case .formula(let lhs, let rhs): return (lhs.map { print($0) + " " } ?? "") + "~ " + print(rhs)
        }
    }

    static func isPlainWord(_ s: String) -> Bool {
        guard let f = s.unicodeScalars.first, !(f.properties.numericType != nil), !reservedWords.contains(s) else { return false }
        return s.unicodeScalars.allSatisfy { $0 == "_" || $0.properties.isAlphabetic || $0.properties.numericType != nil }
    }
}

extension String {
    fileprivate func replacingBackslashesAndQuotes() -> String {
        var out = ""
        for ch in self {
            switch ch {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.append(ch)
            }
        }
        return out
    }
}
