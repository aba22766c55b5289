import MLDiagnostics
import MLFrame
import MLFrameIO
import MLModel
import MLRender
import Crypto
#if canImport(Glibc)
import Glibc
#endif

/// `save MODEL "FILE.mlsm" [compress=] [quantize=] [encrypt=] [sign=]`
struct SaveCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "save", stage: .lifecycle,
        abstract: "Write a model to a model file (.mlsm): its recipe, weights, schema and profile",
        discussion: """
            The file is data only (no code runs when it is read), checked by SHA-256, and written \
            atomically (a temporary file, flushed, then renamed): an old file of the name stays whole \
            until the new one is complete. quantize= stores the weights in fewer bits and says what \
            that changes on the training rows. encrypt= seals the weights with AES-256-GCM, with a key \
            file from keygen "NAME" aes, or encrypt=passphrase with the passphrase in \
            MLSH_MODEL_PASSPHRASE. sign= signs the file with an Ed25519 key from keygen. \
            docs/model-file.md specifies the format.
            """,
        parameters: [
            Parameter("MODEL", .name, "the model"),
            Parameter("FILE", .string, "the file to write, e.g. \"model.mlsm\""),
        ],
        options: [
            OptionSpec("compress", .word(["zlib", "none"]), "compress the weights", default: "zlib"),
            OptionSpec("quantize", .word(["f64", "f32", "f16", "int8"]), "store the weights in fewer bits", default: "f64"),
            OptionSpec("encrypt", .value, "a key file (\"NAME.aes\"), or passphrase (from MLSH_MODEL_PASSPHRASE)", default: "none"),
            OptionSpec("sign", .string, "a private key file (\"NAME.key\") to sign with", default: "none"),
        ],
        examples: [
            Example("load \"tutorials/data/mtcars.csv\""),
            Example("fit linear mpg ~ wt + hp on mtcars as m"),
            Example("save m \"/tmp/mtcars-m.mlsm\""),
            Example("save m \"/tmp/mtcars-m16.mlsm\" quantize=f16"),
        ])

    static func run(_ call: CommandCall, in session: Session) throws {
        var m = try call.model(session)
        let path = try call.string("FILE")!
        if FileText.isDirectory(path) {
            throw call.error(at: "FILE", "'\(path)' is a directory", hint: "name a file inside it, e.g. \"\(path)/\(m.name).mlsm\"")
        }
        var options = SaveOptions()
        if let c = call.word("compress") { options.compression = Compression(rawValue: c)! }
        if let q = call.word("quantize") { options.quantize = QuantizedType(rawValue: q)! }
        if let e = call.expr("encrypt") {
            if e.asName?.text == "passphrase" {
                guard let phrase = getenv("MLSH_MODEL_PASSPHRASE").map({ String(cString: $0) }), !phrase.isEmpty else {
                    throw call.error(at: "encrypt", "encrypt=passphrase reads the passphrase from MLSH_MODEL_PASSPHRASE, which is not set",
                                     hint: "export MLSH_MODEL_PASSPHRASE='…' before starting mlsh, or use a key file: keygen \"NAME\" aes")
                }
                options.encrypt = .passphrase(phrase)
            } else {
                options.encrypt = .file(path: try call.string("encrypt")!)
            }
        }
        options.sign = try call.string("sign")
        if !path.lowercased().hasSuffix(".mlsm") {
            session.report(call.error(at: "FILE", "model files end in .mlsm by convention; writing '\(path)' as named").asWarning)
        }
        fillSourceHash(&m, session)
        let report = try ModelFileMessages.attempt(call, at: options.sign != nil && !call.has("encrypt") ? "sign" : "FILE") {
            try ModelFile.save(m, to: path, options: options)
        }
        session.bind(m.name, .model(m))
        var line = "saved \(m.name) to \(path): \(formatBytes(report.fileBytes))"
        if options.compression == .zlib {
            line += " (\(formatBytes(report.payloadBytes)) before zlib, \(NumberFormat.compact(Double(report.payloadBytes) / Double(max(1, report.bodyBytes)), significant: 3))× smaller)"
        }
        session.print(line)
        if let q = ModelFileMessages.quantization(report.quantization) { session.print("  " + q) }
        if let signer = report.signer { session.print("  signed by \(signer)") }
        switch options.encrypt {
        case .file(let key)?: session.print("  encrypted with AES-256-GCM: load model \(jsonString(path)) key=\(jsonString(key)) opens it")
        case .passphrase?: session.print("  encrypted with AES-256-GCM under a passphrase: load model opens it while MLSH_MODEL_PASSPHRASE holds it")
        case nil: break
        }
    }

    /// The lineage names the training file by its SHA-256, computed once, at the first save
    /// (hashing a large file at every fit would slow cv and search), when the file is unchanged in size.
    static func fillSourceHash(_ m: inout Model, _ session: Session) {
        guard var lineage = m.lineage, lineage.sourceSHA256 == nil else { return }
        var st = stat()
        guard stat(lineage.source, &st) == 0, Int(st.st_size) == lineage.sourceBytes else { return }
        lineage.sourceSHA256 = try? SHA256.hexDigest(ofFile: lineage.source)
        m.lineage = lineage
    }
}
