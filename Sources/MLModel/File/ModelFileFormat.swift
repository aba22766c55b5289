import FoundationEssentials
import MLFrame

/// The model file (`.mlsm`): data only, nothing in it runs on load. docs/model-file.md is its
/// specification; this is its one implementation.
///
///     magic (8) | format version u32 | header length u32 | header JSON
///     | body length u64 | body | SHA-256 of all before (32) | signature kind u8 [| key (32) | signature (64)]
///
/// The body is the payload, zlib-compressed when `compress=zlib`, then AES-GCM-sealed when
/// `encrypt=`. The payload is: JSON length u64 | model JSON (with the tensor index) | zero padding
/// to 8 bytes | tensor buffers. All integers are little-endian.
public enum ModelFileFormat {
    public static let magic: [UInt8] = [0x89, 0x4D, 0x4C, 0x53, 0x4D, 0x0D, 0x0A, 0x1A]  // "\x89MLSM\r\n\x1a"
    public static let version: UInt32 = 1
    /// The header is read whole before anything else is trusted: it has a bound.
    public static let maxHeaderBytes = 1 << 20
    /// A payload larger than this is refused before it is allocated (a damaged length field).
    public static let maxPayloadBytes = 1 << 36
}

/// The header: what `inspect` shows without decoding the weights.
public struct ModelHeader: Codable, Sendable {
    public var format: Int
    public var name: String
    public var algorithm: Algorithm
    public var task: ModelTask
    public var formula: String
    public var target: String?
    public var classes: [String]?
    public var features: [String]
    public var inputs: [InputColumn]
    /// The inputs the answers depend on (Model.usedInputs); absent in files before it was written.
    public var used: [String]? = nil
    public var parameters: [Model.Parameter]
    public var metrics: [Model.Metric]
    public var lineage: Lineage?
    public var payload: Payload
    public var quantization: Quantization
    public var encryption: Encryption?

    public struct Payload: Codable, Sendable {
        /// The payload's size before compression, and the body's size as stored.
        public var bytes: Int
        public var stored: Int
        public var compression: Compression
        public var tensors: Int
    }

    public struct Quantization: Codable, Sendable {
        public var dtype: QuantizedType
        /// Measured on up to `rows` training rows: the largest change of a prediction (of a class
        /// probability, for classifiers), absolute and relative to the value, and the share of
        /// rows whose class stays the same. Nil when not measured (f64, or no training rows).
        public var rows: Int?
        public var maxAbsoluteChange: Double?
        public var maxRelativeChange: Double?
        public var labelAgreement: Double?
        /// The weights' bytes as stored, and as they would be at f64.
        public var weightBytes: Int?
        public var f64WeightBytes: Int?
        /// Stored as f64 now, but read from a file that held them in fewer bits (their rounding stays).
        public var dequantizedFrom: QuantizedType?

        enum CodingKeys: String, CodingKey {
            case dtype, rows, maxAbsoluteChange = "max_abs_change", maxRelativeChange = "max_rel_change", labelAgreement = "label_agreement"
            case weightBytes = "weight_bytes", f64WeightBytes = "f64_weight_bytes", dequantizedFrom = "dequantized_from"
        }
    }

    public struct Encryption: Codable, Sendable {
        public var cipher: String              // "AES-256-GCM"
        public var key: KeySource
        public var kdf: KDFParameters?
    }

    public enum KeySource: String, Codable, Sendable { case file, passphrase }

    public struct KDFParameters: Codable, Sendable {
        public var name: String               // "scrypt"
        public var n: Int, r: Int, p: Int
        public var salt: String               // base64, 16 bytes
    }
}

public enum Compression: String, Codable, Sendable, CaseIterable { case zlib, none }

public enum QuantizedType: String, Codable, Sendable, CaseIterable {
    case f64, f32, f16, int8
}

/// How a file's signature stood when it was read.
public enum SignatureStatus: Sendable, Equatable {
    case unsigned
    /// Signed, and the signature holds for the key inside the file (not checked against a trusted key).
    case signed(keyFingerprint: String)
    /// Signed by the key given with `verify=`.
    case verified(keyFingerprint: String)
}

