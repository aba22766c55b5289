import MLDiagnostics
import MLFrame

/// How to read a delimited file. Every field the user set is kept; the sniffer fills in the rest.
public struct CSVOptions: Sendable {
    public enum BadRows: String, Sendable { case error, skip }

    /// nil: sniffed from the first lines.
    public var delimiter: UInt8?
    /// nil: sniffed (a first row that does not fit the column types below it is a header).
    public var header: Bool?
    public var missing: [String] = ["", "NA"]
    /// Column types the user forced; the others are inferred.
    public var types: [String: ColumnType] = [:]
    /// Read at most this many data rows.
    public var rowLimit: Int?
    public var onBadRows: BadRows = .error
    /// Worker threads for the parse; 0 uses every core.
    public var threads = 0
    /// Asked between blocks: true stops the read (Ctrl-C) with an "interrupted" error, and
    /// nothing is loaded.
    public var shouldStop: (@Sendable () -> Bool)? = nil

    /// Throws the interruption when `shouldStop` says so.
    func checkStop() throws(Diagnostic) {
        if shouldStop?() == true {
            throw Diagnostic(Diagnostic.ID("interrupted"), .error, "interrupted: nothing was loaded")
        }
    }

    public init() {}
}

/// What `load` chose and found, so the user can repeat it explicitly.
public struct LoadReport: Sendable {
    public var delimiter: UInt8 = UInt8(ascii: ",")
    public var header = true
    public var missing: [String] = []
    public var format = "csv"
    public var compressed = false
    public var skippedRows = 0
    /// Problems that did not stop the load: renamed columns, replaced bytes, skipped rows.
    public var warnings: [Diagnostic] = []
    public var bytes = 0
}

extension Diagnostic.ID {
    public static let csvEmpty = Diagnostic.ID("csv-empty")
    public static let csvRagged = Diagnostic.ID("csv-ragged-row")
    public static let csvUnterminatedQuote = Diagnostic.ID("csv-unterminated-quote")
    public static let csvBadValue = Diagnostic.ID("csv-bad-value")
    public static let csvDuplicateColumn = Diagnostic.ID("csv-duplicate-column")
    public static let csvInvalidUTF8 = Diagnostic.ID("csv-invalid-utf8")
    public static let csvBadOption = Diagnostic.ID("csv-bad-option")
    public static let jsonSyntax = Diagnostic.ID("json-syntax")
    public static let gzipError = Diagnostic.ID("gzip-error")
}

/// The name `load` prints for a delimiter.
public func delimiterName(_ d: UInt8) -> String {
    switch d {
    case UInt8(ascii: ","): return "\",\""
    case UInt8(ascii: "\t"): return "\"\\t\""
    case UInt8(ascii: ";"): return "\";\""
    case UInt8(ascii: "|"): return "\"|\""
    default: return "\"\(String(UnicodeScalar(d)))\""
    }
}
