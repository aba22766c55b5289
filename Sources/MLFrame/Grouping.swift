/// Rows grouped by the values of key columns, groups in order of first appearance.
public struct Grouping {
    public let frame: Frame
    public let keys: [String]
    /// The group of each row.
    public private(set) var groupOfRow: [Int]
    /// The first row of each group (its key values are read from there).
    public private(set) var firstRow: [Int] = []
    public private(set) var sizes: [Int] = []

    public init(frame: Frame, keys: [String]) {
        self.frame = frame
        self.keys = keys
        let columns = keys.map { frame.column($0)! }
        groupOfRow = [Int](repeating: 0, count: frame.rowCount)
        // One text key: its dictionary codes are the groups' numbers already (no hashing per row).
        if columns.count == 1, case .string(let codes, let dictionary) = columns[0].storage {
            var groupOfCode = [Int](repeating: -1, count: dictionary.count + 1)
            let c = columns[0]
            for r in 0..<frame.rowCount {
                let code = c.isValid(r) ? Int(codes[r]) : dictionary.count
                var g = groupOfCode[code]
                if g < 0 {
                    g = firstRow.count
                    groupOfCode[code] = g
                    firstRow.append(r)
                    sizes.append(0)
                }
                groupOfRow[r] = g
                sizes[g] += 1
            }
            return
        }
        var index: [[CellKey]: Int] = [:]
        for r in 0..<frame.rowCount {
            let key = columns.map { $0.cellKey(r) }
            if let g = index[key] {
                groupOfRow[r] = g
                sizes[g] += 1
            } else {
                let g = firstRow.count
                index[key] = g
                firstRow.append(r)
                sizes.append(1)
                groupOfRow[r] = g
            }
        }
    }

    public var count: Int { firstRow.count }
    public var indices: Range<Int> { 0..<count }

    /// The rows of each group.
    public func rows() -> [[Int]] {
        var out = [[Int]](repeating: [], count: count)
        for (r, g) in groupOfRow.enumerated() { out[g].append(r) }
        return out
    }

    /// Orders groups by their key values (missing last), for ties and for `group` output.
    public func less(_ a: Int, _ b: Int) -> Bool {
        for name in keys {
            let c = frame.column(name)!
            let ra = firstRow[a], rb = firstRow[b]
            let va = c.isValid(ra), vb = c.isValid(rb)
            if va != vb { return va }
            if !va { continue }
            if let x = c.double(ra), let y = c.double(rb) {
                if x != y { return x < y }
            } else if let x = c.text(ra), let y = c.text(rb), x != y {
                return x < y
            }
        }
        return false
    }

    /// The key columns, one row per group, in the given order.
    public func keyFrame(_ order: [Int]) -> Frame {
        frame.selecting(keys).take(order.map { firstRow[$0] })
    }
}
