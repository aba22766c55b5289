import MLDiagnostics
import MLFrame
import MLModel
import MLRender

/// `inspect "FILE.mlsm"`: a model file's header, without decoding its weights.
struct InspectCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "inspect", stage: .lifecycle,
        abstract: "Show a model file's header (algorithm, inputs, metrics, lineage, signature), or an ONNX file's inputs and outputs",
        discussion: "Reads the header and checks the file's checksum and signature; the weights are not decoded, and an encrypted file needs no key.",
        parameters: [Parameter("FILE", .string, "the model file")],
        examples: [
            Example("load \"tutorials/data/mtcars.csv\""),
            Example("fit linear mpg ~ wt + hp on mtcars as m"),
            Example("save m \"/tmp/mtcars-m.mlsm\""),
            Example("inspect \"/tmp/mtcars-m.mlsm\""),
            Example("export m onnx \"/tmp/mtcars-m.onnx\""),
            Example("inspect \"/tmp/mtcars-m.onnx\""),
        ])

    static func run(_ call: CommandCall, in session: Session) throws {
        let path = try call.string("FILE")!
        if path.lowercased().hasSuffix(".onnx") { return try inspectONNX(call, path, in: session) }
        // The header is shown without decoding the payload: its texts are printed with any control
        // character written out, so a crafted file cannot send escape sequences to the terminal.
        let session = VisibleText(session)
        let f = try ModelFileMessages.attempt(call) { try ModelFile.inspect(path) }
        let h = f.header
        session.print("\(path): mlsh model file, format \(f.formatVersion), \(formatBytes(f.fileBytes))")
        session.print("  model: \(h.name), \(h.algorithm.rawValue) \(h.formula) (\(h.task.rawValue))")
        if !h.parameters.isEmpty { session.print("  parameters: " + h.parameters.map { "\($0.name)=\($0.value)" }.joined(separator: " ")) }
        if let classes = h.classes { session.list("classes", classes) }
        // Files from before `used` was written: every input but the target.
        let used = Set(h.used ?? h.inputs.map(\.name).filter { $0 != h.target })
        session.list("inputs (raw)", h.inputs.filter { used.contains($0.name) }.map { i in
            var s = "\(i.name) (\(i.type.rawValue)"
            if let c = i.categories { s += ", \(plural(c.count, "category"))" }
            if i.missing > 0 { s += ", \(i.missing) missing" }
            return s + ")"
        })
        let unused = h.inputs.filter { !used.contains($0.name) }.map { $0.name == h.target ? "\($0.name) (the target)" : $0.name }
        if !unused.isEmpty { session.list("not used", unused) }
        session.list("features", h.features)
        if !h.metrics.isEmpty {
            session.print("  training: " + h.metrics.map { "\($0.name) \(NumberFormat.compact($0.value, significant: 4))" }.joined(separator: ", "))
        }
        if let l = h.lineage {
            session.print("  fitted on: \(l.source) (\(formatBytes(l.sourceBytes))" + (l.sourceSHA256.map { ", sha256 \($0.prefix(16))…" } ?? "") + ")")
            session.print("             \(plural(l.rows, "row")), seed \(l.seed), by mlsh \(l.mlshVersion) at \(l.created)")
        }
        var payload = "  payload: \(formatBytes(h.payload.bytes)), \(plural(h.payload.tensors, "tensor"))"
        if h.payload.compression == .zlib { payload += ", zlib to \(formatBytes(h.payload.stored))" }
        session.print(payload)
        let weights = ModelFileMessages.quantization(h.quantization)?.replacingOccurrences("\n  ", "\n           ")
            ?? h.quantization.dequantizedFrom.map { "f64, read back from \($0.rawValue): the weights keep \($0.rawValue)'s rounding" } ?? "f64 (as fitted)"
        session.print("  weights: " + weights)
        if h.encryption != nil { session.print("  (sealed: the classes and the categories seen are in the encrypted payload)") }
        session.print("  encryption: " + ModelFileMessages.encryption(h.encryption))
        session.print("  signature: " + ModelFileMessages.signature(f.signature))
    }
}

/// Prints through a session with control characters made visible (\u{1B} for ESC).
struct VisibleText {
    let session: Session
    init(_ session: Session) { self.session = session }
    var width: Int { session.width }

    /// `  label: a, b, c` wrapped to the width, as `show MODEL` lists.
    func list(_ label: String, _ items: [String], _ unused: VisibleText? = nil) {
        let indent = "  \(label): "
        let lines = LoadCommand.wrapList(items, width: max(20, width - indent.count - 1))
        for (k, line) in lines.enumerated() {
            print((k == 0 ? indent : String(repeating: " ", count: indent.count)) + line + (k < lines.count - 1 ? "," : ""))
        }
    }

    func print(_ line: String) {
        guard line.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) else { return session.print(line) }
        var out = ""
        for u in line.unicodeScalars {
            if u.value < 0x20 || (0x7F...0x9F).contains(u.value) { out += "\\u{\(String(u.value, radix: 16, uppercase: true))}" } else { out.unicodeScalars.append(u) }
        }
        session.print(out)
    }
}
