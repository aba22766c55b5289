import MLDiagnostics
#if canImport(Glibc)
import Glibc
#endif

/// Bytes of the file in memory, read straight into raw memory (no copy in between) and kept from
/// one block to the next only as the unparsed tail.
final class ReadBuffer {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 4096)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    /// Reads up to `n` more bytes from `source` after the ones held; returns how many came.
    func read(from source: ByteSource, count n: Int) throws(Diagnostic) -> Int {
        if count + n > capacity {
            var newCapacity = capacity * 2
            while count + n > newCapacity { newCapacity *= 2 }
            let b = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            b.update(from: base, count: count)
            base.deallocate()
            base = b
            capacity = newCapacity
        }
        let got = try source.read(to: base + count, count: n)
        count += got
        return got
    }

    /// Drops the first `n` bytes.
    func removeFirst(_ n: Int) {
        guard n > 0 else { return }
        memmove(base, base + n, count - n)
        count -= n
    }

    /// Holds exactly these bytes (the tail of another buffer).
    func replace(with bytes: UnsafeBufferPointer<UInt8>) {
        count = 0
        if bytes.count > capacity {
            base.deallocate()
            capacity = bytes.count
            base = .allocate(capacity: capacity)
        }
        if let start = bytes.baseAddress, bytes.count > 0 { base.update(from: start, count: bytes.count) }
        count = bytes.count
    }
}
