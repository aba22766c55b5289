import MLDatabase
import MLDiagnostics
import MLFrame
import MLRender

/// `load "postgresql://USER@HOST:PORT/DB" table=NAME | query="SELECT …" [as NAME]`: a table or a
/// query's rows from PostgreSQL, streamed into a dataset; the same report as a file's load.
extension LoadCommand {
    static func runDatabase(_ call: CommandCall, _ text: String, in session: Session) throws {
        if call.has("rows") {
            throw call.error(at: "rows", "rows= is for files; a query says how many rows it wants", hint: "query=\"SELECT * FROM … LIMIT 100\"")
        }
        for name in ["sep", "header", "missing", "on_bad_rows", "types"] where call.has(name) {
            throw call.error(at: name, "\(name)= is for files; a database's columns come with their types",
                             hint: "shape the rows in the query: query=\"SELECT … WHERE … LIMIT …\", with casts such as col::text")
        }
        let url = try databaseURL(call, text)
        let table = try tableName(call), query = try call.string("query")
        let sql: String
        switch (table, query) {
        case (let t?, nil):
            guard !t.isEmpty else { throw call.error(at: "table", "table= names no table") }
            do { sql = try PostgresTable.selectAll(t) } catch let d as Diagnostic { throw call.error(at: "table", d.message, hint: d.hint) }
        case (nil, let q?):
            guard !q.trimmingCharacters(in: .whitespaces).isEmpty else { throw call.error(at: "query", "query= is empty", hint: "query=\"SELECT …\"") }
            sql = q
        case (_?, _?):
            throw call.error(at: "query", "give table= or query=, not both", hint: "query=\"SELECT … FROM …\" can read the table itself")
        case (nil, nil):
            throw call.error(at: "FILE", "say what to read from the database: table=NAME or query=\"SELECT …\"",
                             hint: "load \"\(text)\" table=penguins")
        }
        let name = call.binding.first?.text ?? table.map { datasetName(forPath: $0.split(separator: ".").last.map(String.init) ?? $0) } ?? "query"
        if let b = call.binding.first { try session.checkBindable(b, in: call.file) }
        let password = PGPass.password(for: url) { session.report(call.error(at: "FILE", $0).asWarning) }
        let interrupt = session.interrupt
        let start = ContinuousClock.now
        let loaded: PostgresTable.Loaded
        // A live count of the rows read so far, at the prompt; erased when the load ends.
        let counter = Progress(session: session, label: "rows")
        defer { counter.finish() }
        do {
            loaded = try PostgresTable.load(url, sql: sql, password: password, interrupted: { interrupt.isSet },
                                            progress: { counter.show("read \($0) rows  (Ctrl-C cancels the query)") })
        } catch let d as Diagnostic {
            // A connection's problem points at the URL; the query's at the query or table.
            let at = d.id == .databaseConnection ? "FILE" : query != nil ? "query" : "table"
            var hint = d.hint
            // Names are quoted as given; PostgreSQL keeps unquoted names in lower case.
            if let t = table, d.message.contains("does not exist"), t != t.lowercased() {
                hint = "try table=\(t.lowercased()): names are used as written, and PostgreSQL lowercases unquoted ones"
            }
            throw Diagnostic(d.id, .error, d.message, file: call.file, range: call.expr(at)?.range, hint: hint)
        }
        let elapsed = ContinuousClock.now - start
        let frame = loaded.frame
        let what = table.map { "table \($0)" } ?? "a query"
        let source = DataSource(path: url.display + (table.map { " table=\($0)" } ?? " query=\(jsonString(sql))"), bytes: loaded.bytes, rows: frame.rowCount, options: "")
        session.bindDataset(Dataset(name: name, frame: frame, source: source, step: call.command.sourceText))
        var line = "loaded \(name): \(plural(frame.rowCount, "row")) × \(plural(frame.columns.count, "column")) from \(what) at \(url.display) (\(formatBytes(loaded.bytes)))"
        if !session.recording { line += " in " + Runner.formatElapsed(elapsed) }
        session.print(line)
        printTypes(frame, session)
        for n in loaded.notes { session.print("  " + n) }
    }

    /// table=: a bare name, or a text in quotes (for SCHEMA.TABLE or any other name).
    static func tableName(_ call: CommandCall) throws -> String? {
        guard let e = call.expr("table") else { return nil }
        if let n = e.asName { return n.text }
        if case .string(let s) = e.kind { return s }
        throw call.error(at: "table", "table= takes a table's name, or a text in quotes", hint: "table=penguins, or table=\"public.penguins\"")
    }

    /// The URL, or an error pointing at it.
    static func databaseURL(_ call: CommandCall, _ text: String) throws -> PostgresURL {
        do {
            return try PostgresURL.parse(text)
        } catch let d as Diagnostic {
            // A URL with a password is not shown again: the error names the argument instead of quoting the line.
            if d.message.contains("password") {
                throw Diagnostic(d.id, .error, d.message, externalLocation: "\(call.file.name):\(call.file.location(of: call.command.range.start))", hint: d.hint)
            }
            throw Diagnostic(d.id, .error, d.message, file: call.file, range: call.expr("FILE")?.range, hint: d.hint)
        }
    }
}
