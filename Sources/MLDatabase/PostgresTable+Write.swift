import Foundation
import MLDiagnostics
import MLFrame
import NIOCore
import PostgresNIO

/// Writing a frame into a table with COPY.
extension PostgresTable {
    /// The frame as a table, in one transaction: created (mode=create, refused when it exists),
    /// dropped and created (replace), or added to (append: its columns must be there, with types
    /// that take the values). Rows go by COPY in text form, about a megabyte per message. On any
    /// error, or Ctrl-C, the transaction is rolled back and the table is as it was.
    public static func write(_ frame: Frame, to url: PostgresURL, table: String, mode: WriteMode, password: String?,
                             interrupted: @escaping @Sendable () -> Bool) throws -> Int {
        let parts = table.split(separator: ".", maxSplits: 1).map(String.init)
        let (schema, name) = parts.count == 2 ? (parts[0], parts[1]) : (nil, parts[0])
        let target = try qualified(table)
        for c in frame.columns {
            _ = try quoted(c.name)
            // PostgreSQL cuts longer names to 63 bytes without a word; an append would then not find them.
            guard c.name.utf8.count <= 63 else {
                throw Diagnostic(Diagnostic.ID("bad-argument"), .error, "the column name '\(c.name.prefix(20))…' is longer than PostgreSQL's 63 bytes",
                                 hint: "rename it first: rename \(c.name)=…")
            }
        }
        let create = "CREATE TABLE \(target) (" + (try frame.columns.map { try quoted($0.name) + " " + sqlType($0.type) }.joined(separator: ", ")) + ")"
        let run = DatabaseRun(url: url, password: password)
        return try run.run(interrupted: interrupted) { run in
            let c: PostgresConnection
            do { c = try await run.connect() } catch { throw run.diagnostic(error, doing: "connecting") }
            let log = DatabaseRun.logger
            do {
                try await run.track(c)
                try await c.withTransaction(logger: log) { c in
                    if let schema { try await c.query(PostgresQuery(unsafeSQL: "SET LOCAL search_path TO " + (try quoted(schema))), logger: log) }
                    switch mode {
                    case .replace:
                        try await c.query(PostgresQuery(unsafeSQL: "DROP TABLE IF EXISTS \(target)"), logger: log)
                        try await c.query(PostgresQuery(unsafeSQL: create), logger: log)
                    case .create:
                        if try await exists(name, schema: schema, on: c) {
                            throw Diagnostic(.databaseError, .error, "the table \(table) exists already",
                                             hint: "mode=append adds the rows to it; mode=replace replaces it")
                        }
                        try await c.query(PostgresQuery(unsafeSQL: create), logger: log)
                    case .append:
                        try await checkAppend(frame, table: table, name: name, schema: schema, on: c)
                    }
                    try await c.copyFrom(table: name, columns: frame.columns.map(\.name), format: .text(.init()), logger: log) { writer in
                        var start = 0
                        while start < frame.rowCount {
                            let end = min(frame.rowCount, start + rowsPerMessage(frame))
                            try await writer.write(ByteBuffer(bytes: copyText(frame, start..<end)))
                            start = end
                        }
                    }
                }
                try? await c.close()
                return frame.rowCount
            } catch {
                try? await c.close()
                let e = (error as? PostgresTransactionError).flatMap { $0.closureError ?? $0.commitError ?? $0.beginError } ?? error
                throw run.diagnostic(e, doing: "writing \(table)")
            }
        }
    }

    static func exists(_ name: String, schema: String?, on c: PostgresConnection) async throws -> Bool {
        let sql = "SELECT count(*)::int4 FROM information_schema.tables WHERE table_name = \(literal(name)) AND table_schema = "
            + (schema.map(literal) ?? "current_schema()")
        for try await n in try await c.query(PostgresQuery(unsafeSQL: sql), logger: DatabaseRun.logger).decode(Int32.self) { return n > 0 }
        return false
    }

