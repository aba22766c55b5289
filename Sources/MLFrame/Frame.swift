import Dispatch

/// A table of equally long, named, typed columns.
public struct Frame: Sendable, Equatable {
    public private(set) var columns: [Column]
    public private(set) var rowCount: Int

    public init(columns: [Column]) {
        self.columns = columns
        self.rowCount = columns.first?.count ?? 0
        precondition(columns.allSatisfy { $0.count == rowCount }, "columns of unequal length")
    }

    public init(rowCount: Int) {
        self.columns = []
        self.rowCount = rowCount
    }

    public var columnNames: [String] { columns.map(\.name) }

    public func index(of name: String) -> Int? { columns.firstIndex { $0.name == name } }

    public func column(_ name: String) -> Column? { index(of: name).map { columns[$0] } }

    /// The rows at `indices`, in that order.
    public func take(_ indices: [Int]) -> Frame {
        var taken = [Column?](repeating: nil, count: columns.count)
        if indices.count * columns.count < 1 << 20 {
            for (c, column) in columns.enumerated() { taken[c] = column.take(indices) }
        } else {
            // Large frames: the columns are gathered on both cores (the page faults of the new
            // columns are most of the cost, and they parallelize too). Each worker writes its own slot.
            let source = columns
            taken.withUnsafeMutableBufferPointer { out in
                nonisolated(unsafe) let slots = out
                DispatchQueue.concurrentPerform(iterations: source.count) { c in slots[c] = source[c].take(indices) }
            }
        }
        var f = Frame(columns: taken.map { $0! })
        f.rowCount = indices.count
        return f
    }

    /// The rows where `keep` is true.
    public func filter(_ keep: [Bool]) -> Frame {
        var indices: [Int] = []
        indices.reserveCapacity(keep.count)
        for (i, k) in keep.enumerated() where k { indices.append(i) }
        return take(indices)
    }

    public func selecting(_ names: [String]) -> Frame {
        var f = Frame(columns: names.compactMap { column($0) })
        f.rowCount = rowCount
        return f
    }

    public func dropping(_ names: Set<String>) -> Frame {
        var f = Frame(columns: columns.filter { !names.contains($0.name) })
        f.rowCount = rowCount
        return f
    }

    public mutating func rename(_ old: String, to new: String) {
        if let i = index(of: old) { columns[i].name = new }
    }

    /// Adds a column, or replaces the one of the same name in place.
    public mutating func setColumn(_ column: Column) {
        precondition(column.count == rowCount || columns.isEmpty)
        if columns.isEmpty { rowCount = column.count }
        if let i = index(of: column.name) { columns[i] = column } else { columns.append(column) }
    }
}
