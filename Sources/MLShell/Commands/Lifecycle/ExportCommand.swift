import Foundation
import MLDiagnostics
import MLFrame
import MLModel
import MLONNX
import MLRender

/// `export MODEL onnx "FILE.onnx"`: the model and its fitted recipe as one ONNX graph.
struct ExportCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "export", stage: .lifecycle,
        abstract: "Write a model and its fitted recipe as an ONNX file, for ONNX Runtime, Triton or KServe",
        discussion: """
            The graph takes the raw columns the model uses, one input each, named as the column, \
            shape [N, 1]: numbers, bools (1 or 0) and dates (days since 1970-01-01) as double with NaN \
            for missing, text as string with "" for missing. It gives `answered` (the row had every \
            feature), and `prediction`, or `label` and `probabilities`, or `cluster`. The recipe's \
            column steps run inside the graph, in double precision, so the answers are mlsh's. Trees \
            need ONNX Runtime 1.21 or later (TreeEnsemble, ai.onnx.ml 5), or ml_opset=3 for older \
            runtimes (their sums then in float32). A model or step with no exact \
            ONNX form (knn, fill knn, text casts) is refused with the reason. docs/onnx.md says how \
            to serve the file with Triton or KServe.
            """,
        parameters: [
            Parameter("MODEL", .name, "the model (fitted, or loaded from a model file)"),
            Parameter("FORMAT", .word(["onnx"]), "the file format: onnx"),
            Parameter("FILE", .string, "the file to write, e.g. \"model.onnx\""),
        ],
        options: [
            OptionSpec("ml_opset", .integer, "3 writes trees for ONNX Runtime before 1.21 (their sums in float32)", default: "5"),
            OptionSpec("replace", .word(["true", "false"]), "write over a file whose name does not end in .onnx", default: "false"),
        ],
        examples: [
            Example("load \"tutorials/data/mtcars.csv\""),
            Example("fit linear mpg ~ wt + hp on mtcars as m"),
            Example("export m onnx \"/tmp/mtcars-m.onnx\""),
        ])

    static func run(_ call: CommandCall, in session: Session) throws {
        let m = try call.model(session)
        let path = try call.string("FILE")!
        guard !path.isEmpty else { throw call.error(at: "FILE", "the file name is empty", hint: "export \(m.name) onnx \"\(m.name).onnx\"") }
        if FileText.isDirectory(path) {
            throw call.error(at: "FILE", "'\(path)' is a directory", hint: "name a file inside it, e.g. \"\(path)/\(m.name).onnx\"")
        }
        let opset = try call.integer("ml_opset") ?? 5
        guard opset == 5 || opset == 3 else {
            throw call.error(at: "ml_opset", "ml_opset= is 5 (the default) or 3 (for ONNX Runtime before 1.21), not \(opset)")
        }
        let result: ONNXExport.Result
        do {
            result = try ONNXExport.export(m, mlshVersion: HelpFormatter.version, mlOpset: opset)
        } catch let d as Diagnostic {
            throw call.error(at: "MODEL", d.message, hint: d.hint, id: d.id)
        }
        if !path.lowercased().hasSuffix(".onnx") {
            // An ONNX file may be replaced (that is exporting again); a data file or a key is not, unasked.
            if call.word("replace") != "true", FileManager.default.fileExists(atPath: path) {
                throw call.error(at: "FILE", "'\(path)' exists and is not named .onnx: export does not write over it",
                                 hint: "choose a name ending in .onnx, or give replace=true to write over it")
            }
            session.report(call.error(at: "FILE", "ONNX files end in .onnx by convention; writing '\(path)' as named").asWarning)
        }
        do {
            try FileText.writeAtomically(path, [UInt8](result.data))
        } catch {
            throw call.error(at: "FILE", error.message, hint: error.hint)
        }
        session.print("exported \(m.name) to \(path): \(formatBytes(result.data.count)), \(plural(result.nodes, "node")) (\(result.operators.joined(separator: ", ")))")
        printPorts(result.inputs, result.outputs) { session.print($0) }
        let unused = m.unusedInputs.filter { $0.name != m.target }
        if !unused.isEmpty { session.print("  not inputs (the answers do not depend on them): " + unused.map(\.name).joined(separator: ", ")) }
    }

    /// A graph's inputs and outputs in aligned columns: name, type and shape, and what each means
    /// (empty for a file read by inspect).
    static func printPorts(_ inputs: [ONNXExport.Port], _ outputs: [ONNXExport.Port], _ print: (String) -> Void) {
        let ports = inputs + outputs
        let width = ports.map { $0.name.count }.max() ?? 0, typeWidth = ports.map { "\($0.type) \($0.shape)".count }.max() ?? 0
        func line(_ p: ONNXExport.Port) -> String {
            let type = "\(p.type) \(p.shape)"
            return "    " + p.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                + (p.meaning.isEmpty ? type : type.padding(toLength: typeWidth, withPad: " ", startingAt: 0) + "  " + p.meaning)
        }
        print("  inputs:")
        for p in inputs { print(line(p)) }
        print("  outputs:")
        for p in outputs { print(line(p)) }
    }
}
