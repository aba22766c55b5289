import Crypto
import MLDiagnostics
import MLFrame
import MLFrameIO

/// Where a dataset came from: the file, its size and (computed when first asked) its SHA-256.
public final class DataSource {
    public let path: String
    public let bytes: Int
    public let rows: Int
    public let options: String
    private var hash: String?

    public init(path: String, bytes: Int, rows: Int, options: String) {
        self.path = path
        self.bytes = bytes
        self.rows = rows
        self.options = options
    }

    /// The file's SHA-256, read again from disk the first time it is asked for.
    public func sha256() -> String? {
        if let hash { return hash }
        hash = try? SHA256.hexDigest(ofFile: path)
        return hash
    }
}

/// A named dataset in the session: its current frame, the versions before it (for `undo`),
/// and its source. Transforming verbs without `as` push a new version.
public final class Dataset {
    public struct Version {
        public let frame: Frame
        /// The command that made this version, as written.
        public let step: String
    }

    public var name: String
    public let source: DataSource
    public private(set) var versions: [Version]

    public init(name: String, frame: Frame, source: DataSource, step: String) {
        self.name = name
        self.source = source
        self.versions = [Version(frame: frame, step: step)]
    }

    public var frame: Frame { versions[versions.count - 1].frame }

    public func push(_ frame: Frame, step: String) {
        versions.append(Version(frame: frame, step: step))
    }

    /// Steps back one version; false when this is the loaded one.
    public func undo() -> Bool {
        guard versions.count > 1 else { return false }
        versions.removeLast()
        return true
    }

    /// A new dataset made from this one (what `as NAME` binds). It keeps the versions that led
    /// to it, so `schema` shows its whole history and `undo` can walk back through it.
    public func derived(name: String, frame: Frame, step: String) -> Dataset {
        let d = Dataset(name: name, frame: frame, source: source, step: step)
        d.versions = versions + [Version(frame: frame, step: step)]
        return d
    }
}
