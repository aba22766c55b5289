import Crypto
import _CryptoExtras
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// Key files: one line of text, `mlsh-key KIND BASE64`, so that a key given in the wrong place
/// (a public key to sign= ) is named for what it is.
public enum KeyFile {
    public enum Kind: String, Sendable { case signingPrivate = "ed25519-private", signingPublic = "ed25519-public", aes = "aes-256" }

    /// What `keygen` wrote, for its message.
    public struct Written: Sendable {
        public var paths: [String]
        public var fingerprint: String?
    }

    /// `keygen NAME` (an Ed25519 pair: NAME.key, mode 0600, and NAME.pub) or `keygen NAME aes`
    /// (NAME.aes, mode 0600). Never overwrites a key: what was sealed with it could not be opened again.
    public static func generate(_ name: String, aes: Bool, replace: Bool = false) throws -> Written {
        let targets = aes ? [name + ".aes"] : [name + ".key", name + ".pub"]
        for t in targets where access(t, F_OK) == 0 && !replace {
            throw ModelFileError.io("\(t) exists, and keygen does not overwrite a key (what it signed or sealed would be lost): choose another name, or give replace=true")
        }
        if aes {
            let key = SymmetricKey(size: .bits256)
            try write(.aes, key.withUnsafeBytes { Array($0) }, to: targets[0], mode: 0o600)
            return Written(paths: targets, fingerprint: nil)
        }
        let key = Curve25519.Signing.PrivateKey()
        try write(.signingPrivate, Array(key.rawRepresentation), to: targets[0], mode: 0o600)
        try write(.signingPublic, Array(key.publicKey.rawRepresentation), to: targets[1], mode: 0o644)
        return Written(paths: targets, fingerprint: fingerprint(Array(key.publicKey.rawRepresentation)))
    }

    static func write(_ kind: Kind, _ raw: [UInt8], to path: String, mode: mode_t) throws {
        let text = "mlsh-key \(kind.rawValue) \(Data(raw).base64EncodedString())\n"
        try AtomicFile.write(Array(text.utf8), to: path, mode: mode)
    }

    /// A key file's raw bytes, checked to be of the kind wanted.
    public static func read(_ path: String, as wanted: Kind) throws -> [UInt8] {
        let bytes: [UInt8]
        do { bytes = try AtomicFile.read(path, limit: 4096) } catch let e as ModelFileError {
            throw ModelFileError.badKeyFile(e.message)
        }
        let words = String(decoding: bytes, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\r" })
        guard words.count == 3, words[0] == "mlsh-key", let kind = Kind(rawValue: String(words[1])),
              let raw = Data(base64Encoded: String(words[2])) else {
            throw ModelFileError.badKeyFile("\(path) is not an mlsh key file")
        }
        guard kind == wanted else {
            let what: [Kind: String] = [.signingPrivate: "a private signing key (for sign=)", .signingPublic: "a public key (for verify=)",
                                        .aes: "an AES key (for encrypt= and key=)"]
            throw ModelFileError.badKeyFile("\(path) is \(what[kind]!), where \(what[wanted]!) is needed")
        }
        guard raw.count == 32 else { throw ModelFileError.badKeyFile("\(path) holds \(raw.count) key bytes where 32 are needed") }
        return Array(raw)
    }

    /// A short name for a public key: the first 8 bytes of its SHA-256, in hex.
    public static func fingerprint(_ publicKey: [UInt8]) -> String {
        "ed25519:" + SHA256.hash(data: publicKey).prefix(8).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}

/// The key that seals a file: a raw key from a file, or one derived from a passphrase.
public enum SealingKey: Sendable {
    case file(path: String)
    case passphrase(String)

    /// scrypt's cost, as in the header: N = 2^15, r = 8, p = 1 (32 MiB, about 0.1 s).
    static let scryptN = 1 << 15, scryptR = 8, scryptP = 1
}

enum Sealing {
    static func derive(_ key: SealingKey, kdf: ModelHeader.KDFParameters?) throws -> SymmetricKey {
        switch key {
        case .file(let path): return SymmetricKey(data: try KeyFile.read(path, as: .aes))
        case .passphrase(let phrase):
            guard let kdf, kdf.name == "scrypt", let salt = Data(base64Encoded: kdf.salt),
                  kdf.n >= 2, kdf.n <= 1 << 20, kdf.n & (kdf.n - 1) == 0, (1...32).contains(kdf.r), (1...16).contains(kdf.p) else {
                throw ModelFileError.corrupt("its key derivation parameters are not valid")
            }
            do {
                return try KDF.Scrypt.deriveKey(from: Array(phrase.utf8), salt: salt, outputByteCount: 32, rounds: kdf.n, blockSize: kdf.r, parallelism: kdf.p)
            } catch {
                throw ModelFileError.io("scrypt could not derive the key: \(error)")
            }
        }
    }

    static func seal(_ plain: [UInt8], key: SymmetricKey, header: [UInt8]) throws -> [UInt8] {
        let box = try AES.GCM.seal(plain, using: key, authenticating: header)
        return Array(box.combined!)
    }

    static func open(_ sealed: UnsafeRawBufferPointer, key: SymmetricKey, header: UnsafeRawBufferPointer) throws -> [UInt8] {
        guard sealed.count >= 28 else { throw ModelFileError.corrupt("its encrypted body is shorter than a nonce and a tag") }
        do {
            let box = try AES.GCM.SealedBox(combined: Data(sealed))
            return Array(try AES.GCM.open(box, using: key, authenticating: Data(header)))
        } catch {
            throw ModelFileError.wrongKey(.file)
        }
    }
}
