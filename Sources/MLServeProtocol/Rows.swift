import MLDiagnostics
import MLModel

/// The shapes of rows the JSON protocols share: records (`[{"x": 1, "y": "a"}, …]`), positional
/// rows (`[[1, "a"], …]`, in the order of the inputs the model reads, as MLflow maps a 2-D array
/// onto its schema), and columns (`{"x": [1, 2], "y": ["a", "b"]}`).
public enum Rows {
    /// One JSON scalar as a raw value; `path` names it in the message when it is not one.
    public static func raw(_ v: JSONValue, _ path: @autoclosure () -> String) throws(ServeError) -> RawValue {
        switch v {
        case .null: return .missing
        case .number(let d, _): return d.isNaN ? .missing : .number(d)
        case .string(let s): return .text(s)
        case .bool(let b): return .bool(b)
        case .array, .object:
            throw .badRequest("\(path()): a value must be a number, a text, true, false or null, not \(v.kindName)")
        }
    }

    /// A list whose items are all records or all positional rows.
    public static func batch(_ items: [JSONValue], model: Model, path: String) throws(ServeError) -> InferenceBatch {
        guard let first = items.first else { throw .badRequest("\(path) is empty: send at least one row") }
        switch first {
        case .object: return try records(items, path: path)
        case .array: return try positional(items, model: model, path: path)
        default:
            // A list of scalars is one column's values when the model reads one input.
            let used = model.usedInputs
            guard used.count == 1 else {
                throw .badRequest("\(path)[0] is \(first.kindName); send rows as objects ({\"\(used.first?.name ?? "x")\": …}) or as lists of \(used.count) values")
            }
            var values: [RawValue] = []
            values.reserveCapacity(items.count)
            for (r, v) in items.enumerated() { values.append(try raw(v, "\(path)[\(r)]")) }
            return InferenceBatch(count: items.count, columns: [used[0].name: values], rowName: rowNamer(path))
        }
    }

    public static func rowNamer(_ path: String) -> @Sendable (Int) -> String {
        { r in "\(path)[\(r)] (row \(r + 1))" }
    }

    static func records(_ items: [JSONValue], path: String) throws(ServeError) -> InferenceBatch {
        var columns: [String: [RawValue]] = [:]
        let n = items.count
        for (r, item) in items.enumerated() {
            guard case .object(let o) = item else {
                throw .badRequest("\(path)[\(r)] is \(item.kindName), but \(path)[0] is an object: send every row the same way")
            }
            for (k, key) in o.keys.enumerated() {
                let v = try raw(o.values[k], "\(path)[\(r)].\(key)")
                if columns[key] == nil { columns[key] = [RawValue](repeating: .missing, count: n) }
                columns[key]![r] = v
            }
        }
        return InferenceBatch(count: n, columns: columns, rowName: rowNamer(path))
    }

    static func positional(_ items: [JSONValue], model: Model, path: String) throws(ServeError) -> InferenceBatch {
        let used = model.usedInputs
        var columns = [[RawValue]](repeating: [], count: used.count)
        for k in columns.indices { columns[k].reserveCapacity(items.count) }
        for (r, item) in items.enumerated() {
            guard case .array(let row) = item else {
                throw .badRequest("\(path)[\(r)] is \(item.kindName), but \(path)[0] is a list: send every row the same way")
            }
            guard row.count == used.count else {
                throw .badRequest("\(path)[\(r)] has \(plural(row.count, "value")); \(model.name) takes \(used.count), in this order: "
                                  + used.map(\.name).joined(separator: ", "))
            }
            for (k, v) in row.enumerated() { columns[k].append(try raw(v, "\(path)[\(r)][\(k)]")) }
        }
        var named: [String: [RawValue]] = [:]
        for (k, input) in used.enumerated() { named[input.name] = columns[k] }
        return InferenceBatch(count: items.count, columns: named, rowName: rowNamer(path))
    }

    /// `{"x": [1, 2], "y": ["a", "b"]}`: each key a column, all of one length.
    public static func columnar(_ o: JSONObject, path: String) throws(ServeError) -> InferenceBatch {
        var columns: [String: [RawValue]] = [:]
        var n: Int? = nil
        for (k, key) in o.keys.enumerated() {
            guard case .array(let values) = o.values[k] else {
                throw .badRequest("\(path).\(key) is \(o.values[k].kindName); in the column form each input is a list of values")
            }
            if let n, values.count != n {
                throw .badRequest("\(path).\(key) has \(plural(values.count, "value")), but \(path).\(o.keys[0]) has \(n): every column needs one value per row")
            }
            n = values.count
            var column: [RawValue] = []
            column.reserveCapacity(values.count)
            for (r, v) in values.enumerated() { column.append(try raw(v, "\(path).\(key)[\(r)]")) }
            columns[key] = column
        }
        guard let n, n > 0 else { throw .badRequest("\(path) has no rows: send at least one value per input") }
        return InferenceBatch(count: n, columns: columns, rowName: { r in "row \(r + 1) of \(path)" })
    }
}

extension JSONValue {
    /// The body as an object, or the 400 that says what a body must be.
    func requireObject(_ what: String) throws(ServeError) -> JSONObject {
        guard case .object(let o) = self else { throw .badRequest("the body is \(kindName); \(what)") }
        return o
    }
}

/// Parses a body, with the parser's message (byte, line and column) as a 400.
public func parseBody(_ bytes: [UInt8]) throws(ServeError) -> JSONValue {
    guard !bytes.isEmpty else { throw .badRequest("the body is empty; send a JSON object") }
    do {
        return try JSONParser.parse(bytes)
    } catch {
        throw .badRequest(error.message)
    }
}
