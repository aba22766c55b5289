/// Sorting doubles by their bits (LSD radix, 11 bits a pass): linear time, which is what makes
/// `describe` fast on a million rows. NaN must not be present.
public enum RadixSort {
    public static func sorted(_ values: [Double]) -> [Double] {
        let n = values.count
        if n < 256 { return values.sorted() }
        // Map each double to an unsigned key with the same order: flip all bits of negatives,
        // only the sign bit of the others.
        var keys = [UInt64](unsafeUninitializedCapacity: n) { buf, count in
            values.withUnsafeBufferPointer { v in
                for i in 0..<n {
                    let b = v[i].bitPattern
                    buf[i] = b & (1 << 63) != 0 ? ~b : b | (1 << 63)
                }
            }
            count = n
        }
        var scratch = [UInt64](repeating: 0, count: n)
        var counts = [Int](repeating: 0, count: 2048)
        keys.withUnsafeMutableBufferPointer { k in
            scratch.withUnsafeMutableBufferPointer { s in
                var src = k.baseAddress!, dst = s.baseAddress!
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
                if src != k.baseAddress! { k.baseAddress!.update(from: src, count: n) }
            }
        }
        return keys.map { k in
            Double(bitPattern: k & (1 << 63) != 0 ? k & ~(1 << 63) : ~k)
        }
    }
}
