#if canImport(Glibc)
import Glibc
#endif

/// Writes a file so that it is never half written: the bytes go to a temporary file in the same
/// folder, are flushed to the disk (fsync), and then take the name at once (rename). A crash, a
/// `kill -9` or a full disk at any moment leaves the old file whole.
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644, shouldStop: () -> Bool = { false }) throws {
        let folder = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        let base = path.split(separator: "/").last.map(String.init) ?? path
        var isFolder = stat()
        if stat(path, &isFolder) == 0, (isFolder.st_mode & S_IFMT) == S_IFDIR {
            throw ModelFileError.io("\(path) is a folder, not a file")
        }
        // A short name of its own (a long target name plus a suffix could pass the 255-byte limit).
        _ = base
        let temp = (folder.isEmpty ? "/" : folder) + "/.mlsh-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw ModelFileError.io("cannot write in \(folder.isEmpty ? "/" : folder): \(String(cString: strerror(errno)))") }
        var done = false
        defer {
            if !done { unlink(temp) }
        }
        var written = 0
        let failure: String? = bytes.withUnsafeBytes { b -> String? in
            while written < b.count {
                let n = Glibc.write(fd, b.baseAddress! + written, b.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    return String(cString: strerror(errno))
                }
                written += n
            }
            return fsync(fd) == 0 ? nil : String(cString: strerror(errno))
        }
        close(fd)
        if let failure { throw ModelFileError.io("cannot write \(path): \(failure); the old file, if any, is untouched") }
        // Ctrl-C up to here leaves everything as it was; past the rename the new file stands.
        if shouldStop() { throw ModelFileError.interrupted(path) }
        guard rename(temp, path) == 0 else { throw ModelFileError.io("cannot write \(path): \(String(cString: strerror(errno)))") }
        done = true
        // The rename itself is durable once the folder is flushed.
        let dir = open(folder.isEmpty ? "/" : folder, O_RDONLY | O_DIRECTORY)
        if dir >= 0 { fsync(dir); close(dir) }
    }

    /// A whole file's bytes, or a plain reason why not.
    public static func read(_ path: String, limit: Int = 1 << 36) throws -> [UInt8] {
        var st = stat()
        guard stat(path, &st) == 0 else {
            throw errno == ENOENT ? ModelFileError.missingFile(path) : ModelFileError.io("cannot read \(path): \(String(cString: strerror(errno)))")
        }
        if (st.st_mode & S_IFMT) == S_IFDIR { throw ModelFileError.io("\(path) is a folder, not a model file") }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ModelFileError.io("cannot read \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let size = Int(st.st_size)
        guard size <= limit else { throw ModelFileError.io("\(path) is \(size) bytes, more than a model file can be") }
        var out = [UInt8](repeating: 0, count: size)
        var got = 0
        while got < size {
            let n = out.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + got, size - got) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            got += n
        }
        if got < size { out.removeSubrange(got...) }
        return out
    }
}
