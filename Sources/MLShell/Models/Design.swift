import MLDiagnostics
import MLFrame
import MLLanguage
import MLLearn
import MLModel

/// A model formula read from the language: `y ~ a + b`, `y ~ .`, `y ~ . - id`, `~ a + b`.
struct Formula {
    var target: String?
    var terms: [Term]
    var text: String

    enum Term { case all, column(String, SourceRange), minus(String, SourceRange) }

    /// Reads a formula expression; `fit kmeans ~ a + b` arrives with the algorithm on the left.
    static func read(_ e: Expr, text: String, file: SourceFile) throws -> Formula {
        guard case .formula(let lhs, let rhs) = e.kind else {
            throw Diagnostic(.badArgument, .error, "expected a formula such as y ~ a + b", file: file, range: e.range,
                             hint: "target ~ predictors: price ~ carat + depth, species ~ ., ~ a + b (no target)")
        }
        var target: String? = nil
        if let lhs {
            guard let n = lhs.asName else {
                throw Diagnostic(.badArgument, .error, "the left of ~ must be the target column", file: file, range: lhs.range)
            }
            target = n.text
        }
        var terms: [Term] = []
        func walk(_ e: Expr, negative: Bool) throws {
            switch e.kind {
            case .dot: terms.append(.all)
            case .name(let n): terms.append(negative ? .minus(n.text, n.range) : .column(n.text, n.range))
            case .binary("+", let a, let b): try walk(a, negative: negative); try walk(b, negative: negative)
            case .binary("-", let a, let b): try walk(a, negative: negative); try walk(b, negative: !negative)
            default:
                throw Diagnostic(.badArgument, .error, "'\(ExprPrinter.print(e))' is not a term of a formula", file: file, range: e.range,
                                 hint: "a formula adds columns with + and removes them with -: y ~ . - id")
            }
        }
        try walk(rhs, negative: false)
        return Formula(target: target, terms: terms, text: text)
    }

    /// The feature columns this formula names in a frame.
    func features(in frame: Frame, file: SourceFile) throws -> [String] {
        var out: [String] = []
        for t in terms {
            switch t {
            case .all: out += frame.columnNames.filter { $0 != target && !out.contains($0) }
            case .column(let n, let r):
                guard frame.index(of: n) != nil else { throw unknown(n, r, frame, file) }
                if !out.contains(n) { out.append(n) }
            case .minus(let n, let r):
                guard frame.index(of: n) != nil else { throw unknown(n, r, frame, file) }
                out.removeAll { $0 == n }
            }
        }
        return out
    }

    func unknown(_ n: String, _ r: SourceRange, _ frame: Frame, _ file: SourceFile) -> Diagnostic {
        Diagnostic(.unknownName, .error, "no column '\(n)' among the model's inputs", file: file, range: r,
                   hint: Suggest.didYouMean(n, in: frame.columnNames) ?? "the columns (after the recipe): " + frame.columnNames.prefix(12).joined(separator: ", "))
    }
}
