#if canImport(Glibc)
import Glibc
#endif

/// Reading whole files and writing them atomically, with errors that say what to do.
public enum FileText {
    /// Reads a file's bytes; a missing file suggests near names in its folder.
    public static func read(_ path: String) throws(Diagnostic) -> [UInt8] {
        var st = stat()
        if stat(path, &st) != 0 {
            var hint = "check the path; it is read relative to \(currentDirectory())"
            let (dir, base) = split(path)
            let prefix = dir == "." && !path.hasPrefix("./") ? "" : (dir == "/" ? "/" : dir + "/")
            if let near = Suggest.phrase(Suggest.nearest(base, in: listDirectory(dir), limit: 2).map { prefix + $0 }) {
                hint = near
            }
            throw Diagnostic(.fileNotFound, .error, "no such file: '\(path)'", hint: hint)
        }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            throw Diagnostic(.fileUnreadable, .error, "'\(path)' is a directory, not a file", hint: "name a file inside it")
        }
        guard let f = fopen(path, "rb") else {
            throw Diagnostic(.fileUnreadable, .error, "cannot read '\(path)': \(String(cString: strerror(errno)))",
                             hint: "check the file's permissions")
        }
        defer { fclose(f) }
        var out: [UInt8] = []
        out.reserveCapacity(Int(st.st_size))
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = fread(&buffer, 1, buffer.count, f)
            if n <= 0 { break }
            out.append(contentsOf: buffer[0..<n])
            // Scripts and history are text of a human size; /dev/zero would never end.
            if out.count > 256 << 20 {
                throw Diagnostic(.fileUnreadable, .error, "'\(path)' holds more than 256 MB: too much for a script",
                                 hint: "mlsh reads scripts whole; data files go to load")
            }
        }
        return out
    }

    /// Writes a file atomically: a temporary file in the same folder, flushed, then renamed over the target.
    public static func writeAtomically(_ path: String, _ bytes: [UInt8]) throws(Diagnostic) {
        try writeAtomically(path, parts: [bytes])
    }

    /// The same, from consecutive parts (no joined copy of a large file).
    public static func writeAtomically(_ path: String, parts: [[UInt8]]) throws(Diagnostic) {
        // A rename would replace a device or a pipe (/dev/null) with a plain file: refuse anything but a file.
        var existing = stat()
        if stat(path, &existing) == 0, (existing.st_mode & S_IFMT) != S_IFREG, (existing.st_mode & S_IFMT) != S_IFDIR {
            throw Diagnostic(.fileUnreadable, .error, "'\(path)' is not a regular file (a device, pipe or socket): nothing was written",
                             hint: "write to a file")
        }
        let total = parts.reduce(0) { $0 + $1.count }
        // Unique per write, not per process: two threads (tests, a server) may write one path at once;
        // "x" refuses a name that exists rather than share it.
        let tmp = path + ".tmp-\(getpid())-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
        guard let f = fopen(tmp, "wbx") else {
            throw Diagnostic(.fileUnreadable, .error, "cannot write '\(path)': \(String(cString: strerror(errno)))",
                             hint: "check that the folder exists and is writable")
        }
        var written = 0
        for part in parts where !part.isEmpty { written += part.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, f) } }
        let flushed = fflush(f) == 0 && fsync(fileno(f)) == 0
        fclose(f)
        if written != total || !flushed {
            unlink(tmp)
            throw Diagnostic(.fileUnreadable, .error, "could not write all of '\(path)' (disk full?); the old file is unchanged")
        }
        if rename(tmp, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(tmp)
            throw Diagnostic(.fileUnreadable, .error, "cannot replace '\(path)': \(reason)")
        }
    }

    public static func currentDirectory() -> String {
        var buf = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buf, buf.count) != nil else { return "." }
        return String(cString: buf)
    }

    /// An absolute, normalised path: the key `run` uses to spot a script running itself.
    public static func canonical(_ path: String) -> String {
        if let r = realpath(path, nil) {
            defer { free(r) }
            return String(cString: UnsafePointer(r))
        }
        return path
    }

    public static func displayName(_ path: String) -> String {
        let cwd = currentDirectory() + "/"
        return path.hasPrefix(cwd) ? String(path.dropFirst(cwd.count)) : path
    }

    /// ("dir", "name") of a path; "." when it has no folder.
    public static func split(_ path: String) -> (String, String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let dir = String(path[..<slash])
        return (dir.isEmpty ? "/" : dir, String(path[path.index(after: slash)...]))
    }

    /// The names in a folder (no "." or ".."), or none when it cannot be read.
    public static func listDirectory(_ dir: String) -> [String] {
        guard let d = opendir(dir) else { return [] }
        defer { closedir(d) }
        var names: [String] = []
        while let entry = readdir(d) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    public static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }
}

extension Diagnostic.ID {
    public static let fileNotFound = Diagnostic.ID("file-not-found")
    public static let fileUnreadable = Diagnostic.ID("file-unreadable")
}
