import MLFrame

extension TextTable {
    /// A frame as a table: every row when it fits in `maxRows`, else the head and the tail.
    public init(frame: Frame, maxRows: Int) {
        let n = frame.rowCount
        var indices: [Int]
        var gap: Int? = nil
        if n <= maxRows {
            indices = Array(0..<n)
        } else {
            let head = (maxRows + 1) / 2, tail = maxRows / 2
            indices = Array(0..<head) + Array((n - tail)..<n)
            gap = head
        }
        let columns = frame.columns.map { c in
            TextTable.Column(header: c.name, typeLabel: c.type.rawValue,
                             alignment: c.type.isNumeric ? .right : .left,
                             cells: indices.map { TextTable.displayText(c, $0) },
                             exactCells: c.type == .float64 ? indices.map { c.isValid($0) ? c.text($0) : nil } : nil)
        }
        self.init(columns: columns, totalRows: n, gapAfter: gap)
    }

    public static func displayText(_ c: MLFrame.Column, _ i: Int) -> String? {
        guard c.isValid(i) else { return nil }
        switch c.storage {
        case .float(let v): return NumberFormat.cell(v[i])
        default: return c.text(i)
        }
    }
}
