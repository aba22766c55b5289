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
            OptionSpec("sign", .value, "a private key file (\"NAME.key\") to sign with", default: "none"),
            OptionSpec("replace", .word(["true", "false"]), "write over a file that is not a model file", default: "false"),
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
        guard !path.isEmpty else { throw call.error(at: "FILE", "the file name is empty", hint: "save \(m.name) \"\(m.name).mlsm\"") }
        if FileText.isDirectory(path) {
            throw call.error(at: "FILE", "'\(path)' is a directory", hint: "name a file inside it, e.g. \"\(path)/\(m.name).mlsm\"")
        }
        // A model file may be replaced (that is saving again); a data file or a key is not, unasked.
        if call.word("replace") != "true", let existing = fopen(path, "rb") {
            var magic = [UInt8](repeating: 0, count: ModelFileFormat.magic.count)
            let n = fread(&magic, 1, magic.count, existing)
            fclose(existing)
            if n > 0 && magic != ModelFileFormat.magic {
                throw call.error(at: "FILE", "'\(path)' exists and is not a model file: save does not write over it",
                                 hint: "choose another name, or give replace=true to write over it")
            }
        }
        var options = SaveOptions()
        if let c = call.word("compress") { options.compression = Compression(rawValue: c)! }
        if let q = call.word("quantize") { options.quantize = QuantizedType(rawValue: q)! }
        if let e = call.expr("encrypt"), e.asName?.text != "none" {
            if e.asName?.text == "passphrase" {
                let phrase = getenv("MLSH_MODEL_PASSPHRASE").map { String(cString: $0) }
                guard let phrase, !phrase.isEmpty else {
                    throw call.error(at: "encrypt", "encrypt=passphrase reads the passphrase from MLSH_MODEL_PASSPHRASE, which is " + (phrase == nil ? "not set" : "empty"),
                                     hint: "export MLSH_MODEL_PASSPHRASE='…' before starting mlsh, or use a key file: keygen \"NAME\" aes")
                }
                options.encrypt = .passphrase(phrase)
            } else {
                options.encrypt = .file(path: try call.string("encrypt")!)
            }
        }
        if let e = call.expr("sign"), e.asName?.text != "none" {
            let key = try call.string("sign")!
            options.sign = key
            var st = stat()
            if stat(key, &st) == 0, st.st_mode & 0o077 != 0 {
                session.report(call.error(at: "sign", "\(key) can be read by others than you: a private key should not be (chmod 600 \(key))").asWarning)
            }
        }
        if options.quantize != .f64, !m.estimator.splitTensors().tensors.contains(where: \.quantizable) {
            session.report(call.error(at: "quantize", "a \(m.algorithm.rawValue) model has no weights to quantize (its thresholds and values stay f64); saving it as f64").asWarning)
            options.quantize = .f64
        }
        let interrupt = session.interrupt
        options.shouldStop = { interrupt.isSet }
        if !path.lowercased().hasSuffix(".mlsm") {
            session.report(call.error(at: "FILE", "model files end in .mlsm by convention; writing '\(path)' as named").asWarning)
        }
        fillSourceHash(&m, session)
        let report: SaveReport
        do {
            report = try ModelFile.save(m, to: path, options: options)
        } catch let e as ModelFileError {
            if case .interrupted = e { throw Diagnostic(.interrupted, .error, e.message) }
            // A key file's problem points at the option that names it.
            let at = ["sign", "encrypt"].first { o in (try? call.string(o)).flatMap { $0 }.map { e.message.contains($0) } ?? false } ?? "FILE"
            throw ModelFileMessages.diagnostic(e, call, at: at)
        }
        session.bind(m.name, .model(m))
        var line = "saved \(m.name) to \(path): \(formatBytes(report.fileBytes))"
        if options.compression == .zlib {
            line += " (zlib made its \(formatBytes(report.payloadBytes)) of weights and recipe \(NumberFormat.compact(Double(report.payloadBytes) / Double(max(1, report.bodyBytes)), significant: 3))× smaller)"
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
