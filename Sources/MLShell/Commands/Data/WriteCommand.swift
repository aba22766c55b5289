import MLDatabase
import MLDiagnostics
import MLFrameIO
import MLRender

/// `write [DS] "FILE"`
struct WriteCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "write", stage: .data,
        abstract: "Write a dataset to a CSV, TSV or JSON Lines file (by its extension), atomically, or to a PostgreSQL table",
        discussion: """
            The file is written to a temporary file beside it and renamed into place, so it is never left half written. \
            To a postgresql:// URL, the rows go to table=NAME by COPY in one transaction: mode=create \
            makes the table (and refuses one that exists), append adds to it, replace drops and makes it; \
            on an error or Ctrl-C nothing changes.
            """,
        parameters: [
            Parameter("DS", .dataset, "the dataset (default: the current one)", optional: true),
            Parameter("FILE", .string, "the file to write: .csv, .tsv or .jsonl; or a postgresql:// URL"),
        ],
        options: [
            OptionSpec("table", .expression, "databases: the table to write (\"SCHEMA.TABLE\" in quotes)", default: "none", placeholder: "NAME"),
            OptionSpec("mode", .word(["create", "append", "replace"]), "databases: make the table, add to it, or replace it", default: "create"),
        ],
        examples: [Example("load \"tutorials/data/iris.csv\""), Example("write iris \"/tmp/iris-copy.csv\"")])

    static func run(_ call: CommandCall, in session: Session) throws {
        let d = try call.dataset(session)
        let path = try call.string("FILE")!
        if PostgresURL.isDatabaseURL(path) { return try runDatabase(call, d, path, in: session) }
        for name in ["table", "mode"] where call.has(name) {
            throw call.error(at: name, "\(name)= is for databases: write \(d.name) \"postgresql://USER@HOST:PORT/DB\" table=…")
        }
        let lower = path.lowercased()
        if FileText.isDirectory(path) {
            throw call.error(at: "FILE", "'\(path)' is a directory", hint: "name a file inside it, e.g. \"\(path)/\(d.name).csv\"")
        }
        if lower.hasSuffix(".gz") {
            throw call.error(at: "FILE", "writing gzip is not supported yet", hint: "write \"\(String(path.dropLast(3)))\" and compress it with gzip")
        }
        let format: FrameWriter.Format
        if lower.hasSuffix(".tsv") { format = .tsv }
        else if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") { format = .jsonLines }
        else if lower.hasSuffix(".csv") || lower.hasSuffix(".txt") { format = .csv }
        else {
            throw call.error(at: "FILE", "cannot tell the format of '\(path)' from its extension",
                             hint: "end the name in .csv, .tsv or .jsonl")
        }
        let interrupt = session.interrupt
        guard let parts = FrameWriter.parts(d.frame, format: format, shouldStop: { interrupt.isSet }) else {
            throw Diagnostic(.interrupted, .error, "interrupted: nothing was written (\(path) is as it was)")
        }
        let bytes = parts.reduce(0) { $0 + $1.count }
        do {
            try FileText.writeAtomically(path, parts: parts)
        } catch let e {
            throw Diagnostic(e.id, .error, e.message, file: call.file, range: call.expr("FILE")!.range, hint: e.hint)
        }
        session.print("wrote \(d.name) to \(path): \(plural(d.frame.rowCount, "row")) × \(plural(d.frame.columns.count, "column")) (\(formatBytes(bytes)))")
    }
}
