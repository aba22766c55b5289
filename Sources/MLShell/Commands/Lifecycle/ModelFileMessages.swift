import MLDiagnostics
import MLModel
import MLRender

extension Diagnostic.ID {
    public static let modelFile = Diagnostic.ID("model-file")
}

/// What the lifecycle commands share: model-file errors as diagnostics at the command's FILE,
/// and the lines that describe a file's header.
enum ModelFileMessages {
    static func diagnostic(_ e: ModelFileError, _ call: CommandCall, at parameter: String = "FILE") -> Diagnostic {
        let range = call.expr(parameter)?.range ?? call.command.range
        return Diagnostic(.modelFile, .error, e.message, file: call.file, range: range, hint: e.hint)
    }

    /// Runs a model-file operation, turning its errors into diagnostics.
    static func attempt<T>(_ call: CommandCall, at parameter: String = "FILE", _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as ModelFileError {
            throw diagnostic(e, call, at: parameter)
        }
    }

    static func signature(_ s: SignatureStatus) -> String {
        switch s {
        case .unsigned: return "not signed"
        case .signed(let fp): return "signed by \(fp) (valid; not checked against a trusted key: load with verify=\"NAME.pub\")"
        case .verified(let fp): return "signed by \(fp), verified"
        }
    }

    static func quantization(_ q: ModelHeader.Quantization) -> String? {
        guard q.dtype != .f64 else { return nil }
        let sizes = q.weightBytes.flatMap { w in q.f64WeightBytes.map { "weights \(formatBytes($0)) as f64, \(formatBytes(w)) as \(q.dtype.rawValue)" } }
        if let rows = q.rows, q.maxAbsoluteChange == nil, let same = q.labelAgreement {
            return "quantized to \(q.dtype.rawValue): on \(plural(rows, "training row")), \(NumberFormat.compact(same * 100, significant: 4))% keep their cluster"
                + (sizes.map { "\n  " + $0 } ?? "")
        }
        guard let rows = q.rows, let abs = q.maxAbsoluteChange else {
            return "quantized to \(q.dtype.rawValue)" + (sizes.map { " (\($0))" } ?? "") + "; the change of predictions was not measured (no training rows in the session)"
        }
        let what = q.labelAgreement != nil ? "class probabilities" : "predictions"
        var line = "quantized to \(q.dtype.rawValue): on \(plural(rows, "training row")), \(what) change by at most \(NumberFormat.compact(abs, significant: 3))"
            + (q.maxRelativeChange.map { " (\(NumberFormat.compact($0 * 100, significant: 3))% relative)" } ?? "")
        if let same = q.labelAgreement { line += "; \(NumberFormat.compact(same * 100, significant: 4))% of labels stay the same" }
        return line + (sizes.map { "\n  " + $0 } ?? "")
    }

    static func encryption(_ e: ModelHeader.Encryption?) -> String {
        guard let e else { return "none" }
        switch e.key {
        case .file: return "\(e.cipher), with a key file"
        case .passphrase: return "\(e.cipher), with a passphrase (\(e.kdf.map { "\($0.name) N=\($0.n) r=\($0.r) p=\($0.p)" } ?? "no KDF"))"
        }
    }
}
