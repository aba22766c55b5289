/// A table ready to draw: headers, a type label per column, and cells as text (nil = missing).
public struct TextTable: Sendable {
    public enum Alignment: Sendable { case left, right }

    public struct Column: Sendable {
        public var header: String
        public var typeLabel: String?
        public var alignment: Alignment
        public var cells: [String?]
        /// The values in full (every digit of a number), for the csv and json modes, which are read by
        /// programs; nil when the cells are already exact.
        public var exactCells: [String?]?
        public init(header: String, typeLabel: String? = nil, alignment: Alignment, cells: [String?], exactCells: [String?]? = nil) {
            self.header = header
            self.typeLabel = typeLabel
            self.alignment = alignment
            self.cells = cells
            self.exactCells = exactCells
        }

        /// What csv and json write.
        var machineCells: [String?] { exactCells ?? cells }
    }

    public var columns: [Column]
    /// How many rows the whole table has; more than the cells when only head and tail were taken.
    public var totalRows: Int
    /// Where the omitted rows go (after this many cells), when head and tail were taken.
    public var gapAfter: Int?
    /// A line under the table ("344 rows × 8 columns" is added automatically).
    public var caption: String?
    /// Replaces the automatic "N rows × M columns" footer (a schema's rows are columns).
    public var footer: String?

    public init(columns: [Column], totalRows: Int? = nil, gapAfter: Int? = nil, caption: String? = nil) {
        self.columns = columns
        self.totalRows = totalRows ?? (columns.first?.cells.count ?? 0)
        self.gapAfter = gapAfter
        self.caption = caption
    }

    public var shownRows: Int { columns.first?.cells.count ?? 0 }
}

/// How tables are drawn (`set table box|markdown|csv|json`).
public enum TableMode: String, Sendable, CaseIterable {
    case box, markdown, csv, json
}
