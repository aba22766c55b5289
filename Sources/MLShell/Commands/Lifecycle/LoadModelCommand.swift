import MLDiagnostics
import MLFrame
import MLModel
import MLRender
#if canImport(Glibc)
import Glibc
#endif

/// `load model "FILE.mlsm" [as NAME] [verify=PUBKEY] [key=KEYFILE]`: the model half of `load`,
/// whose spec it shares (`load` hands over when its first word is `model`).
enum LoadModelCommand {
    static let dataOptions = ["sep", "header", "missing", "types", "rows", "on_bad_rows"]

    /// A name a session holds and a user can type back: a letter or _, then letters, digits, _ and .
    static func isPlainName(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first == "_" || first.properties.isAlphabetic, s.utf8.count <= 200 else { return false }
        return s.unicodeScalars.allSatisfy { $0 == "_" || $0 == "." || $0.properties.isAlphabetic || ("0"..."9").contains($0) }
    }

    /// The key that opens an encrypted model: a key file when one is named, else the passphrase in
    /// MLSH_MODEL_PASSPHRASE when it is set (`load model`, `mlsh serve`).
    static func sealingKey(file: String?) -> SealingKey? {
        if let file { return .file(path: file) }
        if let phrase = getenv("MLSH_MODEL_PASSPHRASE").map({ String(cString: $0) }), !phrase.isEmpty { return .passphrase(phrase) }
        return nil
    }

    static func run(_ call: CommandCall, in session: Session) throws {
        let path = try call.string("FILE")!
        for name in dataOptions where call.has(name) {
            throw call.error(at: name, "\(name)= is for data files; load model takes verify= and key=")
        }
        let key = sealingKey(file: try call.string("key"))
        let verify = try call.string("verify")
        let loaded = try ModelFileMessages.attempt(call) { () throws -> LoadedModel in
            do {
                return try ModelFile.load(path, verify: verify, key: key)
            } catch ModelFileError.badKeyFile(let why) {
                // A key file's problem points at the option that named it.
                throw Diagnostic(.modelFile, .error, why, file: call.file, range: (call.expr(verify != nil && why.contains(verify!) ? "verify" : "key") ?? call.expr("FILE")!).range,
                                 hint: ModelFileError.badKeyFile(why).hint)
            }
        }
        var model = loaded.model
        if let b = call.binding.first {
            try session.checkBindable(b, in: call.file)
            model.name = b.text
        } else if !isPlainName(model.name) {
            throw ModelFileMessages.diagnostic(.badName(model.name), call)
        }
        if key != nil, loaded.header.encryption == nil, call.has("key") {
            session.report(call.error(at: "key", "\(path) is not encrypted; key= is not needed").asNote)
        }
        session.bind(model.name, .model(model))
        let what = model.classes.map { ", \(plural($0.count, "class"))" } ?? ""
        session.print("loaded \(model.name) from \(path) (\(formatBytes(loaded.fileBytes))): \(model.algorithm.rawValue) \(model.formula) (\(model.task.rawValue)\(what)), "
                      + "\(plural(model.usedInputs.count, "raw input"))")
        session.print("  " + ModelFileMessages.signature(loaded.signature))
        if let q = ModelFileMessages.quantization(loaded.header.quantization) { session.print("  " + q) }
    }
}
