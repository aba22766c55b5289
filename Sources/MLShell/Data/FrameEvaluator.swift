import MLDiagnostics
import MLFrame
import MLLanguage
#if canImport(Glibc)
import Glibc
#endif

/// Evaluates an expression over every row of a frame at once (`where`, `derive`, `check`).
/// Names are columns first, then session values. Missing propagates: arithmetic with a
/// missing operand is missing; `and`/`or` follow three-valued logic; `where` drops rows
/// whose condition is missing.
struct FrameEvaluator {
    let frame: Frame
    let datasetName: String
    let session: Session
    let file: SourceFile
    var rows: Int { frame.rowCount }

    func fail(_ message: String, _ e: Expr, hint: String? = nil, id: Diagnostic.ID = .evaluationError) -> Diagnostic {
        Diagnostic(id, .error, message, file: file, range: e.range, hint: hint)
    }

    /// The rows where the condition holds (missing counts as false).
    func mask(_ e: Expr) throws(Diagnostic) -> [Bool] {
        switch try evaluate(e) {
        case .bool(let v, let valid):
            guard let valid else { return v }
            return (0..<v.count).map { v[$0] && valid[$0] }
        case .scalar(.bool(let b)):
            return Array(repeating: b, count: rows)
        case .scalar(.missing):
            return Array(repeating: false, count: rows)
        case let other:
            let example: String
            if case .text = other { example = "\(ExprPrinter.print(e)) == \"some value\"" }
            else if case .number = other { example = "\(ExprPrinter.print(e)) > 0" }
            else { example = "x > 0" }
            let kind = other.kindName
            throw fail("a condition must be true or false, but this is \(kind.first.map { "aeiou".contains($0) } == true ? "an" : "a") \(kind) value", e,
                       hint: "write a comparison such as \(example), or test for missing values with 'is missing'")
        }
    }

    func evaluate(_ e: Expr) throws(Diagnostic) -> Vector {
        switch e.kind {
        case .name(let n):
            if !n.quoted && (n.text == "missing" || n.text == "args") {
                return .scalar(try Evaluator(session: session, file: file).evaluate(e))
            }
            if let c = frame.column(n.text) { return Vector(c) }
            if let v = session.variable(n.text), !(v.kindName == "dataset") { return .scalar(v) }
            let names = frame.columnNames
            var hint = Suggest.didYouMean(n.text, in: names)
                ?? (names.isEmpty ? "\(datasetName) has no columns" : "the columns are: " + names.prefix(12).joined(separator: ", ") + (names.count > 12 ? ", …" : ""))
            if !n.quoted { hint += " (for the text \"\(n.text)\", write it in quotes)" }
            throw fail("no column '\(n.text)' in \(datasetName)", e, hint: hint, id: .unknownName)
        case .number, .string, .duration, .bool, .list:
            return .scalar(try Evaluator(session: session, file: file).evaluate(e))
        case .dot, .map, .formula:
            return .scalar(try Evaluator(session: session, file: file).evaluate(e))
        case .unary(let op, let operand):
            let v = try evaluate(operand)
            if case .scalar = v { return .scalar(try Evaluator(session: session, file: file).evaluate(e)) }
            if op == "not" {
                guard case .bool(let b, let valid) = v else {
                    throw fail("'not' needs true or false, got \(v.kindName)", operand)
                }
                return .bool(b.map { !$0 }, valid)
            }
            let (x, valid, integer) = try numbers(v, operand, op: op)
            return .number(op == "-" ? x.map { -$0 } : x, valid, integer: integer)
        case .binary(let op, let a, let b):
            return try binary(op, a, b, e)
        case .call(let name, let args, _):
            return try FrameFunctions.call(name, args, e, self)
        case .isCheck(let operand, let what, let negated):
            let v = try evaluate(operand)
            if case .scalar = v { return .scalar(try Evaluator(session: session, file: file).evaluate(e)) }
            switch what.text {
            case "missing":
                let valid = v.validity
                return .bool((0..<rows).map { (valid?[$0] ?? true) == negated }, nil)
            default:
                // Per value, as for a single value: a missing cell is no number; a whole float is an int.
                let known = ["missing", "number", "int", "string", "bool", "date"]
                guard known.contains(what.text) || what.text == "float" || what.text == "integer" else {
                    throw Diagnostic(.evaluationError, .error, "unknown check 'is \(what.text)'", file: file, range: what.range,
                                     hint: Suggest.didYouMean(what.text, in: known) ?? "write 'is missing' or 'is' a type: " + known.dropFirst().joined(separator: ", "))
                }
                let valid = v.validity
                var out = [Bool](repeating: false, count: rows)
                for i in 0..<rows {
                    guard valid?[i] ?? true else { out[i] = negated; continue }
                    let matches: Bool
                    switch (what.text, v) {
                    case ("number", .number), ("float", .number), ("string", .text), ("bool", .bool), ("date", .days): matches = true
                    case ("int", .number(let x, _, _)), ("integer", .number(let x, _, _)): matches = x[i] == x[i].rounded() && x[i].isFinite
                    default: matches = false
                    }
                    out[i] = matches != negated
                }
                return .bool(out, nil)
            }
        case .inList(let operand, let listExpr, let negated):
            let v = try evaluate(operand)
            let l = try Evaluator(session: session, file: file).evaluate(listExpr)
            guard case .list(let items) = l else {
                throw fail("'in' needs a list on its right, got \(l.kindName) \(l.literal)", listExpr, hint: "write x in [a, b, c]")
            }
            switch v {
            case .text(let codes, let dictionary, let valid):
                let wanted = Set(items.compactMap { if case .string(let s) = $0 { return s }; return nil })
                let hit = dictionary.map { wanted.contains($0) != negated }
                return .bool(codes.map { hit[Int($0)] }, valid)
            case .number(let x, let valid, _), .days(let x, let valid):
                let wanted = Set(items.compactMap { if case .number(let d) = $0 { return d }; return nil })
                return .bool(x.map { wanted.contains($0) != negated }, valid)
            case .bool(let x, let valid):
                // As in comparisons, true is 1 and false is 0: a one-hot column is `in [0, 1]`.
                let wanted = Set(items.compactMap { item -> Bool? in
                    switch item {
                    case .bool(let b): return b
                    case .number(1): return true
                    case .number(0): return false
                    default: return nil
                    }
                })
                return .bool(x.map { wanted.contains($0) != negated }, valid)
            case .scalar:
                return .scalar(try Evaluator(session: session, file: file).evaluate(e))
            }
        case .between(let operand, let low, let high, let negated):
            let v = try evaluate(operand)
            if case .scalar = v { return .scalar(try Evaluator(session: session, file: file).evaluate(e)) }
            let lo = try scalarNumber(low, against: v), hi = try scalarNumber(high, against: v)
            let (x, valid, _) = try numbers(v, operand, op: "between")
            return .bool(x.map { ($0 >= lo && $0 <= hi) != negated }, valid)
        }
    }

