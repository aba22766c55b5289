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
}
