import MLDiagnostics
import MLModel

/// MLflow's scoring protocol (`POST /invocations`): a JSON object with exactly one of
/// `dataframe_split` (pandas' orient="split"), `dataframe_records`, `instances` or `inputs`, or a
/// CSV body with a header row. Answers `{"predictions": [...]}`.
public enum MLflowScoring {
    public static let formats = ["dataframe_split", "dataframe_records", "instances", "inputs"]

    public enum ContentType: Sendable { case json, csv }

    /// `application/json` or `text/csv`, with at most `charset=utf-8`; anything else is a 415.
    public static func contentType(_ header: String?) throws(ServeError) -> ContentType {
        guard let header, !header.isEmpty else {
            throw ServeError(415, "no Content-Type: send application/json or text/csv")
        }
        // The header every client sends, without taking it apart.
        if header == "application/json" { return .json }
        let parts = header.split(separator: ";").map { $0.trimmingSpaces.lowercased() }
        for p in parts.dropFirst() where p.replacingSpaces != "charset=utf-8" {
            throw ServeError(415, "Content-Type \"\(header)\": the only parameter taken is charset=utf-8")
        }
        switch parts.first {
        case "application/json": return .json
        case "text/csv": return .csv
        default: throw ServeError(415, "Content-Type \"\(header)\" is not taken: send application/json or text/csv")
        }
    }

    public static func decode(_ body: [UInt8], contentType: ContentType, model: Model) throws(ServeError) -> InferenceBatch {
        if contentType == .csv { return try CSVBody.batch(body) }
        let root = try parseBody(body).requireObject("send an object with one of " + formats.joined(separator: ", "))
        let given = root.keys.filter { formats.contains($0) }
        guard given.count == 1 else {
            throw .badRequest(given.isEmpty
                ? "the body has none of " + formats.joined(separator: ", ") + "; send the rows under one of them"
                : "the body has \(given.joined(separator: " and ")); send the rows under one of them only")
        }
        for key in root.keys where key != given[0] && key != "params" {
            throw .badRequest("unknown key \"\(key)\" beside \(given[0]); the body takes one format key and params")
        }
        let key = given[0]
        let value = root[key]!
        switch key {
        case "dataframe_split":
            return try split(value, model: model)
        case "dataframe_records":
            guard case .array(let items) = value else { throw .badRequest("dataframe_records is \(value.kindName); it must be a list of objects") }
            if case .array? = items.first { throw .badRequest("dataframe_records[0] is a list; each record is an object of column: value") }
            return try Rows.batch(items, model: model, path: key)
        default:
            switch value {
            case .array(let items): return try Rows.batch(items, model: model, path: key)
            case .object(let o): return try Rows.columnar(o, path: key)
            default: throw .badRequest("\(key) is \(value.kindName); send a list of rows or an object of columns")
            }
        }
    }

    /// `{"columns": [...], "data": [[...], ...], "index": [...]}`; the index is ignored.
    static func split(_ value: JSONValue, model: Model) throws(ServeError) -> InferenceBatch {
        guard case .object(let o) = value else { throw .badRequest("dataframe_split is \(value.kindName); send {\"columns\": [...], \"data\": [[...]]}") }
        for key in o.keys where !["columns", "data", "index"].contains(key) {
            throw .badRequest("unknown key \"\(key)\" in dataframe_split; it takes columns, data and index")
        }
        guard case .array(let rows)? = o["data"] else { throw .badRequest("dataframe_split has no \"data\" list of rows") }
        guard case .array(let columnValues)? = o["columns"] else {
            return try Rows.batch(rows, model: model, path: "dataframe_split.data")
        }
        var names: [String] = []
        for (k, c) in columnValues.enumerated() {
            guard case .string(let s) = c else { throw .badRequest("dataframe_split.columns[\(k)] is \(c.kindName); column names are texts") }
            guard !names.contains(s) else { throw .badRequest("dataframe_split.columns names '\(s)' twice") }
            names.append(s)
        }
        guard !rows.isEmpty else { throw .badRequest("dataframe_split.data is empty: send at least one row") }
        var columns = [[RawValue]](repeating: [], count: names.count)
        for k in columns.indices { columns[k].reserveCapacity(rows.count) }
        for (r, row) in rows.enumerated() {
            guard case .array(let cells) = row else { throw .badRequest("dataframe_split.data[\(r)] is \(row.kindName); each row is a list of values") }
            guard cells.count == names.count else {
                throw .badRequest("dataframe_split.data[\(r)] has \(plural(cells.count, "value")) for \(plural(names.count, "column"))")
            }
            for (k, v) in cells.enumerated() { columns[k].append(try Rows.raw(v, "dataframe_split.data[\(r)][\(k)]")) }
        }
        var named: [String: [RawValue]] = [:]
        for (k, n) in names.enumerated() { named[n] = columns[k] }
        return InferenceBatch(count: rows.count, columns: named, rowName: Rows.rowNamer("dataframe_split.data"))
    }
}

extension StringProtocol {
    /// The text without the spaces and tabs around it (a header's value, a CSV size line).
    public var trimmingSpaces: String {
        String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }
    var replacingSpaces: String { String(filter { $0 != " " && $0 != "\t" && $0 != "\"" }) }
}
