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
        var f = Frame(columns: columns.map { $0.take(indices) })
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
