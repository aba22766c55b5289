import MLDiagnostics
import MLFrame
import MLLanguage
#if canImport(Glibc)
import Glibc
#endif

extension FrameEvaluator {
    func binary(_ op: String, _ a: Expr, _ b: Expr, _ whole: Expr) throws(Diagnostic) -> Vector {
        let l = try evaluate(a), r = try evaluate(b)
        if case .scalar = l, case .scalar = r {
            return .scalar(try Evaluator(session: session, file: file).evaluate(whole))
        }
        switch op {
        case "and", "or":
            return try logic(op, l, r, a, b)
        case "==", "!=", "<", "<=", ">", ">=":
            return try compare(op, l, r, a, b, whole)
        case "+":
            // Text joins text only: `species + body_mass_g` would make "Adelie3750" without a word.
            if l.isText || r.isText {
                guard l.isText && r.isText else {
                    let (other, e) = l.isText ? (r, b) : (l, a)
                    throw fail("'+' joins text with text, but \(ExprPrinter.print(e)) is \(other.kindName)", e,
                               hint: "to join them, make it text first: str(\(ExprPrinter.print(e)))")
                }
                return try concat(l, r, a, b)
            }
            fallthrough
        default:
            let (x, vx, ix) = try numbers(l, a, op: op)
            let (y, vy, iy) = try numbers(r, b, op: op)
            var out = [Double](repeating: 0, count: rows)
            switch op {
            case "+": for i in 0..<rows { out[i] = x[i] + y[i] }
            case "-": for i in 0..<rows { out[i] = x[i] - y[i] }
            case "*": for i in 0..<rows { out[i] = x[i] * y[i] }
            case "/":
                // Division by zero gives missing in a column (not an error: one bad row should
                // not stop the rest), as x / 0 gives NaN/inf in pandas.
                var valid = combine(vx, vy) ?? Bitmap(count: rows, allValid: true)
                for i in 0..<rows {
                    if y[i] == 0 { valid[i] = false; out[i] = .nan } else { out[i] = x[i] / y[i] }
                }
                return .number(out, valid, integer: false)
            case "%":
                var valid = combine(vx, vy) ?? Bitmap(count: rows, allValid: true)
                for i in 0..<rows {
                    if y[i] == 0 { valid[i] = false; out[i] = .nan; continue }
                    let m = fmod(x[i], y[i])
                    out[i] = m != 0 && (m < 0) != (y[i] < 0) ? m + y[i] : m
                }
                return .number(out, valid, integer: ix && iy)
            case "^": for i in 0..<rows { out[i] = pow(x[i], y[i]) }
            default: throw fail("unknown operator '\(op)'", whole)
            }
            // Dates: a date plus or minus days is a date; the difference of two dates is days.
            let lDate: Bool = { if case .days = l { return true }; return false }()
            let rDate: Bool = { if case .days = r { return true }; return false }()
            if (op == "+" && lDate != rDate) || (op == "-" && lDate && !rDate) {
                // A day number past what a date holds (±5 million years) is missing, not a date.
                var valid = combine(vx, vy) ?? Bitmap(count: rows, allValid: true)
                var days = [Double](repeating: 0, count: rows)
                for i in 0..<rows {
                    let d = out[i].rounded(.down)
                    if d.isFinite && abs(d) < 1.8e9 { days[i] = d } else { valid[i] = false }
                }
                return .days(days, valid)
            }
            // A result that is not a number (a negative to a fractional power, inf − inf) is missing,
            // as sqrt and log make it: a NaN that was a value would be skipped by fill and dropped by fit.
            var valid = combine(vx, vy)
            for i in 0..<rows where out[i].isNaN && (valid?[i] ?? true) {
                if valid == nil { valid = Bitmap(count: rows, allValid: true) }
                valid![i] = false
            }
            return .number(out, valid, integer: ix && iy && op != "^")
        }
    }

    private func logic(_ op: String, _ l: Vector, _ r: Vector, _ a: Expr, _ b: Expr) throws(Diagnostic) -> Vector {
        func bools(_ v: Vector, _ e: Expr) throws(Diagnostic) -> ([Bool], Bitmap?) {
            switch v {
            case .bool(let x, let valid): return (x, valid)
            case .scalar(.bool(let x)): return (Array(repeating: x, count: rows), nil)
            case .scalar(.missing): return (Array(repeating: false, count: rows), Bitmap(count: rows, allValid: false))
            default:
                throw fail("'\(op)' needs true or false on both sides, but \(ExprPrinter.print(e)) is \(v.kindName)", e,
                           hint: "compare it, e.g. \(ExprPrinter.print(e)) > 0")
            }
        }
        let (x, vx) = try bools(l, a), (y, vy) = try bools(r, b)
        var out = [Bool](repeating: false, count: rows)
        var valid = Bitmap(count: rows, allValid: true)
        var anyMissing = false
        for i in 0..<rows {
            let px = vx?[i] ?? true, py = vy?[i] ?? true
            if op == "and" {
                // false wins over missing
                if (px && !x[i]) || (py && !y[i]) { out[i] = false }
                else if px && py { out[i] = true }
                else { valid[i] = false; anyMissing = true }
            } else {
                if (px && x[i]) || (py && y[i]) { out[i] = true }
                else if px && py { out[i] = false }
                else { valid[i] = false; anyMissing = true }
            }
        }
        return .bool(out, anyMissing ? valid : nil)
    }

