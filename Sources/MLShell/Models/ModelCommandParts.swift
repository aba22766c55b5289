import MLDiagnostics
import MLFrame
import MLLanguage
import MLLearn
import MLModel
import MLRender

/// The algorithm, formula and numeric parameters of fit, cv and search.
enum ModelCommandParts {
    static func read(_ call: CommandCall, _ session: Session, extra: [String], lists: Bool = false) throws -> (Algorithm, Formula, [String: Double]) {
        var algoExpr = call.expr("ALGO")!
        var formulaExpr = call.expr("FORMULA")
        if formulaExpr == nil, case .formula(let lhs?, let rhs) = algoExpr.kind, let n = lhs.asName, Algorithm(rawValue: n.text) != nil {
            formulaExpr = Expr(.formula(lhs: nil, rhs: rhs), SourceRange(rhs.range.start - 1, rhs.range.end))
            algoExpr = lhs
        }
        guard let algoName = algoExpr.asName?.text, let algorithm = Algorithm(rawValue: algoName) else {
            let word = algoExpr.asName?.text ?? ExprPrinter.print(algoExpr)
            throw Diagnostic(.unknownName, .error, "unknown algorithm '\(word)'", file: call.file, range: algoExpr.range,
                             hint: Suggest.didYouMean(word, in: Algorithm.allCases.map(\.rawValue)) ?? "the algorithms: " + Algorithm.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard let formulaExpr else { throw call.error("a formula must follow the algorithm: \(algoName) y ~ a + b", id: .missingArgument) }
        var text = call.text(of: formulaExpr)
        if case .formula(nil, let rhs) = formulaExpr.kind { text = "~ " + call.text(of: rhs) }
        let formula = try Formula.read(formulaExpr, text: text, file: call.file)
        var params: [String: Double] = [:]
        let valid = algorithm.parameters.map(\.name) + extra + (algorithm.learnsTarget ? ["positive"] : [])
        // positive= (a class, for two) is not listed among the algorithm's parameters.
        let shown = valid.filter { $0 != "positive" }
        // metric= names a metric (ScoreMetric reads it) and positive= a class (BinaryChoice), not numbers.
        for (name, value) in call.freeOptions where !(lists && { if case .list = value.kind { return true }; return false }())
            && !(name.text == "metric" && extra.contains("metric")) && name.text != "positive" {
            guard valid.contains(name.text) else {
                throw Diagnostic(.unknownOption, .error, "'\(algoName)' has no parameter '\(name.text)'", file: call.file, range: name.range,
                                 hint: (Suggest.didYouMean(name.text, in: valid).map { $0 + " " } ?? "")
                                     + (shown.isEmpty ? "\(algoName) takes no parameters" : "its parameters: " + shown.joined(separator: ", ")))
            }
            // Parameters that take a word are read where they are used (classWeights, word(_:)).
            guard !wordParameters.contains(name.text) else { continue }
            for (key, x) in try parameter(name.text, value, call, session) { params[key] = x }
        }
        return (algorithm, formula, params)
    }

    /// The parameters whose value is a word, not a number.
    static let wordParameters: Set<String> = ["class_weight", "growth"]

    /// A word parameter's value (`growth=depthwise`), one of `allowed`; nil when not given.
    static func word(_ call: CommandCall, _ name: String, allowed: [String], hint: String) throws -> String? {
        guard let e = call.freeOptions.first(where: { $0.name.text == name })?.value else { return nil }
        let word = e.asName?.text ?? { if case .string(let s) = e.kind { return s }; return ExprPrinter.print(e) }()
        guard allowed.contains(word) else {
            throw Diagnostic(.badArgument, .error, "\(name)= is \(allowed.joined(separator: " or ")), not '\(word)'", file: call.file, range: e.range,
                             hint: Suggest.didYouMean(word, in: allowed) ?? hint)
        }
        return word
    }

    /// `class_weight=balanced`: each class weighted n / (classes · its rows), as scikit-learn's;
    /// nil for `none` or when not given.
    static func classWeights(_ call: CommandCall, y: [Double], classes: [String]?) throws -> [Double]? {
        guard let e = call.freeOptions.first(where: { $0.name.text == "class_weight" })?.value else { return nil }
        let word = e.asName?.text ?? { if case .string(let s) = e.kind { return s }; return "" }()
        guard word == "balanced" || word == "none" else {
            throw Diagnostic(.badArgument, .error, "class_weight= is balanced or none, not '\(word)'", file: call.file, range: e.range,
                             hint: Suggest.didYouMean(word, in: ["balanced", "none"]) ?? "class_weight=balanced weighs each class by n / (classes × its rows)")
        }
        guard word == "balanced" else { return nil }
        guard let classes else { throw Diagnostic(.badArgument, .error, "class_weight= is for classes; this model predicts values", file: call.file, range: e.range) }
        var counts = [Double](repeating: 0, count: classes.count)
        for v in y where v >= 0 { counts[Int(v)] += 1 }
        let n = counts.reduce(0, +), k = Double(counts.filter { $0 > 0 }.count)
        return counts.map { $0 > 0 ? n / (k * $0) : 0 }
    }

    /// Parameters counted in whole numbers; all but seed start at 1.
    static let wholeNumbers: Set<String> = ["k", "n_init", "max_iter", "max_depth", "min_samples_leaf", "epochs", "batch", "seed", "folds", "random", "n_trees", "max_leaf_nodes"]

    /// One PARAM=VALUE read as numbers: `C=inf`, whole-number parameters checked, and `hidden=[64, 32]`
    /// kept as hidden0, hidden1, … (one layer size each).
    static func parameter(_ name: String, _ value: Expr, _ call: CommandCall, _ session: Session) throws -> [String: Double] {
        if value.asName?.text == "inf" {
            // Only C= has a meaning at infinity (no penalty); elsewhere inf is refused, not crashed on.
            guard name == "C" else {
                throw Diagnostic(.badArgument, .error, "\(name)= takes a finite number, not inf", file: call.file, range: value.range,
                                 hint: wholeNumbers.contains(name) ? "give a whole number, e.g. \(name)=10" : nil)
            }
            return [name: .infinity]
        }
        // max_depth=none is the default, no limit, as help shows it.
        if name == "max_depth", value.asName?.text == "none" { return [:] }
        let v = try Evaluator(session: session, file: call.file).evaluate(value)
        if name == "hidden" {
            let sizes: [Double]
            switch v {
            case .number(let x): sizes = [x]
            case .list(let items): sizes = items.compactMap { if case .number(let x) = $0 { return x }; return nil }
            default: sizes = []
            }
            guard !sizes.isEmpty, sizes.allSatisfy({ $0 >= 1 && $0 <= 4096 && $0 == $0.rounded() }) else {
                throw Diagnostic(.wrongArgumentType, .error, "hidden= takes layer sizes, e.g. hidden=[32] or hidden=[64, 32]", file: call.file, range: value.range)
            }
            return Dictionary(uniqueKeysWithValues: sizes.enumerated().map { ("hidden\($0)", $1) })
        }
        guard case .number(let x) = v, !x.isNaN else {
            // fit … or cv … with a list: the same command as a search tries every value.
            let text = call.command.sourceText
            let rest = text.drop { $0 != " " }
            let tryMany: String? = { if case .list = v { return "to try several values, use search: search" + rest }; return nil }()
            throw Diagnostic(.wrongArgumentType, .error, "\(name)= takes a number, got \(v.kindName) \(v.literal)", file: call.file, range: value.range,
                             hint: tryMany)
        }
        if wholeNumbers.contains(name) {
            let least = name == "seed" ? 0.0 : 1.0
            guard x == x.rounded(), x >= least, x < 1e15 else {
                throw Diagnostic(.badArgument, .error, "\(name)= takes a whole number from \(Int(least)), got \(Value.formatNumber(x))", file: call.file, range: value.range)
            }
        }
        return [name: x]
    }
}
