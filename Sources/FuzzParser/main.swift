// The lexer and parser under libFuzzer (scripts/fuzz parser SECONDS), and the same inputs
// replayed without it (`FuzzParser FILE…`, which the tests run over the committed corpus).
//
// An input is source text (invalid UTF-8 is replaced, as a script read from disk would be).
// Every input is parsed twice: as a script (Parser.parse) and as a lone expression
// (Parser.parseExpression, as `check` rules and typed option values are). Each command's text
// and arguments are printed back and diagnostics are rendered with their source excerpts, so
// that the ranges the parser reports are used as the shell uses them. (Only the first few and
// the last: rendering one reads its whole line, and hostile input can hold thousands of errors.)
import MLDiagnostics
import MLLanguage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func readFile(_ path: String) -> [UInt8]? {
    guard let f = fopen(path, "rb") else { return nil }
    defer { fclose(f) }
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = fread(&chunk, 1, chunk.count, f)
        if n > 0 { out += chunk[0..<n] }
        if n < chunk.count { break }
    }
    return ferror(f) == 0 ? out : nil
}

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

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt
var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, count in
    parseOne(data, count)
    return 0
})
#else
var replayed = 0
for path in CommandLine.arguments.dropFirst() {
    guard let bytes = readFile(path) else { continue }
    bytes.withUnsafeBufferPointer { b in parseOne(b.baseAddress ?? UnsafePointer(bitPattern: 1)!, b.count) }
    replayed += 1
}
print("replayed \(replayed) inputs")
#endif
