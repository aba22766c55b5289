import MLFrame
import Testing

/// The median by selection (fill median, on large columns) against sorting, on awkward values.
@Suite struct MedianTests {
    @Test(arguments: [4096, 4097, 10_000, 30_001])
    func selectionEqualsSorting(_ n: Int) {
        var rng = SeededRandom(seed: UInt64(n))
        let makers: [(inout SeededRandom) -> Double] = [
            { Double(Int64(bitPattern: $0.next()) % 1000) / 7 },          // many duplicates, both signs
            { Double(bitPattern: $0.next() >> 2) },                          // huge spread of exponents
            { _ in 1.5 },                                                    // all equal
            { $0.next() % 3 == 0 ? -0.0 : ($0.next() % 2 == 0 ? 0.0 : .infinity) },
            { Double($0.next() % 100) + 1 },                                 // one exponent bucket
        ]
        for make in makers {
            var values = (0..<n).map { _ in make(&rng) }
            let expected = Statistics.quantile(sorted: RadixSort.sorted(values), 0.5)
            let got = Statistics.median(&values)
            #expect(got == expected || (got.isNaN && expected.isNaN), "n=\(n): \(got) vs \(expected)")
        }
    }
}
