import Crypto
import FoundationEssentials

extension ModelFile {
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
