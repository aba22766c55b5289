// The lexer and parser under libFuzzer (scripts/fuzz parser SECONDS), and the same inputs
// replayed without it (`FuzzParser FILE…`, which the tests run over the committed corpus).
//
// An input is source text (invalid UTF-8 is replaced, as a script read from disk would be).
// Every input is parsed twice: as a script (Parser.parse) and as a lone expression
// (Parser.parseExpression, as `check` rules and typed option values are). Each command's text
// and arguments are printed back and diagnostics are rendered with their source excerpts, so
// that the ranges the parser reports are used as the shell uses them. (Only the first few and
// the last: rendering one reads its whole line, and hostile input can hold thousands of errors.)
import FuzzDriver
import MLDiagnostics
import MLLanguage

func render(_ diagnostics: [Diagnostic]) {
    let renderer = DiagnosticRenderer(color: false)
    for d in diagnostics.prefix(4) { _ = renderer.render(d) }
    if diagnostics.count > 4, let last = diagnostics.last { _ = renderer.render(last) }
}

func parseOne(_ data: UnsafePointer<UInt8>, _ count: Int) {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: count), as: UTF8.self)
    let file = SourceFile(name: "<fuzz>", text: text)
    let script = Parser.parse(file)
    render(script.diagnostics)
    _ = script.isIncomplete
    for (k, command) in script.commands.enumerated() {
        // Each of these reads the whole text: for a few commands only.
        if k < 4 || k == script.commands.count - 1 {
            _ = command.sourceText
            _ = file.location(of: command.range.end)
        }
        for argument in command.arguments {
            switch argument {
            case .positional(let e): _ = ExprPrinter.print(e)
            case .option(_, let e): _ = ExprPrinter.print(e)
            case .comma: break
            }
        }
    }
    let (expr, diagnostics) = Parser.parseExpression(file)
    if let expr { _ = ExprPrinter.print(expr) }
    render(diagnostics)
}

runFuzzTarget(parseOne)
