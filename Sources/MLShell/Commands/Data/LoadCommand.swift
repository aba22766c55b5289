import MLDatabase
import MLDiagnostics
import MLFrame
import MLFrameIO
import MLLanguage
import MLRender

/// `load "FILE" [as NAME] [sep=] [header=] [missing=] [types=] [rows=] [on_bad_rows=]`
struct LoadCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "load", stage: .data,
        abstract: "Read a CSV, TSV or JSON Lines file (optionally gzipped), a PostgreSQL table or query, or a model file",
        discussion: """
            The reader sniffs the delimiter, the header and each column's type on the first rows, then \
            reads the whole file on every core. Options you set are never overridden, and load prints \
            what it chose so you can repeat it explicitly. The dataset is named after the file unless \
            'as NAME' says otherwise, and becomes the current dataset. \
            A postgresql://USER@HOST:PORT/DB URL reads table=NAME or query="SELECT …" from \
            PostgreSQL, streamed in; the password comes from PGPASSWORD or ~/.pgpass, never the \
            URL, and Ctrl-C cancels the query on the server. \
            'load model "FILE.mlsm"' reads a model that save wrote, under its saved name or 'as NAME'; \
            verify= refuses a file not signed by that public key, key= opens an encrypted one (or \
            MLSH_MODEL_PASSPHRASE, for one sealed with a passphrase).
            """,
        parameters: [
            Parameter("model", .flag, "read a model file (.mlsm) that save wrote", optional: true, keyword: "model"),
            Parameter("FILE", .string, "the file, as a path in quotes (.csv, .tsv, .jsonl, and .gz of each; .mlsm after model), or a postgresql:// URL"),
        ],
        options: [
            OptionSpec("sep", .string, "the delimiter, e.g. \",\" or \"\\t\"", default: "sniffed"),
            OptionSpec("header", .word(["true", "false"]), "whether the first row names the columns", default: "sniffed"),
            OptionSpec("missing", .value, "the texts that mean a missing value", default: "[\"\", \"NA\"]"),
            OptionSpec("types", .value, "force column types: {year: int, code: string}", default: "inferred"),
            OptionSpec("rows", .integer, "read only the first N rows", default: "all"),
            OptionSpec("on_bad_rows", .word(["error", "skip"]), "rows with the wrong number of fields", default: "error"),
            OptionSpec("table", .expression, "databases: the table to read (\"SCHEMA.TABLE\" in quotes)", default: "none", placeholder: "NAME"),
            OptionSpec("query", .string, "databases: the query whose rows to read", default: "none"),
            OptionSpec("verify", .string, "model files: a public key file (\"NAME.pub\") the file must be signed with", default: "none"),
            OptionSpec("key", .string, "model files: the AES key file (\"NAME.aes\") an encrypted file was sealed with", default: "none"),
        ],
        binds: ["NAME"],
        examples: [
            Example("load \"tutorials/data/penguins.csv\""),
            Example("load \"tutorials/data/titanic.csv\" as passengers missing=[\"\"] rows=100"),
            Example("load \"tutorials/data/airquality.csv\" types={Ozone: float, Month: string}"),
            Example("fit linear Ozone ~ Temp + Wind on airquality as ozone"),
            Example("save ozone \"/tmp/ozone.mlsm\""),
            Example("load model \"/tmp/ozone.mlsm\" as ozone2"),
        ])

    static func run(_ call: CommandCall, in session: Session) throws {
        if call.has("model") { return try LoadModelCommand.run(call, in: session) }
        for name in ["verify", "key"] where call.has(name) {
            throw call.error(at: name, "\(name)= is for model files: load model \"FILE.mlsm\" \(name)=…")
        }
        let path = try call.string("FILE")!
        if PostgresURL.isDatabaseURL(path) { return try runDatabase(call, path, in: session) }
        for name in ["table", "query"] where call.has(name) {
            throw call.error(at: name, "\(name)= is for databases: load \"postgresql://USER@HOST:PORT/DB\" \(name)=…")
        }
        var options = try csvOptions(call)
        let interrupt = session.interrupt
        options.shouldStop = { interrupt.isSet }
        let name = call.binding.first?.text ?? datasetName(forPath: path)
        if let b = call.binding.first { try session.checkBindable(b, in: call.file) }
        let start = ContinuousClock.now
        let frame: Frame
        let report: LoadReport
        do {
            if isJSONLines(path) {
                // In JSON only null is missing: "" and "NA" are texts as written.
                for name in ["sep", "header", "on_bad_rows", "missing"] where call.has(name) {
                    session.report(call.error(at: name, "\(name)= does not apply to JSON Lines; it is ignored").asWarning)
                }
                (frame, report) = try JSONLinesReader.read(path: path, options: options)
            } else {
                (frame, report) = try CSVReader.read(path: path, options: options)
            }
        } catch let d {
            // Problems with the file itself point at the path in the command, too.
            if d.externalLocation == nil, d.id == .fileNotFound || d.id == .fileUnreadable {
                throw Diagnostic(d.id, .error, d.message, file: call.file, range: call.expr("FILE")!.range, hint: d.hint)
            }
            // types= naming a column the file lacks points at the option.
            if d.externalLocation == nil, d.id == .csvBadOption, let types = call.expr("types") {
                throw Diagnostic(d.id, .error, d.message, file: call.file, range: types.range, hint: d.hint)
            }
            throw d
        }
        let elapsed = ContinuousClock.now - start
        for w in report.warnings { session.report(w) }
        let source = DataSource(path: path, bytes: report.bytes, rows: frame.rowCount, options: "")
        session.bindDataset(Dataset(name: name, frame: frame, source: source, step: call.command.sourceText))

        var line = "loaded \(name): \(plural(frame.rowCount, "row")) × \(plural(frame.columns.count, "column")) from \(path) (\(formatBytes(report.bytes))\(report.compressed ? ", gzip" : ""))"
        if !session.recording { line += " in " + Runner.formatElapsed(elapsed) }
        session.print(line)
        var chosen: [String] = []
        if report.format == "csv" {
            chosen.append("sep=\(delimiterName(report.delimiter))")
            chosen.append("header=\(report.header)")
            chosen.append("missing=[" + report.missing.map { jsonString($0) }.joined(separator: ", ") + "]")
        }
        if report.skippedRows > 0 { chosen.append("on_bad_rows=skip") }
        if !chosen.isEmpty { session.print("  " + chosen.joined(separator: " ")) }
        printTypes(frame, session)
    }

    /// The `types={…}` line of a load's report, wrapped, names quoted where they need it, so that
    /// it can be pasted back as the option.
    static func printTypes(_ frame: Frame, _ session: Session) {
        let types = frame.columns.map { "\(ExprPrinter.print(Expr(.name(Name($0.name, range: SourceRange(0, 0))), SourceRange(0, 0)))): \(shortType($0.type))" }
        let lines = wrapList(types, width: session.width - 10)
        for (k, chunk) in lines.enumerated() {
            session.print((k == 0 ? "  types={" : "         ") + chunk + (k == lines.count - 1 ? "}" : ","))
        }
    }

    static func shortType(_ t: ColumnType) -> String {
        switch t {
        case .float64: return "float"
        case .int64: return "int"
        default: return t.rawValue
        }
    }

    static func wrapList(_ items: [String], width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for item in items {
            if !current.isEmpty && current.count + item.count + 2 > width {
                lines.append(current)
                current = item
            } else {
                current += (current.isEmpty ? "" : ", ") + item
            }
        }
        lines.append(current)
        return lines
    }

    static func isJSONLines(_ path: String) -> Bool {
        var p = path.lowercased()
        if p.hasSuffix(".gz") { p.removeLast(3) }
        return p.hasSuffix(".jsonl") || p.hasSuffix(".ndjson") || p.hasSuffix(".json")
    }

    /// The file's stem as a name: penguins.csv.gz → penguins; "my data.csv" → my_data.
    static func datasetName(forPath path: String) -> String {
        var base = FileText.split(path).1
        for ext in [".gz", ".csv", ".tsv", ".txt", ".jsonl", ".ndjson", ".json"] where base.lowercased().hasSuffix(ext) {
            base.removeLast(ext.count)
        }
        var name = String(base.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })
        if name.isEmpty { name = "data" }
        if name.first!.isNumber { name = "d" + name }
        if reservedWords.contains(name) { name += "_data" }
        return name
    }

    static func csvOptions(_ call: CommandCall) throws -> CSVOptions {
        var o = CSVOptions()
        if let sep = try call.string("sep") {
            guard sep.utf8.count == 1, let byte = sep.utf8.first, byte != UInt8(ascii: "\""), byte != 10, byte != 13 else {
                throw call.error(at: "sep", "sep= takes one character (not a quote or a newline), got \"\(sep)\"",
                                 hint: "for tabs write sep=\"\\t\"")
            }
            o.delimiter = byte
        }
        if let h = call.word("header") { o.header = h == "true" }
        if let e = call.expr("missing") {
            guard case .list(let items) = try call.value("missing")! else {
                throw call.error(at: "missing", "missing= takes a list of texts, e.g. missing=[\"\", \"NA\", \"-\"]")
            }
            o.missing = try items.map { v -> String in
                guard case .string(let s) = v else {
                    throw Diagnostic(.badArgument, .error, "missing= takes texts in quotes, got \(v.literal)", file: call.file, range: e.range)
                }
                return s
            }
        }
        if let e = call.expr("types") {
            guard case .map(let pairs) = e.kind else {
                throw call.error(at: "types", "types= takes a map of column to type, e.g. types={year: int, code: string}")
            }
            for (key, value) in pairs {
                let typeName = value.asName?.text ?? ExprPrinter.print(value)
                guard let t = ColumnType.named(typeName) else {
                    let names = ["float", "int", "bool", "string", "date"]
                    throw Diagnostic(.badArgument, .error, "unknown type '\(typeName)' for column '\(key.text)'", file: call.file, range: value.range,
                                     hint: Suggest.didYouMean(typeName, in: names) ?? "the types are: " + names.joined(separator: ", "))
                }
                o.types[key.text] = t
            }
        }
        if let rows = try call.integer("rows") {
            guard rows >= 0 else { throw call.error(at: "rows", "rows= takes a number ≥ 0, got \(rows)") }
            o.rowLimit = rows
        }
        if call.word("on_bad_rows") == "skip" { o.onBadRows = .skip }
        return o
    }
}
