import MLDiagnostics
import MLFrame
import MLModel
import MLRender

/// `inspect "FILE.mlsm"`: a model file's header, without decoding its weights.
struct InspectCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "inspect", stage: .lifecycle,
        abstract: "Show a model file's header: algorithm, inputs, metrics, lineage, sizes, signature",
        discussion: "Reads the header and checks the file's checksum and signature; the weights are not decoded, and an encrypted file needs no key.",
        parameters: [Parameter("FILE", .string, "the model file")],
        examples: [
            Example("load \"tutorials/data/mtcars.csv\""),
            Example("fit linear mpg ~ wt + hp on mtcars as m"),
            Example("save m \"/tmp/mtcars-m.mlsm\""),
            Example("inspect \"/tmp/mtcars-m.mlsm\""),
        ])

    static func run(_ call: CommandCall, in session: Session) throws {
        let path = try call.string("FILE")!
        let f = try ModelFileMessages.attempt(call) { try ModelFile.inspect(path) }
        let h = f.header
        session.print("\(path): mlsh model file, format \(f.formatVersion), \(formatBytes(f.fileBytes))")
        session.print("  model: \(h.name), \(h.algorithm.rawValue) \(h.formula) (\(h.task.rawValue))")
        if !h.parameters.isEmpty { session.print("  parameters: " + h.parameters.map { "\($0.name)=\($0.value)" }.joined(separator: " ")) }
        if let classes = h.classes { ModelCard.list("classes", classes, session) }
        ModelCard.list("inputs (raw)", h.inputs.map { i in
            var s = "\(i.name) (\(i.type.rawValue)"
            if let c = i.categories { s += ", \(plural(c.count, "category"))" }
            if i.missing > 0 { s += ", \(i.missing) missing" }
            return s + ")"
        }, session)
        ModelCard.list("features", h.features, session)
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
        session.print("  weights: " + (ModelFileMessages.quantization(h.quantization) ?? "f64 (as fitted)"))
        session.print("  encryption: " + ModelFileMessages.encryption(h.encryption))
        session.print("  signature: " + ModelFileMessages.signature(f.signature))
    }
}