    /// A bound of `between` or a comparison: a number, or a date written as "YYYY-MM-DD" when
    /// compared with a date column.
    func scalarNumber(_ e: Expr, against v: Vector) throws(Diagnostic) -> Double {
        let value = try Evaluator(session: session, file: file).evaluate(e)
        if case .number(let d) = value { return d }
        if case .days = v, case .string(let s) = value {
            if let d = parseDate(s) { return Double(d) }
            throw fail("\(value.literal) is not a date this column can hold", e, hint: "write dates as \"YYYY-MM-DD\", years within ±5 million")
        }
        throw fail("expected a number, got \(value.kindName) \(value.literal)", e)
    }

    func parseDate(_ s: String) -> Int32? {
        let parts = s.split(separator: "-")
        guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        return daysFromCivil(y, m, d)
    }

    /// Numbers from a vector (bools count as 0/1), broadcast when scalar.
    func numbers(_ v: Vector, _ e: Expr, op: String) throws(Diagnostic) -> ([Double], Bitmap?, Bool) {
        switch v {
        case .number(let x, let valid, let integer): return (x, valid, integer)
        case .days(let x, let valid): return (x, valid, true)
        case .bool(let b, let valid): return (b.map { $0 ? 1 : 0 }, valid, true)
        case .scalar(.number(let d)): return (Array(repeating: d, count: rows), nil, d == d.rounded())
        case .scalar(.missing): return (Array(repeating: .nan, count: rows), Bitmap(count: rows, allValid: false), false)
        case .text:
            throw fail("'\(op)' needs numbers, but \(ExprPrinter.print(e)) is text", e,
                       hint: "only numeric columns work here; 'schema' shows each column's type")
        case .scalar(let s):
            var hint: String? = nil
            if case .dataset = s { hint = "a negative number as an argument of its own needs parentheses: (-1)" }
            // The missing value's kind and literal are the same word: say it once.
            let got = s.kindName == s.literal ? s.literal : "\(s.kindName) \(s.literal)"
            throw fail("'\(op)' needs a number, got \(got)", e, hint: hint)
        }
    }
}
