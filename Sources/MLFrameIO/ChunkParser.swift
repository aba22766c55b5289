import MLFrame
#if canImport(Glibc)
import Glibc
#endif

/// How a chunk's parse ended.
enum ChunkOutcome {
    case done(rows: Int, skipped: Int, firstSkipped: (offset: Int, fields: Int)?)
    /// More rows than the chunk was given room for (lines ended by a lone CR): parse the block again
    /// as one chunk with room for every possible row.
    case overflow
    /// A cell did not fit its column's type: read again with `type` for that column.
    case retype(column: Int, type: ColumnType, offset: Int)
    case ragged(offset: Int, fields: Int)
    case unterminatedQuote(offset: Int)
}

/// Parses whole rows of one chunk straight into the final columns: the hot loop of `load`.
struct ChunkParser {
    let delimiter: UInt8
    let columns: Int
    let types: [ColumnType]
    /// Types the user forced: a cell that does not fit them is an error, not a reason to widen.
    let forced: [Bool]
    let missing: [[UInt8]]
    let skipBadRows: Bool
    /// The longest missing token, so longer fields skip the comparison.
    let longestToken: Int

    init(delimiter: UInt8, columns: Int, types: [ColumnType], forced: [Bool], missing: [[UInt8]], skipBadRows: Bool) {
        self.delimiter = delimiter
        self.columns = columns
        self.types = types
        self.forced = forced
        self.missing = missing
        self.skipBadRows = skipBadRows
        self.longestToken = missing.map(\.count).max() ?? 0
    }

    /// Parses the rows in [start, end) into `sinks`, at most `room` of them (the rows the chunk's
    /// place in the columns holds). With `stopWhenFull`, a full chunk ends the parse (a row limit)
    /// instead of reporting an overflow.
    func parse(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int, into sinks: UnsafeMutablePointer<ChunkColumn>,
               room: Int, stopWhenFull: Bool) -> ChunkOutcome {
        let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        let delim = delimiter
        var pos = start
        var rows = 0, skipped = 0
        var firstSkipped: (Int, Int)? = nil
        // Each column's type as a small number, read in the hot loop without array checks.
        let kinds = UnsafeMutablePointer<UInt8>.allocate(capacity: columns)
        defer { kinds.deallocate() }
        for c in 0..<columns {
            kinds[c] = types[c] == .float64 ? 0 : types[c] == .int64 ? 1 : 2
        }
        let powers = FieldParsing.powersOfTen
        var scratch = [UInt8]()
        let hasEmptyToken = missing.contains { $0.isEmpty }
        while pos < end {
            let rowStart = pos
            // Blank lines are skipped, as pandas and polars do.
            if base[pos] == lf || base[pos] == cr {
                pos += 1
                continue
            }
            if rows == room {
                if stopWhenFull { break }
                return .overflow
            }
            var field = 0
            while true {
                // Fast path: an unquoted number is scanned and converted in one pass over its bytes.
                if field < columns && pos < end && base[pos] != quote {
                    let kind = kinds[field]
                    if kind == 0, let (v, next) = FieldParsing.scanDouble(base, pos, end, delim, powers) {
                        sinks[field].storeDouble(v, rows)
                        pos = next
                        field += 1
                        if pos < end && base[pos] == delim { pos += 1; continue }
                        break
                    }
                    if kind == 1, let (v, next) = FieldParsing.scanInt(base, pos, end, delim) {
                        sinks[field].storeInt(v, rows)
                        pos = next
                        field += 1
                        if pos < end && base[pos] == delim { pos += 1; continue }
                        break
                    }
                }
                // General path: find the field's bounds (quotes, "" escapes), then convert.
                var fs = pos, fe = pos, esc = false, wasQuoted = false
                var junkStart = 0, junkEnd = 0
                if pos < end && base[pos] == quote {
                    wasQuoted = true
                    pos += 1
                    fs = pos
                    while true {
                        guard let q = memchrPointer(base + pos, quote, end - pos) else {
                            return .unterminatedQuote(offset: fs - 1)
                        }
                        let qi = q - base
                        if qi + 1 < end && base[qi + 1] == quote {
                            esc = true
                            pos = qi + 2
                            continue
                        }
                        fe = qi
                        pos = qi + 1
                        break
                    }
                    // Text between the closing quote and the delimiter is kept after the quoted part
                    // ("ab"cd reads abcd, as pandas reads it).
                    junkStart = pos
                    while pos < end && base[pos] != delim && base[pos] != lf && base[pos] != cr { pos += 1 }
                    junkEnd = pos
                } else {
                    while pos < end {
                        let c = base[pos]
                        if c == delim || c == lf || c == cr { break }
                        pos += 1
                    }
                    fe = pos
                }
                if field < columns {
                    let problem: ChunkOutcome?
                    if esc || junkEnd > junkStart {
                        scratch.removeAll(keepingCapacity: true)
                        var k = fs
                        while k < fe {
                            scratch.append(base[k])
                            k += base[k] == quote ? 2 : 1
                        }
                        for j in junkStart..<junkEnd { scratch.append(base[j]) }
                        problem = scratch.withUnsafeBufferPointer { b in
                            cell(b.baseAddress ?? base, b.count, field, &sinks[field], rows, rowStart, false, false, quoted: true)
                        }
                    } else {
                        // A quoted field is text as written: "" is the empty text and "NA" is not missing.
                        problem = cell(base + fs, fe - fs, field, &sinks[field], rows, rowStart,
                                       hasEmptyToken && !wasQuoted, !wasQuoted, quoted: wasQuoted)
                    }
                    if let problem { return problem }
                }
                field += 1
                if pos < end && base[pos] == delim {
                    pos += 1
                    continue
                }
                break
            }
            if pos < end && base[pos] == cr { pos += 1 }
            if pos < end && base[pos] == lf { pos += 1 }
            if field != columns {
                if !skipBadRows { return .ragged(offset: rowStart, fields: field) }
                // Take back the cells this row already stored.
                for c in 0..<min(field, columns) { sinks[c].truncate(to: rows) }
                skipped += 1
                if firstSkipped == nil { firstSkipped = (rowStart, field) }
                continue
            }
            rows += 1
        }
        return .done(rows: rows, skipped: skipped, firstSkipped: firstSkipped)
    }

