import Foundation
import MLDiagnostics
import MLFrame
import NIOCore
import PostgresNIO

/// Reading a query's rows into a frame (writing is in PostgresTable+Write.swift).
public enum PostgresTable {
    public struct Loaded: Sendable {
        public var frame: Frame
        /// Bytes of values the server sent.
        public var bytes: Int
        public var notes: [String]
    }

    public enum WriteMode: String, Sendable, CaseIterable { case create, append, replace }

    /// `SELECT * FROM` a table, the name quoted (SCHEMA.TABLE allowed).
    public static func selectAll(_ table: String) throws -> String {
        "SELECT * FROM " + (try qualified(table))
    }

    /// The rows of a query, streamed from the server (binary values, read as they arrive) into columns.
    /// `progress` hears the count of rows read so far, every 16,384 rows (on the database's thread).
    public static func load(_ url: PostgresURL, sql: String, password: String?, interrupted: @escaping @Sendable () -> Bool,
                            progress: (@Sendable (Int) -> Void)? = nil) throws -> Loaded {
        var trimmed = sql.trimmingCharacters(in: .whitespacesAndNewlines)
        while trimmed.hasSuffix(";") { trimmed = String(trimmed.dropLast()).trimmingCharacters(in: .whitespacesAndNewlines) }
        let query = trimmed
        guard !query.isEmpty else { throw Diagnostic(Diagnostic.ID("bad-argument"), .error, "the query is empty", hint: "query=\"SELECT …\"") }
        let run = DatabaseRun(url: url, password: password, readOnly: true)
        return try run.run(interrupted: interrupted) { run in
            let c: PostgresConnection
            do { c = try await run.connect() } catch { throw run.diagnostic(error, doing: "connecting") }
            do {
                try await run.track(c)
                var columns: [PostgresColumn]? = nil
                var count = 0, bytes = 0
                let rows = try await c.query(PostgresQuery(unsafeSQL: query), logger: DatabaseRun.logger)
                for try await row in rows {
                    if columns == nil {
                        var names: [String] = [], made: [PostgresColumn] = []
                        for cell in row { made.append(try await column(unique(cell.columnName, &names), cell.dataType, on: c)) }
                        columns = made
                    }
                    var k = 0
                    for cell in row {
                        bytes += cell.bytes?.readableBytes ?? 0
                        try columns![k].append(cell.bytes)
                        k += 1
                    }
                    count += 1
                    if count & 0x3FFF == 0 {
                        try Task.checkCancellation()
                        progress?(count)
                    }
                }
                if columns == nil { columns = try await describe(query, on: c) }
                try? await c.close()
                let frame = columns!.isEmpty ? Frame(rowCount: count) : Frame(columns: columns!.map { $0.column() })
                var notes: [String] = []
                for col in columns! where col.infiniteDates > 0 {
                    notes.append("note: \(col.name) had \(col.infiniteDates) infinite value\(col.infiniteDates == 1 ? "" : "s") (infinity), read as missing")
                }
                return Loaded(frame: frame, bytes: bytes, notes: notes)
            } catch {
                try? await c.close()
                throw run.diagnostic(error, doing: "the query")
            }
        }
    }

    /// The columns of a query that returned no rows: the query again, left-joined to one row, gives
    /// one row of NULLs whose cells carry the names and types (read-only, unlike a temporary view).
    static func describe(_ query: String, on c: PostgresConnection) async throws -> [PostgresColumn] {
        var out: [PostgresColumn] = [], names: [String] = []
        let sql = "SELECT mlsh_q.* FROM (SELECT) AS mlsh_one LEFT JOIN (\(query)) AS mlsh_q ON true LIMIT 1"
        for try await row in try await c.query(PostgresQuery(unsafeSQL: sql), logger: DatabaseRun.logger) {
            for cell in row {
                out.append(try await column(unique(cell.columnName, &names), cell.dataType, on: c))
            }
        }
        return out
    }

    /// A result column, or the error for a type mlsh does not read, named as PostgreSQL names it.
    static func column(_ name: String, _ type: PostgresDataType, on c: PostgresConnection) async throws -> PostgresColumn {
        guard let column = PostgresColumn(name: name, type: type) else {
            var typeName = "\(type)"
            let sql = "SELECT format_type(\(type.rawValue), NULL)"
            for try await n in try await c.query(PostgresQuery(unsafeSQL: sql), logger: DatabaseRun.logger).decode(String.self) { typeName = n }
            throw Diagnostic(.databaseError, .error, "the column '\(name)' is of PostgreSQL type \(typeName), which mlsh does not read",
                             hint: "convert it in the query, e.g. SELECT \(name)::text (or ::float8, ::date)")
        }
        return column
    }

    /// A result's column names made unique (SELECT a, a gives a and a_2), as a frame needs.
    static func unique(_ name: String, _ taken: inout [String]) -> String {
        var n = name, k = 1
        while taken.contains(n) { k += 1; n = "\(name)_\(k)" }
        taken.append(n)
        return n
    }

    static func qualified(_ table: String) throws -> String {
        let parts = table.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.allSatisfy({ !$0.isEmpty }) else {
            throw Diagnostic(Diagnostic.ID("bad-argument"), .error, "'\(table)' is not a table's name", hint: "write table=NAME or table=\"SCHEMA.NAME\"")
        }
        return try parts.map { try quoted(String($0)) }.joined(separator: ".")
    }
}
