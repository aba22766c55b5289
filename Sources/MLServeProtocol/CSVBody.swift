import MLDiagnostics
import MLModel

/// A CSV request body (RFC 4180: commas, double-quoted fields, CRLF or LF): a header row, then
/// rows. Fields are texts, read by the model as its loader reads them; an empty field is missing.
/// A first column with an empty name (pandas' `to_csv()` writes its index there) is left out.
public enum CSVBody {
    public static func batch(_ body: [UInt8]) throws(ServeError) -> InferenceBatch {
        var bytes = body[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard String(validating: bytes, as: UTF8.self) != nil else { throw .badRequest("the CSV body is not valid UTF-8") }
        let records = try split(Array(bytes))
        guard let header = records.first else { throw .badRequest("the CSV body is empty: send a header row, then rows") }
        let names = header.fields.map { $0 ?? "" }
        let skipFirst = names.first == "" && names.count > 1
        for (k, n) in names.enumerated() where !(k == 0 && skipFirst) {
            guard !n.isEmpty else { throw .badRequest("CSV line 1: column \(k + 1) has no name") }
            guard names.firstIndex(of: n) == k else { throw .badRequest("CSV line 1: the column '\(n)' is named twice") }
        }
        let rows = records.dropFirst()
        guard !rows.isEmpty else { throw .badRequest("the CSV body has a header but no rows") }
        var columns = [[RawValue]](repeating: [], count: names.count)
        var lines: [Int] = []
        for record in rows {
            guard record.fields.count == names.count else {
                throw .badRequest("CSV line \(record.line) has \(plural(record.fields.count, "field")); the header has \(names.count)")
            }
            for (k, f) in record.fields.enumerated() { columns[k].append(f.map { RawValue.text($0) } ?? .missing) }
            lines.append(record.line)
        }
        var named: [String: [RawValue]] = [:]
        for (k, n) in names.enumerated() where !(k == 0 && skipFirst) { named[n] = columns[k] }
        let at = lines
        return InferenceBatch(count: rows.count, columns: named, rowName: { r in "CSV line \(at[r])" })
    }

    struct Record {
        var line: Int
        var fields: [String?]
    }

    /// Records with the line each starts on; a field that is empty and unquoted is nil (missing).
    static func split(_ b: [UInt8]) throws(ServeError) -> [Record] {
        var records: [Record] = []
        var fields: [String?] = []
        var field: [UInt8] = []
        var quoted = false, wasQuoted = false
        var line = 1, recordLine = 1, quoteLine = 1
        var i = 0
        func endField() {
            fields.append(field.isEmpty && !wasQuoted ? nil : String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            wasQuoted = false
        }
        func endRecord() {
            endField()
            // A blank line is not a row.
            if !(fields.count == 1 && fields[0] == nil) { records.append(Record(line: recordLine, fields: fields)) }
            fields.removeAll(keepingCapacity: true)
        }
        while i < b.count {
            let c = b[i]
            if quoted {
                if c == UInt8(ascii: "\"") {
                    if i + 1 < b.count, b[i + 1] == UInt8(ascii: "\"") { field.append(c); i += 2; continue }
                    quoted = false
                    i += 1
                    if i < b.count, b[i] != UInt8(ascii: ","), b[i] != 0x0A, b[i] != 0x0D {
                        throw .badRequest("CSV line \(line): a quoted field must end at a comma or the end of the line")
                    }
                    continue
                }
                if c == 0x0A { line += 1 }
                field.append(c)
                i += 1
                continue
            }
            switch c {
            case UInt8(ascii: ","): endField()
            case UInt8(ascii: "\""):
                guard field.isEmpty else { throw .badRequest("CSV line \(line): a quote inside an unquoted field; quote the whole field and double the quote") }
                quoted = true
                wasQuoted = true
                quoteLine = line
            case 0x0D:
                if i + 1 < b.count, b[i + 1] == 0x0A { i += 1 }
                endRecord(); line += 1; recordLine = line
            case 0x0A:
                endRecord(); line += 1; recordLine = line
            default: field.append(c)
            }
            i += 1
        }
        if quoted { throw .badRequest("CSV line \(quoteLine): the quoted field that starts here has no closing quote") }
        if !field.isEmpty || !fields.isEmpty || wasQuoted { endRecord() }
        return records
    }
}