    /// Appends one cell; returns why the parse must stop, if it must.
    @inline(__always)
    private func cell(_ p: UnsafePointer<UInt8>, _ n: Int, _ c: Int, _ sink: inout ChunkColumn, _ row: Int, _ rowStart: Int,
                      _ hasEmptyToken: Bool, _ checkTokens: Bool, quoted: Bool) -> ChunkOutcome? {
        if n == 0 {
            if hasEmptyToken { sink.storeMissing(row); return nil }
            // An empty quoted field in a number column is still missing: there is no empty number.
            if quoted && sink.type != .string { sink.storeMissing(row); return nil }
        } else if checkTokens && n <= longestToken && isToken(p, n) {
            sink.storeMissing(row)
            return nil
        }
        if sink.store(p, n, row) { return nil }
        return .retype(column: c, type: forced[c] ? types[c] : widen(types[c], p, n), offset: rowStart)
    }

    @inline(__always)
    private func isToken(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        for t in missing where t.count == n {
            var same = true
            for k in 0..<n where t[k] != p[k] { same = false; break }
            if same { return true }
        }
        return false
    }

    /// The type to read a column as after a cell did not fit: ints widen to floats, the rest to text.
    private func widen(_ type: ColumnType, _ p: UnsafePointer<UInt8>, _ n: Int) -> ColumnType {
        if type == .int64 && FieldParsing.double(p, n) != nil { return .float64 }
        return .string
    }
}

@inline(__always)
func memchrPointer(_ p: UnsafePointer<UInt8>, _ byte: UInt8, _ n: Int) -> UnsafePointer<UInt8>? {
    guard n > 0, let r = memchr(p, Int32(byte), n) else { return nil }
    return UnsafePointer(r.assumingMemoryBound(to: UInt8.self))
}
