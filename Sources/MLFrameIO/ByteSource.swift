import CZlib
import MLDiagnostics
#if canImport(Glibc)
import Glibc
#endif

/// Reads a file in blocks, decompressing gzip on the way, so a large file is never held whole.
final class ByteSource {
    private var file: UnsafeMutablePointer<FILE>?
    private var gz: gzFile?
    let path: String
    let compressed: Bool
    /// The file's size on disk (0 for a pipe).
    let size: Int
    /// Bytes read so far (after gzip): the size of a pipe's contents, once read.
    private(set) var totalRead = 0

    init(path: String) throws(Diagnostic) {
        self.path = path
        // FileText.read gives the error messages for missing files and folders; here only the first bytes.
        var st = stat()
        if stat(path, &st) != 0 {
            _ = try FileText.read(path)  // throws the located "no such file" diagnostic
        }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            throw Diagnostic(.fileUnreadable, .error, "'\(path)' is a directory, not a file",
                             hint: "name a file inside it; 'load \"\(path)/' and Tab lists them")
        }
        size = Int(st.st_size)
        if (st.st_mode & S_IFMT) != S_IFREG {
            // A pipe or a device (/dev/stdin, <(…)): bytes read cannot be put back, so zlib reads
            // it, looking at the first bytes itself: gzip is inflated, anything else passes through.
            let fd = open(path, O_RDONLY)
            guard fd >= 0, let g = gzdopen(fd, "rb") else {
                throw Diagnostic(.fileUnreadable, .error, "cannot read '\(path)': \(String(cString: strerror(errno)))",
                                 hint: "check that it can be read")
            }
            gzbuffer(g, 1 << 17)
            gz = g
            compressed = gzdirect(g) == 0
            return
        }
        guard let f = fopen(path, "rb") else {
            throw Diagnostic(.fileUnreadable, .error, "cannot read '\(path)': \(String(cString: strerror(errno)))",
                             hint: "check the file's permissions")
        }
        var magic = [UInt8](repeating: 0, count: 2)
        let n = fread(&magic, 1, 2, f)
        compressed = n == 2 && magic[0] == 0x1F && magic[1] == 0x8B
        if compressed {
            fclose(f)
            guard let g = gzopen(path, "rb") else {
                throw Diagnostic(.gzipError, .error, "cannot open '\(path)' as gzip")
            }
            gzbuffer(g, 1 << 17)
            gz = g
        } else {
            rewind(f)
            file = f
        }
    }

    deinit {
        if let file { fclose(file) }
        if let gz { gzclose(gz) }
    }

    /// Reads up to `count` bytes to `out`, straight from the file (or zlib); returns how many were
    /// (not named `read(into:)`, so that `&array` can never convert to this pointer and overrun it)
    /// read (0 at the end).
    func read(to out: UnsafeMutablePointer<UInt8>, count: Int) throws(Diagnostic) -> Int {
        var failed = false
        var got = 0
        if let file {
            got = fread(out, 1, count, file)
        } else if let gz {
            let n = gzread(gz, out, UInt32(count))
            if n < 0 { failed = true } else { got = Int(n) }
        }
        totalRead += got
        if let gz {
            var errnum: Int32 = 0
            var reason = String(cString: gzerror(gz, &errnum))
            if reason.hasPrefix(path + ": ") { reason.removeFirst(path.count + 2) }
            // zlib reports a file cut short only as an error state after the last read.
            if failed || (got == 0 && errnum != Z_OK && errnum != Z_STREAM_END) || (got < count && gzeof(gz) == 0 && errnum != Z_OK) {
                throw Diagnostic(.gzipError, .error, "'\(path)' is not a valid gzip file: \(reason.isEmpty ? "it ends early" : reason)",
                                 hint: "check that the file is complete; 'gzip -t \(path)' tests it")
            }
        }
        return got
    }
}
