import MLDiagnostics
import MLFrame
import MLLanguage
#if canImport(Glibc)
import Glibc
#endif

/// The expression functions over columns: the same names as for single values.
enum FrameFunctions {
    static func call(_ name: Name, _ args: [Expr], _ whole: Expr, _ ev: FrameEvaluator) throws(Diagnostic) -> Vector {
        guard Functions.signatures[name.text] != nil else {
            throw Diagnostic(.unknownName, .error, "unknown function '\(name.text)'", file: ev.file, range: name.range,
                             hint: Suggest.didYouMean(name.text, in: Functions.names) ?? "the functions are: " + Functions.names.joined(separator: ", "))
        }
        var values: [Vector] = []
        for a in args { values.append(try ev.evaluate(a)) }
        // All scalar: the single-value evaluator does it (and checks the arguments).
        if values.allSatisfy({ if case .scalar = $0 { return true }; return false }) {
            return .scalar(try Evaluator(session: ev.session, file: ev.file).evaluate(whole))
        }
        func arity(_ n: ClosedRange<Int>) throws(Diagnostic) {
            if !n.contains(args.count) {
                throw ev.fail("'\(name.text)' takes \(n.lowerBound == n.upperBound ? "\(n.lowerBound)" : "\(n.lowerBound) to \(n.upperBound)") arguments, got \(args.count)",
                              whole, hint: "write \(Functions.signatures[name.text]!)")
            }
        }
        /// Applies f to every value; a result that is not a number (log of a negative) is missing.
        func map(_ f: (Double) -> Double, integer: Bool = false) throws(Diagnostic) -> Vector {
            let (x, valid, isInt) = try ev.numbers(values[0], args[0], op: name.text)
            let y = x.map(f)
            var validity = valid
            for i in 0..<y.count where y[i].isNaN && !x[i].isNaN {
                if validity == nil { validity = Bitmap(count: y.count, allValid: true) }
                validity![i] = false
            }
            return .number(y, validity, integer: integer && isInt)
        }
        switch name.text {
        case "abs": try arity(1...1); return try map({ Swift.abs($0) }, integer: true)
        case "sqrt": try arity(1...1); return try map { $0 < 0 ? .nan : $0.squareRoot() }
        case "log": try arity(1...1); return try map { $0 <= 0 ? .nan : Glibc.log($0) }
        case "exp": try arity(1...1); return try map { Glibc.exp($0) }
        case "round":
            try arity(1...2)
            var digits = 0.0
            if args.count == 2 {
                guard case .scalar(.number(let d)) = values[1], d == d.rounded(), abs(d) <= 15 else {
                    throw ev.fail("'round' needs a whole number of digits (-15 to 15)", args[1])
                }
                digits = d
            }
            let scale = pow(10, digits)
            return try map({ ($0 * scale).rounded(.toNearestOrEven) / scale }, integer: digits <= 0)
        case "min", "max", "clip":
            if name.text == "clip" { try arity(3...3) } else { try arity(1...64) }
            var (acc, valid, integer) = try ev.numbers(values[0], args[0], op: name.text)
            if name.text == "clip" {
                let (lo, vl, il) = try ev.numbers(values[1], args[1], op: "clip")
                let (hi, vh, ih) = try ev.numbers(values[2], args[2], op: "clip")
                for i in 0..<ev.rows { acc[i] = Swift.min(Swift.max(acc[i], lo[i]), hi[i]) }
                return .number(acc, combine(valid, combine(vl, vh)), integer: integer && il && ih)
            }
            for k in 1..<args.count {
                let (x, v, i2) = try ev.numbers(values[k], args[k], op: name.text)
                for i in 0..<ev.rows { acc[i] = name.text == "min" ? Swift.min(acc[i], x[i]) : Swift.max(acc[i], x[i]) }
                valid = combine(valid, v)
                integer = integer && i2
            }
            return .number(acc, valid, integer: integer)
        case "str":
            try arity(1...1)
            return try ev.asText(values[0], args[0])
        case "lower", "upper", "len", "contains":
            guard case .text(let codes, let dictionary, let valid) = values[0] else {
                throw ev.fail("'\(name.text)' needs text, but \(ExprPrinter.print(args[0])) is \(values[0].kindName)", args[0])
            }
            switch name.text {
            case "lower": try arity(1...1); return .text(codes: codes, dictionary: dictionary.map { $0.lowercased() }, valid)
            case "upper": try arity(1...1); return .text(codes: codes, dictionary: dictionary.map { $0.uppercased() }, valid)
            case "len":
                try arity(1...1)
                let lengths = dictionary.map { Double($0.count) }
                return .number(codes.map { lengths[Int($0)] }, valid, integer: true)
            default:
                try arity(2...2)
                guard case .scalar(.string(let part)) = values[1] else {
                    throw ev.fail("'contains' needs the text to look for in quotes", args[1])
                }
                let hit = dictionary.map { $0.contains(part) }
                return .bool(codes.map { hit[Int($0)] }, valid)
            }
        default:  // if
            try arity(3...3)
            let condition = try ev.mask(args[0])
            let conditionValid = values[0].validity
            let a = values[1].column(named: "a", count: ev.rows), b = values[2].column(named: "b", count: ev.rows)
            guard a.type == b.type || (a.type.isNumeric && b.type.isNumeric) else {
                throw ev.fail("'if' needs both branches of one kind, got \(values[1].kindName) and \(values[2].kindName)", whole)
            }
            var valid = Bitmap(count: ev.rows, allValid: true)
            if a.type.isNumeric {
                var out = [Double](repeating: 0, count: ev.rows)
                for i in 0..<ev.rows {
                    let src = condition[i] ? a : b
                    if let d = src.double(i), conditionValid?[i] ?? true { out[i] = d } else { valid[i] = false; out[i] = .nan }
                }
                return .number(out, valid.allValid ? nil : valid, integer: a.type == .int64 && b.type == .int64)
            }
            var dictionary: [String] = []
            var index: [String: UInt32] = [:]
            var codes = [UInt32](repeating: 0, count: ev.rows)
            for i in 0..<ev.rows {
                let src = condition[i] ? a : b
                guard conditionValid?[i] ?? true, let t = src.text(i) else { valid[i] = false; continue }
                if let c = index[t] { codes[i] = c } else {
                    codes[i] = UInt32(dictionary.count); index[t] = codes[i]; dictionary.append(t)
                }
            }
            if a.type == .bool {
                return .bool(codes.map { dictionary[Int($0)] == "true" }, valid.allValid ? nil : valid)
            }
            return .text(codes: codes, dictionary: dictionary.isEmpty ? [""] : dictionary, valid.allValid ? nil : valid)
        }
    }
}