    /// An append needs the table, and each of the frame's columns in it with a type that takes its values.
    static func checkAppend(_ frame: Frame, table: String, name: String, schema: String?, on c: PostgresConnection) async throws {
        let sql = "SELECT column_name::text, data_type::text FROM information_schema.columns WHERE table_name = \(literal(name)) AND table_schema = "
            + (schema.map(literal) ?? "current_schema()")
        var types: [String: String] = [:]
        for try await (column, type) in try await c.query(PostgresQuery(unsafeSQL: sql), logger: DatabaseRun.logger).decode((String, String).self) {
            types[column] = type
        }
        guard !types.isEmpty else {
            throw Diagnostic(.databaseError, .error, "there is no table \(table) to append to", hint: "write with mode=create (the default) to make it")
        }
        let accepts: [ColumnType: Set<String>] = [
            .float64: ["double precision", "real", "numeric"],
            .int64: ["bigint", "integer", "smallint", "numeric", "double precision", "real"],
            .bool: ["boolean"],
            .string: ["text", "character varying", "character"],
            .date: ["date", "timestamp without time zone", "timestamp with time zone"],
        ]
        for col in frame.columns {
            guard let t = types[col.name] else {
                throw Diagnostic(.databaseError, .error, "the table \(table) has no column '\(col.name)'",
                                 hint: "its columns: " + types.keys.sorted().joined(separator: ", ") + "; rename or drop the column first")
            }
            guard accepts[col.type]!.contains(t) else {
                throw Diagnostic(.databaseError, .error, "the column '\(col.name)' is \(col.type.rawValue), but \(table).\(col.name) is \(t)",
                                 hint: "cast it first (cast \(col.name) …), or write to a new table")
            }
        }
    }

    static func sqlType(_ t: ColumnType) -> String {
        switch t {
        case .float64: return "double precision"
        case .int64: return "bigint"
        case .bool: return "boolean"
        case .string: return "text"
        case .date: return "date"
        }
    }

    /// About a megabyte of COPY text per message.
    static func rowsPerMessage(_ frame: Frame) -> Int { max(1, (1 << 20) / max(1, 12 * frame.columns.count)) }

    /// Rows in COPY's text format: tab between fields, \N for missing, backslash escapes.
    static func copyText(_ frame: Frame, _ rows: Range<Int>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(rows.count * frame.columns.count * 12)
        func text(_ s: String) {
            for b in s.utf8 {
                switch b {
                case UInt8(ascii: "\\"): out += [92, 92]
                case 9: out += [92, UInt8(ascii: "t")]
                case 10: out += [92, UInt8(ascii: "n")]
                case 13: out += [92, UInt8(ascii: "r")]
                default: out.append(b)
                }
            }
        }
        for r in rows {
            for (k, c) in frame.columns.enumerated() {
                if k > 0 { out.append(9) }
                guard c.isValid(r) else { out += [92, UInt8(ascii: "N")]; continue }
                switch c.storage {
                case .float(let v):
                    let d = v[r]
                    if d.isNaN { out += [92, UInt8(ascii: "N")] }
                    else if d.isInfinite { out += Array((d > 0 ? "Infinity" : "-Infinity").utf8) }
                    else { out += Array("\(d)".utf8) }
                case .int(let v): out += Array(String(v[r]).utf8)
                case .bool(let v): out.append(v[r] ? UInt8(ascii: "t") : UInt8(ascii: "f"))
                case .date(let v):
                    // PostgreSQL reads years before 1 as "YYYY-MM-DD BC" (year 0 is 1 BC).
                    let text = formatDate(v[r])
                    if text.hasPrefix("-") || text.hasPrefix("0000-") {
                        let parts = text.dropFirst(text.hasPrefix("-") ? 1 : 0).split(separator: "-")
                        let year = (text.hasPrefix("-") ? -(Int(parts[0]) ?? 0) : 0)
                        out += Array("\(String(1 - year).leftPadded(4))-\(parts[1])-\(parts[2]) BC".utf8)
                    } else {
                        out += Array(text.utf8)
                    }
                case .string(let codes, let dictionary): text(dictionary[Int(codes[r])])
                }
            }
            out.append(10)
        }
        return out
    }
}
