import MLFrame
import MLModel

extension DriftColumn {
    /// A model's training reference for one input: texts from the category counts; numbers from
    /// the kept values (exact up to 1,000 of them, order statistics past that, with the whole
    /// column's std and distinct count), or from the bins' midpoints in files that kept no values.
    public init(reference p: ColumnProfile, type: ColumnType) {
        let present = p.count - p.missing
        if let categories = p.categories, let frequencies = p.frequencies {
            var texts: [String] = []
            texts.reserveCapacity(present)
            for (c, f) in zip(categories, frequencies) { texts.append(contentsOf: repeatElement(c, count: f)) }
            self.init(name: p.name, values: .texts(texts), missing: p.missing)
            return
        }
        var numbers = p.sample ?? []
        if p.sample == nil, let edges = p.edges, let counts = p.counts {
            for (k, n) in counts.enumerated() where k + 1 < edges.count {
                numbers.append(contentsOf: repeatElement((edges[k] + edges[k + 1]) / 2, count: n))
            }
        }
        if type == .bool {
            self.init(name: p.name, values: .texts(numbers.map { $0 != 0 ? "true" : "false" }), missing: p.missing)
            return
        }
        let summary = numbers.count < present ? Summary(count: present, std: p.std ?? 0, distinct: p.distinct ?? numbers.count) : nil
        self.init(name: p.name, values: .numbers(numbers), missing: p.missing, isInteger: type == .int64, summarized: summary)
        if let edges = p.edges, let counts = p.counts, edges.count >= 2 { deciles = (edges, counts) }
    }
}
