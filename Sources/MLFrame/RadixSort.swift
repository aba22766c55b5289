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
}
