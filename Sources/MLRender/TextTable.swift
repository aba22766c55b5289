import MLFrame
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
        /// Drawn for people only (a bar, a histogram): the data modes leave the column out.
        public var decorative: Bool
        /// The column's name in the data modes where the box leaves its header empty.
        public var key: String?
        public init(header: String, typeLabel: String? = nil, alignment: Alignment, cells: [String?], exactCells: [String?]? = nil,
                    decorative: Bool = false) {
            self.header = header
            self.typeLabel = typeLabel
            self.alignment = alignment
            self.cells = cells
            self.exactCells = exactCells
            self.decorative = decorative
            self.key = nil
        }

        /// Numbers shown rounded for people, with every digit for the data modes.
        public init(header: String, alignment: Alignment = .right, numbers: [Double?], shown: (Double) -> String) {
            self.init(header: header, alignment: alignment, cells: numbers.map { $0.map(shown) },
                      exactCells: numbers.map { $0.map(formatDouble) })
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

    /// The modes programs read: every digit, no bars, no rows left out.
    public var isData: Bool { self != .box }
}
