import Crypto
import FoundationEssentials
import MLLearn

/// How `save` writes a model.
public struct SaveOptions: Sendable {
    public var compression: Compression = .zlib
    public var quantize: QuantizedType = .f64
    public var encrypt: SealingKey? = nil
    /// The private signing key file.
    public var sign: String? = nil
    /// Ctrl-C: checked between the stages of a save (and inside the quantization measurement).
    public var shouldStop: @Sendable () -> Bool = { false }
    public init() {}
}

/// What `save` did: the sizes, and what quantization cost.
public struct SaveReport: Sendable {
    public var fileBytes: Int
    public var payloadBytes: Int
    public var bodyBytes: Int
    public var quantization: ModelHeader.Quantization
    public var signer: String?
}

/// A model read back: the model, its header, and how its signature stood.
public struct LoadedModel: Sendable {
    public var model: Model
    public var header: ModelHeader
    public var signature: SignatureStatus
    public var fileBytes: Int
}

/// The header of a file read without decoding its weights (`inspect`).
public struct InspectedFile: Sendable {
    public var header: ModelHeader
    public var signature: SignatureStatus
    public var fileBytes: Int
    public var formatVersion: Int
}

public enum ModelFile {
    /// The bytes of a model file.
    public static func encode(_ model: Model, options: SaveOptions) throws -> (bytes: [UInt8], report: SaveReport) {
        let payload = try Payload.encode(model, quantize: options.quantize)
        let quantization = try Quantization.measure(model, options.quantize, interrupted: options.shouldStop)
        if options.shouldStop() { throw ModelFileError.interrupted("the file") }
        var body = options.compression == .zlib ? try Zlib.compress(payload) : payload
        var encryption: ModelHeader.Encryption? = nil
        var sealingKey: SymmetricKey? = nil
        if let key = options.encrypt {
            var kdf: ModelHeader.KDFParameters? = nil
            if case .passphrase = key {
                let salt = SymmetricKey(size: .bits128).withUnsafeBytes { Data($0) }
                kdf = .init(name: "scrypt", n: SealingKey.scryptN, r: SealingKey.scryptR, p: SealingKey.scryptP, salt: salt.base64EncodedString())
            }
            encryption = .init(cipher: "AES-256-GCM", key: { if case .file = key { return .file }; return .passphrase }(), kdf: kdf)
            sealingKey = try Sealing.derive(key, kdf: kdf)
        }
        let (_, tensors) = model.estimator.splitTensors()
        // The header is never sealed: an encrypted file keeps the texts of the data (the classes
        // and the categories seen) in its payload only.
        let sealed = options.encrypt != nil
        let inputs = sealed ? model.inputs.map { var i = $0; i.categories = nil; return i } : model.inputs
        var header = ModelHeader(format: Int(ModelFileFormat.version), name: model.name, algorithm: model.algorithm, task: model.task,
                                 formula: model.formula, target: model.target, classes: sealed ? nil : model.classes, features: model.features,
                                 inputs: inputs, used: model.usedInputs.map(\.name), parameters: model.parameters, metrics: model.metrics, lineage: model.lineage,
                                 payload: .init(bytes: payload.count, stored: 0, compression: options.compression, tensors: tensors.count),
                                 quantization: quantization, encryption: encryption)
        if options.quantize == .f64, let earlier = model.dequantizedFrom { header.quantization.dequantizedFrom = earlier }
        // The stored size depends on the seal's 28 bytes only: known before sealing.
        var sized = header
        sized.payload.stored = body.count + (sealingKey == nil ? 0 : 28)
        let headerJSON = Array(try FileJSON.encoder().encode(sized))
        guard headerJSON.count <= ModelFileFormat.maxHeaderBytes else {
            throw ModelFileError.io("the model's header would be \(headerJSON.count) bytes, over the format's \(ModelFileFormat.maxHeaderBytes)")
        }
        var out = ModelFileFormat.magic
        Bytes.append(ModelFileFormat.version, to: &out)
        Bytes.append(UInt32(headerJSON.count), to: &out)
        out += headerJSON
        if let sealingKey { body = try Sealing.seal(body, key: sealingKey, header: out) }
        Bytes.append(UInt64(body.count), to: &out)
        out += body
        let digest = Array(SHA256.hash(data: out))
        out += digest
        var signer: String? = nil
        if let signPath = options.sign {
            let key = try Curve25519.Signing.PrivateKey(rawRepresentation: KeyFile.read(signPath, as: .signingPrivate))
            let publicKey = Array(key.publicKey.rawRepresentation)
            out.append(1)
            out += publicKey
            out += Array(try key.signature(for: digest))
            signer = KeyFile.fingerprint(publicKey)
        } else {
            out.append(0)
        }
        return (out, SaveReport(fileBytes: out.count, payloadBytes: payload.count, bodyBytes: body.count, quantization: quantization, signer: signer))
    }

