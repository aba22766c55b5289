import MLFrame
import MLRender
import MLDiagnostics

/// `schema [DS]`
struct SchemaCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "schema", stage: .data,
        abstract: "List a dataset's columns with their types and missing counts, and where it came from",
        parameters: [Parameter("DS", .dataset, "the dataset (default: the current one)", optional: true)],
        examples: [Example("load \"tutorials/data/penguins.csv\""), Example("schema penguins")])

    static func run(_ call: CommandCall, in session: Session) throws {
        let d = try call.dataset(session)
        let f = d.frame
        let table = TextTable(columns: [
            .init(header: "column", alignment: .left, cells: f.columns.map { $0.name }),
            .init(header: "type", alignment: .left, cells: f.columns.map { $0.type.rawValue }),
            .init(header: "missing", alignment: .right, cells: f.columns.map { String($0.missingCount) }),
            .init(header: "example", alignment: .left, cells: f.columns.map { c in
                (0..<f.rowCount).first { c.isValid($0) }.flatMap { TextTable.displayText(c, $0) }
            }),
        ], totalRows: f.columns.count)
        var t = table
        t.footer = plural(f.columns.count, "column")
        session.printTable(t)
        let hash = d.source.sha256().map { "sha256 " + String($0.prefix(16)) + "…" } ?? "not readable now"
        session.print("\(d.name): \(plural(f.rowCount, "row")) × \(plural(f.columns.count, "column")); from \(d.source.path) (\(formatBytes(d.source.bytes)), \(plural(d.source.rows, "row")), \(hash))")
        if d.versions.count > 1 {
            session.print("\(plural(d.versions.count - 1, "change")) since loading: " + d.versions.dropFirst().map(\.step).joined(separator: "; "))
        }
    }
}
