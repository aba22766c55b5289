import MLDiagnostics
import MLFrame
import MLLanguage
import MLPrep

/// Evaluates the expressions of `where` and `derive` recipe steps with the session's names in
/// scope: at the prompt, and when a recipe is re-fitted or applied to new rows.
struct SessionExpressionEngine: ExpressionEngine {
    let session: Session
    let datasetName: String
    /// Where errors point when the expression came from a command.
    let file: SourceFile?
    let range: SourceRange?

    init(session: Session, datasetName: String, file: SourceFile? = nil, range: SourceRange? = nil) {
        self.session = session
        self.datasetName = datasetName
        self.file = file
        self.range = range
    }

    var interrupted: Bool { session.interrupt.isSet }

    func parse(_ source: String) throws -> (Expr, SourceFile) {
        let f = SourceFile(name: "<recipe>", text: source)
        let (e, diagnostics) = Parser.parseExpression(f)
        guard let e, diagnostics.isEmpty else {
            throw diagnostics.first ?? Diagnostic(.syntaxError, .error, "cannot read the expression \(source)")
        }
        return (e, f)
    }

    func mask(_ source: String, in frame: Frame) throws -> [Bool] {
        let (e, f) = try parse(source)
        return try FrameEvaluator(frame: frame, datasetName: datasetName, session: session, file: f).mask(e)
    }

    func column(_ source: String, named name: String, in frame: Frame) throws -> Column {
        let (e, f) = try parse(source)
        return try FrameEvaluator(frame: frame, datasetName: datasetName, session: session, file: f).evaluate(e).column(named: name, count: frame.rowCount)
    }

    func bindingSessionValues(_ source: String, in frame: Frame) throws -> String {
        let (e, _) = try parse(source)
        var edits: [(range: SourceRange, text: String)] = []
        func walk(_ e: Expr) {
            switch e.kind {
            case .name(let n):
                guard !n.quoted, n.text != "missing", frame.column(n.text) == nil, let v = session.variable(n.text) else { return }
                switch v {
                case .number(let d): edits.append((n.range, d < 0 || d.sign == .minus ? "(\(formatDouble(d)))" : formatDouble(d)))
                case .string(let s): edits.append((n.range, jsonString(s)))
                case .bool(let b): edits.append((n.range, b ? "true" : "false"))
                default: return
                }
            case .number, .string, .duration, .bool, .dot: return
            case .list(let items): items.forEach(walk)
            case .map(let pairs): pairs.forEach { walk($0.value) }
            case .unary(_, let a): walk(a)
            case .binary(_, let a, let b): walk(a); walk(b)
            case .call(_, let args, let named): args.forEach(walk); named.forEach { walk($0.value) }
            case .isCheck(let a, _, _): walk(a)
            case .inList(let a, let b, _): walk(a); walk(b)
            case .between(let a, let lo, let hi, _): walk(a); walk(lo); walk(hi)
            case .formula(let lhs, let rhs): lhs.map(walk); walk(rhs)
            }
        }
        walk(e)
        guard !edits.isEmpty else { return source }
        var bytes = Array(source.utf8)
        for edit in edits.sorted(by: { $0.range.start > $1.range.start }) {
            bytes.replaceSubrange(edit.range.start..<edit.range.end, with: Array(edit.text.utf8))
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
