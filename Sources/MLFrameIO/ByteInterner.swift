/// Gives each distinct byte string a small code without making a String per cell: the
/// dictionary encoding of text columns, built while parsing.
struct ByteInterner {
    /// All distinct values, back to back.
    private(set) var arena: [UInt8] = []
    private(set) var starts: [Int] = []
    private(set) var lengths: [Int] = []
    private var slots: [Int32]  // code + 1, or 0 for empty
    private var mask: Int

    init() {
        slots = [Int32](repeating: 0, count: 64)
        mask = 63
    }

    var count: Int { starts.count }

    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for k in 0..<n { h = (h ^ UInt64(p[k])) &* 0x100_0000_01b3 }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    /// The code of these bytes, adding them when new.
    @inline(__always)
    mutating func intern(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt32 {
        var slot = ByteInterner.hash(p, n) & mask
        while true {
            let s = slots[slot]
            if s == 0 { break }
            let code = Int(s - 1)
            if lengths[code] == n && arena.withUnsafeBufferPointer({ memcmp($0.baseAddress! + starts[code], p, n) == 0 }) {
                return UInt32(code)
            }
            slot = (slot + 1) & mask
        }
        let code = starts.count
        starts.append(arena.count)
        lengths.append(n)
        arena.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
        slots[slot] = Int32(code + 1)
        if starts.count * 2 > mask { grow() }
        return UInt32(code)
    }

    private mutating func grow() {
        mask = mask * 2 + 1
        slots = [Int32](repeating: 0, count: mask + 1)
        arena.withUnsafeBufferPointer { a in
            for code in 0..<starts.count {
                var slot = ByteInterner.hash(a.baseAddress! + starts[code], lengths[code]) & mask
                while slots[slot] != 0 { slot = (slot + 1) & mask }
                slots[slot] = Int32(code + 1)
            }
        }
    }

    func bytes(_ code: Int) -> ArraySlice<UInt8> { arena[starts[code]..<(starts[code] + lengths[code])] }
}

#if canImport(Glibc)
import Glibc
#endif
