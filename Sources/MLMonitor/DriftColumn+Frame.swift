import MLFrame

extension DriftColumn {
    /// A frame's column: texts for a string or bool column (Evidently calls both categorical),
    /// numbers for the rest (dates as days since 1970), missing cells counted and left out.
    public init(_ c: Column, rows: [Int]? = nil) {
        let rows = rows ?? Array(0..<c.count)
        var missing = 0
        var categorical = false
        switch c.storage {
        case .string, .bool: categorical = true
        default: break
        }
        if categorical {
            var texts: [String] = []
            texts.reserveCapacity(rows.count)
            for r in rows { if c.isValid(r), let t = c.text(r) { texts.append(t) } else { missing += 1 } }
            self.init(name: c.name, values: .texts(texts), missing: missing)
            return
        }
        var numbers: [Double] = []
        numbers.reserveCapacity(rows.count)
        for r in rows {
            if c.isValid(r), let d = c.double(r), d.isFinite { numbers.append(d) } else { missing += 1 }
        }
        var integer = false
        if case .int = c.storage { integer = true }
        self.init(name: c.name, values: .numbers(numbers), missing: missing, isInteger: integer)
    }
}
