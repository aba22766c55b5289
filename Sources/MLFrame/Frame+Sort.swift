/// Ordering rows: missing values last, whatever the direction (as pandas' na_position="last").
extension Frame {
    public func sortedIndices(by keys: [(name: String, descending: Bool)]) -> [Int] {
        let cols = keys.map { (column(name: $0.name)!, $0.descending) }
        var indices = Array(0..<rowCount)
        // Strings order by their text, so rank the dictionary once.
        let ranks: [[Int]?] = cols.map { c, _ in
            if case .string(_, let d) = c.storage {
                var rank = [Int](repeating: 0, count: d.count)
                for (r, i) in d.indices.sorted(by: { d[$0] < d[$1] }).enumerated() { rank[i] = r }
                return rank
            }
            return nil
        }
        func compare(_ a: Int, _ b: Int) -> Int {
            for (k, (c, desc)) in cols.enumerated() {
                let va = c.isValid(a), vb = c.isValid(b)
                if !va || !vb {
                    if va != vb { return va ? -1 : 1 }
                    continue
                }
                var order = 0
                if case .string(let codes, _) = c.storage, let rank = ranks[k] {
                    let ra = rank[Int(codes[a])], rb = rank[Int(codes[b])]
                    order = ra < rb ? -1 : (ra > rb ? 1 : 0)
                } else {
                    let x = c.double(a)!, y = c.double(b)!
                    order = x < y ? -1 : (x > y ? 1 : 0)
                }
                if order != 0 { return desc ? -order : order }
            }
            return 0
        }
        // Ties fall back to the row index, which makes the sort stable.
        indices.sort { a, b in
            let c = compare(a, b)
            return c != 0 ? c < 0 : a < b
        }
        return indices
    }

    func column(name: String) -> Column? { column(name) }
}