/// Everything that can be wrong with a model file, each said plainly.
public enum ModelFileError: Error, Equatable {
    case notAModel
    case newerFormat(Int)
    case truncated(String)
    case corrupt(String)
    case checksum
    case unsigned
    case wrongSigner(String)
    case badSignature
    case needsKey(ModelHeader.KeySource)
    /// A passphrase file given key=, or a key-file file given only a passphrase.
    case otherKey(ModelHeader.KeySource)
    case wrongKey(ModelHeader.KeySource)
    case interrupted(String)
    case badName(String)
    case badKeyFile(String)
    case missingFile(String)
    case io(String)

    public static func == (a: ModelFileError, b: ModelFileError) -> Bool { a.message == b.message }

    public var message: String {
        switch self {
        case .notAModel: return "this is not an mlsh model file (it does not start with the model file's magic bytes)"
        case .newerFormat(let v): return "this model file has format version \(v); this mlsh reads version \(ModelFileFormat.version)"
        case .truncated(let what): return "the model file ends early (\(what)): it is truncated or damaged"
        case .corrupt(let what): return "the model file is damaged: \(what)"
        case .checksum: return "the model file is damaged: its SHA-256 checksum does not match its content (a changed or missing byte)"
        case .unsigned: return "the model file is not signed, and verify= asks for a signature"
        case .wrongSigner(let fp): return "the model file is signed by another key (\(fp)) than the one verify= names"
        case .badSignature: return "the model file's signature does not hold: it was changed after it was signed"
        case .needsKey(.file): return "the model file is encrypted: give its key with key=KEYFILE"
        case .needsKey(.passphrase): return "the model file is encrypted with a passphrase: set MLSH_MODEL_PASSPHRASE"
        case .otherKey(.passphrase): return "the model file is sealed with a passphrase (MLSH_MODEL_PASSPHRASE), not a key file"
        case .otherKey(.file): return "the model file is sealed with a key file, not a passphrase: give it with key=KEYFILE"
        case .wrongKey(.file): return "the key does not open this model file (a wrong key file)"
        case .wrongKey(.passphrase): return "the passphrase in MLSH_MODEL_PASSPHRASE does not open this model file"
        case .interrupted(let path): return "interrupted: nothing was written (\(path) is as it was)"
        case .badName(let name): return "the file names its model \(name.debugDescription), which is not a name a session can hold"
        case .badKeyFile(let why): return why
        case .missingFile(let path): return "no file \(path)"
        case .io(let why): return why
        }
    }

    public var hint: String? {
        switch self {
        case .notAModel: return "a model file is written by save MODEL \"FILE.mlsm\""
        case .newerFormat(let v): return "it was saved by a newer mlsh; update mlsh to one that reads format \(v)"
        case .truncated, .checksum, .corrupt: return "save the model again, or copy the file again from where it came"
        case .unsigned, .wrongSigner, .badSignature: return "load it only from a source you trust, signed with save … sign=KEYFILE"
        case .needsKey(.file), .wrongKey(.file): return "the key file is the one given to save … encrypt=KEYFILE"
        case .needsKey(.passphrase), .wrongKey(.passphrase): return "export MLSH_MODEL_PASSPHRASE='…' (the one it was saved with) before starting mlsh"
        case .otherKey(.passphrase): return "leave out key=; load model reads MLSH_MODEL_PASSPHRASE"
        case .otherKey(.file): return "the key file is the one given to save … encrypt=KEYFILE"
        case .interrupted: return nil
        case .badName: return "give it one: load model \"FILE\" as NAME"
        case .badKeyFile: return "keygen \"NAME\" writes NAME.key and NAME.pub; keygen \"NAME\" aes writes NAME.aes"
        case .missingFile: return "check the path: a relative one starts in the folder mlsh runs in"
        case .io: return nil
        }
    }
}

/// Little-endian integers in and out of byte arrays.
enum Bytes {
    static func append<T: FixedWidthInteger>(_ v: T, to out: inout [UInt8]) {
        withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
    }

    static func read<T: FixedWidthInteger>(_ type: T.Type, _ b: UnsafeRawBufferPointer, at offset: Int) -> T {
        var v: T = 0
        withUnsafeMutableBytes(of: &v) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: b[offset..<(offset + MemoryLayout<T>.size)])) }
        return T(littleEndian: v)
    }
}

/// The JSON coders of the file (and of the monitor route): sorted keys (the same value gives the
/// same bytes), and non-finite numbers as the texts "nan", "inf", "-inf".
public enum FileJSON {
    public static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return e
    }

    public static func decoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return d
    }
}
