import CZlib

/// In-memory zlib (RFC 1950) streams, through the system's zlib.
enum Zlib {
    static func compress(_ input: [UInt8]) throws -> [UInt8] {
        var length = compressBound(uLong(input.count))
        var out = [UInt8](repeating: 0, count: Int(length))
        let status = input.withUnsafeBufferPointer { i in
            out.withUnsafeMutableBufferPointer { o in compress2(o.baseAddress, &length, i.baseAddress, uLong(input.count), Z_DEFAULT_COMPRESSION) }
        }
        guard status == Z_OK else { throw ModelFileError.io("zlib could not compress the model (status \(status))") }
        out.removeSubrange(Int(length)...)
        return out
    }

    /// Inflates to exactly `size` bytes, or says the stream is damaged.
    static func decompress(_ input: UnsafeRawBufferPointer, size: Int) throws -> [UInt8] {
        // zlib cannot expand data more than about 1032 times: a larger claim is a damaged header.
        guard size <= max(1 << 16, input.count * 1100) else { throw ModelFileError.corrupt("the header claims \(size) bytes from \(input.count) compressed ones") }
        var length = uLong(size)
        var out = [UInt8](repeating: 0, count: size)
        let status = out.withUnsafeMutableBufferPointer { o in
            uncompress(o.baseAddress, &length, input.baseAddress?.assumingMemoryBound(to: UInt8.self), uLong(input.count))
        }
        guard status == Z_OK, Int(length) == size else { throw ModelFileError.corrupt("its compressed body does not inflate (zlib status \(status))") }
        return out
    }
}
