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
                                 inputs: inputs, parameters: model.parameters, metrics: model.metrics, lineage: model.lineage,
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

    /// The parts of a file, found and bounds-checked, with its checksum checked.
    struct FileParts {
        var version: Int
        var header: ModelHeader
        /// Magic, version, header length and header: what the AES-GCM seal authenticates.
        var sealedHeader: UnsafeRawBufferPointer
        var body: UnsafeRawBufferPointer
        var digest: [UInt8]
        var signatureBlock: UnsafeRawBufferPointer

        init(_ b: UnsafeRawBufferPointer) throws {
            let magic = ModelFileFormat.magic
            guard b.count >= magic.count, zip(b.prefix(magic.count), magic).allSatisfy({ $0 == $1 }) else {
                // A prefix of the magic is a file cut short, not some other file.
                if b.count < magic.count, !b.isEmpty, zip(b, magic).allSatisfy({ $0 == $1 }) { throw ModelFileError.truncated("inside its magic bytes") }
                throw ModelFileError.notAModel
            }
            guard b.count >= 16 else { throw ModelFileError.truncated("\(b.count) bytes, before the header's length") }
            let v = Bytes.read(UInt32.self, b, at: 8)
            guard v == ModelFileFormat.version else {
                if v > ModelFileFormat.version { throw ModelFileError.newerFormat(Int(v)) }
                throw ModelFileError.corrupt("format version \(v) does not exist")
            }
            version = Int(v)
            let h = Int(Bytes.read(UInt32.self, b, at: 12))
            guard h >= 2, h <= ModelFileFormat.maxHeaderBytes else { throw ModelFileError.corrupt("its header length \(h) is out of bounds") }
            guard b.count >= 16 + h + 8 else { throw ModelFileError.truncated("\(b.count) bytes, inside the header") }
            let bodyLength = Bytes.read(UInt64.self, b, at: 16 + h)
            let bodyStart = 24 + h
            guard bodyLength <= UInt64(ModelFileFormat.maxPayloadBytes) else { throw ModelFileError.corrupt("its body length \(bodyLength) is impossible") }
            guard bodyLength <= UInt64(b.count - bodyStart) else {
                throw ModelFileError.truncated("\(b.count) bytes, where the body alone needs \(bodyLength)")
            }
            let bodyEnd = bodyStart + Int(bodyLength)
            guard b.count >= bodyEnd + 33 else { throw ModelFileError.truncated("\(b.count) bytes, inside the checksum") }
            let kind = b[bodyEnd + 32]
            guard kind <= 1 else { throw ModelFileError.corrupt("its signature kind \(kind) is unknown") }
            let end = bodyEnd + 33 + (kind == 1 ? 96 : 0)
            guard b.count >= end else { throw ModelFileError.truncated("\(b.count) bytes, inside the signature") }
            guard b.count == end else { throw ModelFileError.corrupt(b.count - end == 1 ? "1 byte follows its end" : "\(b.count - end) bytes follow its end") }
            digest = Array(b[bodyEnd..<(bodyEnd + 32)])
            guard Array(SHA256.hash(data: UnsafeRawBufferPointer(rebasing: b[0..<bodyEnd]))) == digest else { throw ModelFileError.checksum }
            do {
                header = try FileJSON.decoder().decode(ModelHeader.self, from: Data(UnsafeRawBufferPointer(rebasing: b[16..<(16 + h)])))
            } catch {
                throw ModelFileError.corrupt("its header is not valid (\(Payload.describe(error)))")
            }
            sealedHeader = UnsafeRawBufferPointer(rebasing: b[0..<(16 + h)])
            body = UnsafeRawBufferPointer(rebasing: b[bodyStart..<bodyEnd])
            signatureBlock = UnsafeRawBufferPointer(rebasing: b[(bodyEnd + 32)..<end])
        }

        /// The signature's standing; with `verify`, a missing, foreign or broken one is refused.
        func signature(verify: String?) throws -> SignatureStatus {
            let trusted = try verify.map { try KeyFile.read($0, as: .signingPublic) }
            guard signatureBlock[0] == 1 else {
                if trusted != nil { throw ModelFileError.unsigned }
                return .unsigned
            }
            let publicKey = Array(signatureBlock[1..<33]), signature = Array(signatureBlock[33..<97])
            let fingerprint = KeyFile.fingerprint(publicKey)
            if let trusted, trusted != publicKey { throw ModelFileError.wrongSigner(fingerprint) }
            guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey),
                  key.isValidSignature(signature, for: digest) else { throw ModelFileError.badSignature }
            return trusted != nil ? .verified(keyFingerprint: fingerprint) : .signed(keyFingerprint: fingerprint)
        }
    }
}

/// What quantization costs, measured on the training rows the model kept.
enum Quantization {
    static let knnMeasuredRows = 2_000

    static func measure(_ model: Model, _ dtype: QuantizedType, interrupted: @escaping @Sendable () -> Bool = { false }) throws -> ModelHeader.Quantization {
        var q = ModelHeader.Quantization(dtype: dtype)
        let tensors = model.estimator.splitTensors().tensors.filter(\.quantizable)
        q.f64WeightBytes = tensors.reduce(0) { $0 + $1.count * 8 }
        q.weightBytes = tensors.reduce(0) { $0 + $1.count * (dtype == .f64 ? 8 : dtype == .f32 ? 4 : dtype == .f16 ? 2 : 1) }
        guard dtype != .f64, var x = model.trainingSample, x.rows > 0 else { return q }
        // A k-NN prediction reads many training rows: 2,000 rows measure it in a fraction of a second.
        if case .knn = model.estimator, x.rows > knnMeasuredRows {
            x = x.rows(Array(stride(from: 0, to: x.rows, by: (x.rows + knnMeasuredRows - 1) / knnMeasuredRows)))
        }
        let bytes = try Payload.encode(model, quantize: dtype)
        let quantized = try bytes.withUnsafeBytes { try Payload.decode($0) }
        let (a, pa) = model.predict(x, interrupted: interrupted), (b, pb) = quantized.predict(x, interrupted: interrupted)
        if interrupted() { throw ModelFileError.interrupted("the file") }
        var maxAbs = 0.0, maxRel = 0.0, same = 0
        func compare(_ u: Double, _ v: Double) {
            let d = abs(u - v)
            maxAbs = max(maxAbs, d.isNaN ? .infinity : d)
            if model.task == .regression { if u != 0 { maxRel = max(maxRel, d / abs(u)) } else if d > 0 { maxRel = .infinity } }
        }
        if let pa, let pb {
            for (ra, rb) in zip(pa, pb) { for (u, v) in zip(ra, rb) { compare(u, v) } }
        } else {
            for (u, v) in zip(a, b) { compare(u, v) }
        }
        for (u, v) in zip(a, b) where u == v { same += 1 }
        q.rows = x.rows
        // A cluster's number has no size: k-means reports only the rows that keep their cluster.
        q.maxAbsoluteChange = model.task == .clustering ? nil : maxAbs
        // A probability's relative change says little (1e-9 to 2e-9 doubles it): classifiers report absolute ones.
        q.maxRelativeChange = model.task == .regression ? maxRel : nil
        if model.task != .regression { q.labelAgreement = Double(same) / Double(x.rows) }
        return q
    }
}

extension ModelHeader.Quantization {
    init(dtype: QuantizedType) {
        self.dtype = dtype
    }
}