    private func compare(_ op: String, _ l: Vector, _ r: Vector, _ a: Expr, _ b: Expr, _ whole: Expr) throws(Diagnostic) -> Vector {
        func test(_ c: Int) -> Bool {
            switch op {
            case "==": return c == 0
            case "!=": return c != 0
            case "<": return c < 0
            case "<=": return c <= 0
            case ">": return c > 0
            default: return c >= 0
            }
        }
        if case .scalar(.missing) = r { throw mismatch(l, r, whole) }
        if case .scalar(.missing) = l { throw mismatch(l, r, whole) }
        // Text against a string: decide once per dictionary entry.
        if case .text(let codes, let dictionary, let valid) = l, case .scalar(.string(let s)) = r {
            let hit = dictionary.map { test($0 < s ? -1 : ($0 > s ? 1 : 0)) }
            return .bool(codes.map { hit[Int($0)] }, valid)
        }
        if case .scalar(.string(let s)) = l, case .text(let codes, let dictionary, let valid) = r {
            let hit = dictionary.map { test(s < $0 ? -1 : (s > $0 ? 1 : 0)) }
            return .bool(codes.map { hit[Int($0)] }, valid)
        }
        if case .text(let c1, let d1, let v1) = l, case .text(let c2, let d2, let v2) = r {
            var out = [Bool](repeating: false, count: rows)
            for i in 0..<rows {
                let x = d1[Int(c1[i])], y = d2[Int(c2[i])]
                out[i] = test(x < y ? -1 : (x > y ? 1 : 0))
            }
            return .bool(out, combine(v1, v2))
        }
        if case .days = l, case .scalar(.string) = r {
            let d = try scalarNumber(b, against: l)
            return try compare(op, l, .scalar(.number(d)), a, b, whole)
        }
        if case .scalar(.string) = l, case .days = r {
            let d = try scalarNumber(a, against: r)
            return try compare(op, .scalar(.number(d)), r, a, b, whole)
        }
        if case .text = l { throw mismatch(l, r, whole) }
        if case .text = r { throw mismatch(l, r, whole) }
        if case .scalar(.string) = l { throw mismatch(l, r, whole) }
        if case .scalar(.string) = r { throw mismatch(l, r, whole) }
        let (x, vx, _) = try numbers(l, a, op: op)
        let (y, vy, _) = try numbers(r, b, op: op)
        var out = [Bool](repeating: false, count: rows)
        for i in 0..<rows { out[i] = test(x[i] < y[i] ? -1 : (x[i] > y[i] ? 1 : 0)) }
        return .bool(out, combine(vx, vy))
    }

    private func mismatch(_ l: Vector, _ r: Vector, _ whole: Expr) -> Diagnostic {
        if case .scalar(.missing) = r { return fail("'== missing' does not test for missing values", whole, hint: "write 'is missing' (or 'is not missing')") }
        if case .scalar(.missing) = l { return fail("'== missing' does not test for missing values", whole, hint: "write 'is missing' (or 'is not missing')") }
        return fail("cannot compare \(l.kindName) with \(r.kindName)", whole,
                    hint: "text compares with text in quotes (species == \"Adelie\"), numbers with numbers")
    }

    /// A vector as text, each value as `print` shows it (`str(x)`); missing stays missing.
    func asText(_ v: Vector, _ e: Expr) throws(Diagnostic) -> Vector {
        if case .text = v { return v }
        var dictionary: [String] = []
        var index: [String: UInt32] = [:]
        var codes = [UInt32](repeating: 0, count: rows)
        func add(_ i: Int, _ s: String) {
            if let c = index[s] { codes[i] = c } else {
                index[s] = UInt32(dictionary.count)
                codes[i] = UInt32(dictionary.count)
                dictionary.append(s)
            }
        }
        switch v {
        case .number(let x, let valid, let integer):
            for i in 0..<rows where valid?[i] ?? true { add(i, integer ? String(Int64(x[i])) : Value.formatNumber(x[i])) }
            if dictionary.isEmpty { dictionary = [""] }
            return .text(codes: codes, dictionary: dictionary, valid)
        case .bool(let x, let valid):
            for i in 0..<rows where valid?[i] ?? true { add(i, x[i] ? "true" : "false") }
            if dictionary.isEmpty { dictionary = [""] }
            return .text(codes: codes, dictionary: dictionary, valid)
        case .days(let x, let valid):
            for i in 0..<rows where valid?[i] ?? true { add(i, formatDate(Int32(x[i]))) }
            if dictionary.isEmpty { dictionary = [""] }
            return .text(codes: codes, dictionary: dictionary, valid)
        case .scalar(let value):
            return .scalar(value == .missing ? .missing : .string(value.display))
        case .text:
            return v
        }
    }

    private func concat(_ l: Vector, _ r: Vector, _ a: Expr, _ b: Expr) throws(Diagnostic) -> Vector {
        func text(_ v: Vector, _ i: Int) -> String? {
            switch v {
            case .text(let c, let d, let valid): return (valid?[i] ?? true) ? d[Int(c[i])] : nil
            case .scalar(.string(let s)): return s
            case .scalar(.number(let x)): return Value.formatNumber(x)
            case .number(let x, let valid, _): return (valid?[i] ?? true) ? Value.formatNumber(x[i]) : nil
            default: return nil
            }
        }
        var dictionary: [String] = []
        var index: [String: UInt32] = [:]
        var codes = [UInt32](repeating: 0, count: rows)
        var valid = Bitmap(count: rows, allValid: true)
        var anyMissing = false
        for i in 0..<rows {
            guard let x = text(l, i), let y = text(r, i) else { valid[i] = false; anyMissing = true; continue }
            let s = x + y
            if let c = index[s] { codes[i] = c } else {
                let c = UInt32(dictionary.count)
                dictionary.append(s)
                index[s] = c
                codes[i] = c
            }
        }
        if dictionary.isEmpty { dictionary = [""] }
        return .text(codes: codes, dictionary: dictionary, anyMissing ? valid : nil)
    }
}
