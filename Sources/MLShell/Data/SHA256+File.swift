import Crypto
#if canImport(Glibc)
import Glibc
#endif

extension SHA256 {
    /// The hex SHA-256 of a file, read in 1 MiB pieces.
    static func hexDigest(ofFile path: String) throws -> String {
        guard let f = fopen(path, "rb") else { throw HashError.unreadable }
        defer { fclose(f) }
        var hasher = SHA256()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = fread(&buffer, 1, buffer.count, f)
            if n <= 0 { break }
            buffer.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
        return hasher.finalize().map { b in (b < 16 ? "0" : "") + String(b, radix: 16) }.joined()
    }

    enum HashError: Error { case unreadable }
}