    /// Writes the model atomically.
    public static func save(_ model: Model, to path: String, options: SaveOptions) throws -> SaveReport {
        let (bytes, report): ([UInt8], SaveReport)
        do { (bytes, report) = try encode(model, options: options) } catch ModelFileError.interrupted {
            throw ModelFileError.interrupted(path)
        }
        try AtomicFile.write(bytes, to: path, shouldStop: options.shouldStop)
        return report
    }

    public static func load(_ path: String, verify: String? = nil, key: SealingKey? = nil) throws -> LoadedModel {
        try decode(AtomicFile.read(path), verify: verify, key: key)
    }

    public static func inspect(_ path: String) throws -> InspectedFile {
        let bytes = try AtomicFile.read(path)
        return try bytes.withUnsafeBytes { b in
            let f = try FileParts(b)
            return InspectedFile(header: f.header, signature: try f.signature(verify: nil), fileBytes: bytes.count, formatVersion: f.version)
        }
    }

    /// Reads a model from its bytes: layout, checksum and signature first, then the key, the
    /// inflation and the payload. Any failure throws a `ModelFileError`; nothing half-read escapes.
    public static func decode(_ bytes: [UInt8], verify: String? = nil, key: SealingKey? = nil) throws -> LoadedModel {
        try bytes.withUnsafeBytes { b in
            let f = try FileParts(b)
            let signature = try f.signature(verify: verify)
            var plain: [UInt8]? = nil
            let body: UnsafeRawBufferPointer
            if let e = f.header.encryption {
                guard e.cipher == "AES-256-GCM" else { throw ModelFileError.corrupt("it names the unknown cipher '\(e.cipher)'") }
                guard let key else { throw ModelFileError.needsKey(e.key) }
                if case .file = key, e.key == .passphrase { throw ModelFileError.otherKey(.passphrase) }
                if case .passphrase = key, e.key == .file { throw ModelFileError.needsKey(.file) }
                do {
                    plain = try Sealing.open(f.body, key: try Sealing.derive(key, kdf: e.kdf), header: f.sealedHeader)
                } catch ModelFileError.wrongKey {
                    throw ModelFileError.wrongKey(e.key)
                }
                body = UnsafeRawBufferPointer(start: nil, count: 0)
            } else {
                body = f.body
            }
            func inflate(_ stored: UnsafeRawBufferPointer) throws -> Model {
                let size = f.header.payload.bytes
                guard size >= 8, size <= ModelFileFormat.maxPayloadBytes else { throw ModelFileError.corrupt("its payload size \(size) is impossible") }
                switch f.header.payload.compression {
                case .zlib: return try Zlib.decompress(stored, size: size).withUnsafeBytes { try Payload.decode($0) }
                case .none:
                    guard stored.count == size else { throw ModelFileError.corrupt("its payload is \(stored.count) bytes where the header says \(size)") }
                    return try Payload.decode(stored)
                }
            }
            var model = try plain.map { try $0.withUnsafeBytes { try inflate($0) } } ?? inflate(body)
            // Weights read back from fewer bits keep their rounding: a later save says so.
            if f.header.quantization.dtype != .f64 { model.dequantizedFrom = f.header.quantization.dtype }
            else if let earlier = f.header.quantization.dequantizedFrom { model.dequantizedFrom = earlier }
            // The header is what inspect shows: it must say what the payload holds.
            guard model.algorithm == f.header.algorithm, model.task == f.header.task, model.features == f.header.features else {
                throw ModelFileError.corrupt("its header describes another model than its payload holds")
            }
            return LoadedModel(model: model, header: f.header, signature: signature, fileBytes: bytes.count)
        }
    }

    /// A payload decoded on its own (the fuzzer's way past the checksum and the compression).
    public static func decodePayload(_ bytes: [UInt8]) throws -> Model {
        try bytes.withUnsafeBytes { try Payload.decode($0) }
    }
}
