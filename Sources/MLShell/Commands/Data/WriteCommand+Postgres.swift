import MLDatabase
import MLDiagnostics
import MLFrame
import MLRender

/// `write [DS] "postgresql://…" table=NAME [mode=create|append|replace]`: the dataset as a table,
/// by COPY, in one transaction (on an error or Ctrl-C nothing changes).
extension WriteCommand {
    static func runDatabase(_ call: CommandCall, _ d: Dataset, _ text: String, in session: Session) throws {
        let url = try LoadCommand.databaseURL(call, text)
        guard let table = try LoadCommand.tableName(call), !table.isEmpty else {
            throw call.error(at: "FILE", "say which table to write: table=NAME", hint: "write \(d.name) \"\(text)\" table=\(d.name)")
        }
        let mode = call.word("mode").flatMap(PostgresTable.WriteMode.init(rawValue:)) ?? .create
        let password = PGPass.password(for: url) { session.report(call.error(at: "FILE", $0).asWarning) }
        let interrupt = session.interrupt
        let start = ContinuousClock.now
        let rows: Int
        do {
            rows = try PostgresTable.write(d.frame, to: url, table: table, mode: mode, password: password, interrupted: { interrupt.isSet })
        } catch let e as Diagnostic {
            let message = e.id.rawValue == "interrupted" ? "interrupted: nothing was written (the transaction was rolled back)" : e.message
            throw Diagnostic(e.id, .error, message, file: call.file, range: call.expr(e.id == .databaseConnection ? "FILE" : "table")?.range, hint: e.hint)
        }
        var line = "wrote \(d.name) to table \(table) at \(url.display): \(plural(rows, "row")) × \(plural(d.frame.columns.count, "column"))"
        line += mode == .create ? " (created)" : mode == .replace ? " (replaced)" : " (appended)"
        if !session.recording { line += " in " + Runner.formatElapsed(ContinuousClock.now - start) }
        session.print(line)
    }
}
