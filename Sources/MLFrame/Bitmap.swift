/// One bit per row: set when the row holds a value, clear when it is missing.
public struct Bitmap: Sendable, Equatable {
    public private(set) var words: [UInt64]
    public private(set) var count: Int

    public init(count: Int, allValid: Bool) {
        self.count = count
        let n = (count + 63) >> 6
        words = [UInt64](repeating: allValid ? ~0 : 0, count: n)
        if allValid, count & 63 != 0 { words[n - 1] = (1 << UInt64(count & 63)) - 1 }
    }

    public init(_ flags: [Bool]) {
        self.init(count: flags.count, allValid: false)
        for (i, f) in flags.enumerated() where f { words[i >> 6] |= 1 << UInt64(i & 63) }
    }

    @inline(__always)
    public subscript(i: Int) -> Bool {
        get { words[i >> 6] & (1 << UInt64(i & 63)) != 0 }
        set {
            if newValue { words[i >> 6] |= 1 << UInt64(i & 63) } else { words[i >> 6] &= ~(1 << UInt64(i & 63)) }
        }
    }

    public mutating func append(_ valid: Bool) {
        if count & 63 == 0 { words.append(0) }
        if valid { words[count >> 6] |= 1 << UInt64(count & 63) }
        count += 1
    }

    public mutating func append(contentsOf other: Bitmap) {
        if count & 63 == 0 {
            words.append(contentsOf: other.words)
            count += other.count
            return
        }
        for i in 0..<other.count { append(other[i]) }
    }

    /// The bits at these rows, in this order.
    public func taking(_ indices: [Int]) -> Bitmap {
        var out = Bitmap(count: indices.count, allValid: false)
        words.withUnsafeBufferPointer { src in
            out.words.withUnsafeMutableBufferPointer { dst in
                for (k, i) in indices.enumerated() where src[i >> 6] & (1 << UInt64(i & 63)) != 0 {
                    dst[k >> 6] |= 1 << UInt64(k & 63)
                }
            }
        }
        return out
    }

    /// How many rows hold a value.
    /// Calls `body` with each unset (missing) position, in order: a word at a time, so a column
    /// with few missing cells costs a pass over its bits, not a lookup per row.
    @inline(__always)
    public func forEachUnset(_ body: (Int) -> Void) {
        for (w, word) in words.enumerated() {
            var unset = ~word
            while unset != 0 {
                let i = w << 6 | unset.trailingZeroBitCount
                if i >= count { return }
                body(i)
                unset &= unset &- 1
            }
        }
    }

    public var validCount: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    public var allValid: Bool { validCount == count }
}
