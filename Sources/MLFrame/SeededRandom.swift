/// A small, fast, seedable generator (SplitMix64): the same seed gives the same draws everywhere.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `k` distinct indices from 0..<n, in increasing order (partial Fisher–Yates).
    public mutating func sampleIndices(_ n: Int, _ k: Int) -> [Int] {
        var pool = Array(0..<n)
        let k = min(k, n)
        for i in 0..<k {
            let j = i + Int(next() % UInt64(n - i))
            pool.swapAt(i, j)
        }
        // In order: marked, then read off (a million-row split sorted 800,000 numbers before).
        var chosen = [Bool](repeating: false, count: n)
        for i in 0..<k { chosen[pool[i]] = true }
        var out: [Int] = []
        out.reserveCapacity(k)
        for i in 0..<n where chosen[i] { out.append(i) }
        return out
    }
}
