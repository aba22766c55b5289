/// Sorting doubles by their bits (LSD radix, 11 bits a pass): linear time, which is what makes
/// `describe` fast on a million rows. NaN must not be present.
public enum RadixSort {
    public static func sorted(_ values: [Double]) -> [Double] {
        var v = values
        sort(&v)
        return v
    }

    /// Sorts in place, with one scratch buffer: `describe` sorts every numeric column at once, and
    /// fresh memory (page faults) was most of its cost when each sort made three new arrays.
    public static func sort(_ values: inout [Double]) {
        let n = values.count
        if n < 256 { values.sort(); return }
        var scratch = [UInt64](repeating: 0, count: n)
        var counts = [Int](repeating: 0, count: 2048)
        values.withUnsafeMutableBufferPointer { v in
          v.withMemoryRebound(to: UInt64.self) { keys in
            // The doubles' own memory holds the keys while sorting: each double mapped to an unsigned
            // key with the same order (all bits of negatives flipped, only the sign bit of the others).
            let k = keys.baseAddress!
            for i in 0..<n {
                let b = k[i]
                k[i] = b & (1 << 63) != 0 ? ~b : b | (1 << 63)
            }
            scratch.withUnsafeMutableBufferPointer { s in
                var src = k, dst = s.baseAddress!
                for pass in 0..<6 {
                    let shift = UInt64(pass * 11)
                    counts.withUnsafeMutableBufferPointer { c in
                        for d in 0..<2048 { c[d] = 0 }
                        for i in 0..<n { c[Int((src[i] >> shift) & 2047)] += 1 }
                        // A pass in which every key has the same digit changes nothing.
                        if c[Int((src[0] >> shift) & 2047)] == n { return }
                        var total = 0
                        for d in 0..<2048 { let t = c[d]; c[d] = total; total += t }
                        for i in 0..<n {
                            let d = Int((src[i] >> shift) & 2047)
                            dst[c[d]] = src[i]
                            c[d] += 1
                        }
                        swap(&src, &dst)
                    }
                }
                if src != k { k.update(from: src, count: n) }
            }
            for i in 0..<n {
                let key = k[i]
                k[i] = key & (1 << 63) != 0 ? key & ~(1 << 63) : ~key
            }
          }
        }
    }

    /// The order that sorts `keys` ascending, ties in their original order (a stable LSD radix
    /// sort of (key, position) pairs, 11 bits a pass; a pass in which every key has the same digit
    /// is skipped). `order` gives the starting order of the positions (default 0..<n).
    public static func stableOrder(_ keys: [UInt64], startingFrom order: [Int]? = nil) -> [Int] {
        let n = keys.count
        var idx = order ?? Array(0..<n)
        guard n > 1 else { return idx }
        var k = order.map { o in o.map { keys[$0] } } ?? keys
        var k2 = [UInt64](repeating: 0, count: n), i2 = [Int](repeating: 0, count: n)
        var counts = [Int](repeating: 0, count: 2048)
        for pass in 0..<6 {
            let shift = UInt64(pass * 11)
            var moved = false
            k.withUnsafeBufferPointer { src in
                idx.withUnsafeBufferPointer { srcIdx in
                    k2.withUnsafeMutableBufferPointer { dst in
                        i2.withUnsafeMutableBufferPointer { dstIdx in
                            counts.withUnsafeMutableBufferPointer { c in
                                for d in 0..<2048 { c[d] = 0 }
                                for i in 0..<n { c[Int((src[i] >> shift) & 2047)] += 1 }
                                if c[Int((src[0] >> shift) & 2047)] == n { return }
                                var total = 0
                                for d in 0..<2048 { let t = c[d]; c[d] = total; total += t }
                                for i in 0..<n {
                                    let d = Int((src[i] >> shift) & 2047)
                                    dst[c[d]] = src[i]
                                    dstIdx[c[d]] = srcIdx[i]
                                    c[d] += 1
                                }
                                moved = true
                            }
                        }
                    }
                }
            }
            if moved {
                swap(&k, &k2)
                swap(&idx, &i2)
            }
        }
        return idx
    }

    /// The order-keeping unsigned key of a double (all bits of negatives flipped, the sign bit of
    /// the others set); −0 is taken as 0, so that the two stay equal.
    @inline(__always)
    public static func key(_ x: Double) -> UInt64 {
        let b = (x == 0 ? 0.0 : x).bitPattern
        return b & (1 << 63) != 0 ? ~b : b | (1 << 63)
    }
}
