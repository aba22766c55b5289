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

/// Sorting by radix keys against sorting by comparing rows: several keys, both directions,
/// missing values last, ties in their original order.
@Suite struct SortTests {
    @Test func radixKeysEqualComparing() {
        var rng = SeededRandom(seed: 21)
        let n = 5_000
        func valid() -> Bitmap { Bitmap((0..<n).map { _ in rng.next() % 7 != 0 }) }
        let frame = Frame(columns: [
            Column(name: "f", storage: .float((0..<n).map { _ in [-0.0, 0.0, -2.5, 1e300, -1e-300, 3][Int(rng.next() % 6)] }), validity: valid()),
            Column(name: "i", storage: .int((0..<n).map { _ in Int64(bitPattern: rng.next()) % 5 }), validity: valid()),
            Column(name: "s", storage: .string(codes: (0..<n).map { _ in UInt32(rng.next() % 4) }, dictionary: ["b", "a", "é", "B"]), validity: valid()),
            Column(name: "b", storage: .bool((0..<n).map { _ in rng.next() % 2 == 0 })),
        ])
        for keys in [[("f", false)], [("i", true), ("f", false)], [("s", false), ("b", true), ("i", false)], [("b", false), ("s", true)]] {
            let got = frame.sortedIndices(by: keys.map { (name: $0.0, descending: $0.1) })
            let cols = keys.map { (frame.column($0.0)!, $0.1) }
            func text(_ c: Column, _ r: Int) -> String { c.text(r) ?? "" }
            let expected = (0..<n).sorted { a, b in
                for (c, desc) in cols {
                    let va = c.isValid(a), vb = c.isValid(b)
                    if va != vb { return va }
                    if !va { continue }
                    var order = 0
                    if c.type == .string {
                        let x = text(c, a), y = text(c, b)
                        order = x < y ? -1 : (x > y ? 1 : 0)
                    } else {
                        let x = c.double(a)!, y = c.double(b)!
                        order = x < y ? -1 : (x > y ? 1 : 0)
                    }
                    if order != 0 { return desc ? order > 0 : order < 0 }
                }
                return a < b
            }
            #expect(got == expected, "keys \(keys)")
        }
    }
}
