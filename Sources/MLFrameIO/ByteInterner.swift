#if canImport(Glibc)
import Glibc
#endif

/// Gives each distinct byte string a small code without making a String per cell: the
/// dictionary encoding of text columns, built while parsing. Raw memory, so that interning
/// a cell touches no reference counts.
final class ByteInterner {
    private var arena: UnsafeMutablePointer<UInt8>
    private var arenaCapacity = 1024
    private var arenaCount = 0
    private var starts: UnsafeMutablePointer<Int>
    private var lengths: UnsafeMutablePointer<Int>
    private var entryCapacity = 64
    private(set) var count = 0
    private var slots: UnsafeMutablePointer<Int32>  // code + 1, or 0 for empty
    private var mask = 127

    init() {
        arena = .allocate(capacity: arenaCapacity)
        starts = .allocate(capacity: entryCapacity)
        lengths = .allocate(capacity: entryCapacity)
        slots = .allocate(capacity: mask + 1)
        slots.initialize(repeating: 0, count: mask + 1)
    }

    deinit {
        arena.deallocate()
        starts.deallocate()
        lengths.deallocate()
        slots.deallocate()
    }

    /// Forgets every value, keeping the memory.
    func reset() {
        count = 0
        arenaCount = 0
        slots.update(repeating: 0, count: mask + 1)
    }

    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for k in 0..<n { h = (h ^ UInt64(p[k])) &* 0x100_0000_01b3 }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    /// The code of these bytes, adding them when new.
    @inline(__always)
    func intern(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt32 {
        var slot = ByteInterner.hash(p, n) & mask
        while true {
            let s = slots[slot]
            if s == 0 { break }
            let code = Int(s - 1)
            if lengths[code] == n && memcmp(arena + starts[code], p, n) == 0 {
                return UInt32(code)
            }
            slot = (slot + 1) & mask
        }
        return add(p, n, slot: slot)
    }

    private func add(_ p: UnsafePointer<UInt8>, _ n: Int, slot: Int) -> UInt32 {
        if arenaCount + n > arenaCapacity {
            var newCapacity = arenaCapacity * 2
            while arenaCount + n > newCapacity { newCapacity *= 2 }
            let a = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            a.update(from: arena, count: arenaCount)
            arena.deallocate()
            arena = a
            arenaCapacity = newCapacity
        }
        if count == entryCapacity {
            let newCapacity = entryCapacity * 2
            let s = UnsafeMutablePointer<Int>.allocate(capacity: newCapacity)
            s.update(from: starts, count: count)
            starts.deallocate()
            starts = s
            let l = UnsafeMutablePointer<Int>.allocate(capacity: newCapacity)
            l.update(from: lengths, count: count)
            lengths.deallocate()
            lengths = l
            entryCapacity = newCapacity
        }
        let code = count
        (arena + arenaCount).update(from: p, count: n)
        starts[code] = arenaCount
        lengths[code] = n
        arenaCount += n
        count += 1
        slots[slot] = Int32(code + 1)
        if count * 2 > mask { grow() }
        return UInt32(code)
    }

    private func grow() {
        slots.deallocate()
        mask = mask * 2 + 1
        slots = .allocate(capacity: mask + 1)
        slots.initialize(repeating: 0, count: mask + 1)
        for code in 0..<count {
            var slot = ByteInterner.hash(arena + starts[code], lengths[code]) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(code + 1)
        }
    }

    func bytes(_ code: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: arena + starts[code], count: lengths[code])
    }
}
