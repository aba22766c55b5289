import Dispatch
import MLDiagnostics
import MLFrame
#if canImport(Glibc)
import Glibc
#endif

/// Reads CSV and TSV files (plain or gzip) in phases: dialect → header → types → parse.
/// The parse streams the file in blocks and splits each block at safe newlines across cores.
public enum CSVReader {
    /// Bytes read per block: the parse holds two blocks (one parsing, one being read).
    static let blockSize = 2 << 20
    /// Chunks per core in each block: a few, so that a core that finishes early takes another.
    static let piecesPerThread = 4

    public static func read(path: String, options: CSVOptions) throws(Diagnostic) -> (Frame, LoadReport) {
        var types: [ColumnType]? = nil
        // A cell past the sample that does not fit its column's type restarts the read with the
        // wider type: rare, and it keeps the hot loop free of type changes.
        for _ in 0..<64 {
            switch try attempt(path: path, options: options, types: types) {
            case .finished(let frame, let report):
                return (frame, report)
            case .retype(let newTypes):
                types = newTypes
            }
        }
        throw Diagnostic(.csvBadValue, .error, "'\(path)': column types kept changing while reading",
                         hint: "set the types with types={column: string, ...}")
    }

    enum Attempt {
        case finished(Frame, LoadReport)
        case retype([ColumnType])
    }

    static func attempt(path: String, options: CSVOptions, types previous: [ColumnType]?) throws(Diagnostic) -> Attempt {
        let source = try ByteSource(path: path)
        var report = LoadReport()
        report.compressed = source.compressed
        report.bytes = source.size
        // Two buffers: while the cores parse the block in one, the next block is read into the other.
        var current = ReadBuffer(capacity: 2 * blockSize + (1 << 16))
        var next = ReadBuffer(capacity: 2 * blockSize + (1 << 16))
        var eof = try current.read(from: source, count: blockSize) == 0
        if !eof && current.count < blockSize { eof = try current.read(from: source, count: blockSize) == 0 }
        if current.bytes.starts(with: [0xEF, 0xBB, 0xBF]) { current.removeFirst(3) }
        if current.bytes.allSatisfy({ $0 == 32 || $0 == 10 || $0 == 13 || $0 == 9 }) {
            throw Diagnostic(.csvEmpty, .error, "'\(path)' is empty: it has no header and no rows",
                             hint: "check that this is the file you meant (\(source.size) bytes)")
        }

        // A NUL byte in the first bytes: this is not text.
        if current.bytes.prefix(4096).contains(0) {
            throw Diagnostic(.csvBadValue, .error, "'\(path)' looks like a binary file, not CSV, TSV or JSON Lines",
                             hint: "load reads text files with rows of delimited values")
        }

        // Phase 1: dialect.
        var sampleEnd = min(current.count, 1 << 20)
        // A sample holding less than two whole rows (a very long field) is widened to the block.
        if sampleEnd < current.count && countNewlines(current.bytes, 0, sampleEnd) < 2 { sampleEnd = current.count }
        let sample = Array(current.bytes[0..<sampleEnd])[...]
        let complete = eof && sampleEnd == current.count
        let delimiter = options.delimiter ?? CSVSniffer.delimiter(sample, complete: complete, pathHint: path)
        report.delimiter = delimiter
        let missingTokens = options.missing.map { Array($0.utf8) }
        report.missing = options.missing

        // Phase 2: header and names.
        let sampleRows = CSVSniffer.rows(sample, delimiter: delimiter, maxRows: 2049, complete: complete)
        guard let firstRow = sampleRows.first else {
            throw Diagnostic(.csvEmpty, .error, "'\(path)' has no rows", hint: "check that this is the file you meant")
        }
        let header = options.header ?? CSVSniffer.hasHeader(sampleRows, missing: missingTokens)
        report.header = header
        let width = firstRow.count
        var names = header ? firstRow.map { String(decoding: $0, as: UTF8.self) } : (1...width).map { "column_\($0)" }
        names = uniqueNames(names, path: path, report: &report)

        // Phase 3: types from the sample (unless set by the user or widened by an earlier attempt).
        for key in options.types.keys where !names.contains(key) {
            throw Diagnostic(.csvBadOption, .error, "types= names a column '\(key)' that '\(path)' does not have",
                             hint: Suggest.didYouMean(key, in: names) ?? "the columns are: " + names.joined(separator: ", "))
        }
        var types: [ColumnType]
        if let previous {
            types = previous
        } else {
            types = (0..<width).map { c in
                if let forced = options.types[names[c]] { return forced }
                let values = sampleRows.dropFirst(header ? 1 : 0).compactMap { $0.count > c ? $0[c] : nil }
                    .filter { !CSVSniffer.isMissing($0, missingTokens) }
                return CSVSniffer.inferType(values)
            }
        }
        let forced = names.map { options.types[$0] != nil }

        // Phase 4: the parse, block by block, straight into the final columns.
        let parser = ChunkParser(delimiter: delimiter, columns: width, types: types, forced: forced,
                                 missing: missingTokens, skipBadRows: options.onBadRows == .skip)
        let threads = options.threads > 0 ? options.threads : max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        // Rows in the file, from the sample's bytes per row: the columns are made this long at once
        // (their pages are only touched as rows land), and grow if the file holds more.
        let bytesPerRow = max(1.0, Double(sampleEnd) / Double(max(1, countNewlines(current.bytes, 0, sampleEnd))))
        let expectedRows = options.rowLimit ?? min(200_000_000, Int(Double(source.compressed ? 4 * source.size : source.size) / bytesPerRow * 1.02) + 64)
        let stores = (0..<width).map { ColumnStore(name: names[$0], type: types[$0], capacity: expectedRows) }
        var capacity = stores.first?.capacity ?? 0
        let pool = ChunkPool(types: types)
        var rows = 0  // rows stored so far
        var rowsLeft = options.rowLimit ?? Int.max
        var linesBefore = 0  // newlines in the blocks before this one
        var blockStart = header ? endOfFirstRow(current.bytes) : 0  // where this block's data rows start
        while true {
            try options.checkStop()
            let base = UnsafePointer(current.base)
            // Rows end at the last newline outside quotes; the rest waits for the next block.
            var blockEnd = current.count
            let quoted = memchrPointer(base + blockStart, UInt8(ascii: "\""), current.count - blockStart) != nil
            var rowStarts: [Int]? = nil
            if quoted {
                // Quotes in the block: find row ends by reading the quoting as the parser does (a
                // quote opens a quoted field only at a field's start), not by counting quotes.
                let scan = scanRows(base, from: blockStart, to: current.count, delimiter: delimiter, eof: eof, pieces: threads * piecesPerThread)
                rowStarts = scan.starts
                if !eof {
                    guard let cut = scan.lastEnd else {
                        eof = try current.read(from: source, count: blockSize) == 0
                        continue
                    }
                    blockEnd = cut
                }
            } else if !eof {
                guard let cut = lastNewline(base, from: blockStart, to: current.count) else {
                    // No complete row yet (a very long field): read more.
                    eof = try current.read(from: source, count: blockSize) == 0
                    continue
                }
                blockEnd = cut + 1
            }
            let limited = options.rowLimit != nil
            let bounds = chunkBounds(base, from: blockStart, to: blockEnd, pieces: limited || blockEnd - blockStart < (1 << 20) ? 1 : threads * piecesPerThread,
                                     rowStarts: rowStarts)
            let chunks = bounds.count - 1
            // Each chunk's rows go after the rows of the chunks before it: count its lines first.
            let lines = Slots<Int>(chunks, 0)
            // On this thread: a memchr per row is quick, and a round of the workers costs more.
            for k in 0..<chunks { lines.values[k] = countNewlines(base, bounds[k], bounds[k + 1]) }
            var rooms = (0..<chunks).map { k in
                lines.values[k] + (bounds[k + 1] > bounds[k] && base[bounds[k + 1] - 1] != UInt8(ascii: "\n") ? 1 : 0)
            }
            if chunks == 1 {
                // One chunk: room for every row the block could hold, up to the row limit.
                rooms[0] = min(rowsLeft, upperBoundOfRows(base, bounds[0], bounds[1], newlines: lines.values[0]))
            }
            // While the block parses, one worker reads the next block after this block's tail.
            let readAhead = !eof
            if readAhead {
                next.replace(with: UnsafeBufferPointer(start: base + blockEnd, count: current.count - blockEnd))
            }
            let readResult = ReadResult()
            var outcomes = parseChunks(base, bounds: bounds, rooms: rooms, rowsBefore: rows, stores: stores, capacity: &capacity,
                                       pool: pool, parser: parser, stopWhenFull: chunks == 1,
                                       readAhead: readAhead ? { () throws(Diagnostic) in readResult.got = try next.read(from: source, count: blockSize) } : nil,
                                       readResult: readResult)
            if outcomes.contains(where: { if case .overflow = $0 { return true } else { return false } }) {
                // Lines ended by lone CRs: more rows than newlines. Parse the block again as one chunk.
                rooms = [min(rowsLeft, upperBoundOfRows(base, bounds[0], bounds[chunks], newlines: lines.values.prefix(chunks).reduce(0, +)))]
                outcomes = parseChunks(base, bounds: [bounds[0], bounds[chunks]], rooms: rooms, rowsBefore: rows, stores: stores,
                                       capacity: &capacity, pool: pool, parser: parser, stopWhenFull: true, readAhead: nil,
                                       readResult: readResult)
            }
            if let failure = readResult.failure { throw failure }
            var blockRows = 0, skipped = 0
            var firstSkipped: (Int, Int)? = nil
            var parsed: [Int] = []
            for outcome in outcomes {
                switch outcome {
                case .done(let r, let s, let f):
                    parsed.append(r)
                    blockRows += r
                    skipped += s
                    if firstSkipped == nil, let f { firstSkipped = (f.offset, f.fields) }
                case .overflow:
                    preconditionFailure("a single chunk has room for every row")
                case .retype(let column, let type, let offset):
                    if forced[column] {
                        let line = linesBefore + lineNumber(in: current.bytes, offset: offset)
                        let cell = cellText(current.bytes, rowStart: offset, column: column, delimiter: delimiter)
                        let at = fieldColumn(current.bytes, rowStart: offset, field: column, delimiter: delimiter)
                        let typeName = ["float64": "a number", "int64": "a whole number", "bool": "true or false", "date": "a date (YYYY-MM-DD)"][type.rawValue] ?? type.rawValue
                        let wider = type == .int64 && Double(cell) != nil ? "float" : "string"
                        throw Diagnostic(.csvBadValue, .error,
                            "column '\(names[column])' was set to \(type.rawValue), but the value \"\(cell)\" on line \(line) is not \(typeName)",
                            externalLocation: "\(path):\(line):\(at)",
                            hint: "fix the value, or read the column as \(wider): types={\(names[column]): \(wider)}")
                    }
                    var newTypes = types
                    newTypes[column] = type
                    return .retype(newTypes)
                case .ragged(let offset, let fields):
                    let line = linesBefore + lineNumber(in: current.bytes, offset: offset)
                    throw Diagnostic(.csvRagged, .error, "line \(line) has \(fields) field\(fields == 1 ? "" : "s"), but the header has \(width)",
                                     externalLocation: "\(path):\(line)",
                                     hint: "fix the line, or skip such rows with on_bad_rows=skip (the count of skipped rows is reported)")
                case .unterminatedQuote(let offset):
                    let line = linesBefore + lineNumber(in: current.bytes, offset: offset)
                    let column = current.count > offset ? columnNumber(in: current.bytes, offset: offset) : 1
                    throw Diagnostic(.csvUnterminatedQuote, .error, "a quoted field opens on line \(line) and is never closed",
                                     externalLocation: "\(path):\(line):\(column)",
                                     hint: "add the closing \" (inside a quoted field, write a quote as \"\")")
                }
            }
            absorb(stores, pool: pool, parsed: parsed, rooms: rooms, rowsBefore: rows)
            rows += blockRows
            rowsLeft -= blockRows
            report.skippedRows += skipped
            if let (offset, fields) = firstSkipped, report.skippedRows == skipped {
                let line = linesBefore + lineNumber(in: current.bytes, offset: offset)
                report.warnings.append(Diagnostic(.csvRagged, .warning,
                    "skipped \(skipped) row\(skipped == 1 ? "" : "s") with the wrong number of fields (the first at line \(line) has \(fields), expected \(width))",
                    externalLocation: "\(path):\(line)"))
            }
            if eof || rowsLeft <= 0 { break }
            // The next block: this block's unread tail and the bytes read while it parsed.
            linesBefore += countNewlines(base, 0, bounds[0]) + lines.values.prefix(chunks).reduce(0, +)
            swap(&current, &next)
            blockStart = 0
            eof = readResult.got == 0
            if current.count == 0 { break }
        }

        let columns = stores.map { $0.finish(rows: rows) }
        if stores.contains(where: { $0.invalidUTF8 }) {
            report.warnings.append(Diagnostic(.csvInvalidUTF8, .warning,
                "'\(path)' is not valid UTF-8; the invalid bytes were replaced with �",
                hint: "re-save the file as UTF-8 (iconv -f LATIN1 -t UTF-8 converts Latin-1)"))
        }
        return .finished(Frame(columns: columns), report)
    }

    // MARK: - Blocks and chunks

    /// Where the chunks of [start, end) begin and end: at row starts, about equal in size.
    static func chunkBounds(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int, pieces: Int, rowStarts: [Int]?) -> [Int] {
        var bounds = [start]
        if pieces > 1, let rowStarts {
            bounds += rowStarts.filter { $0 > start && $0 < end }
        } else if pieces > 1 {
            // No quotes in the block: every newline ends a row.
            let size = end - start
            for k in 1..<pieces {
                let target = start + size * k / pieces
                guard target > bounds.last! else { continue }
                guard let nl = memchrPointer(base + target, UInt8(ascii: "\n"), end - target) else { break }
                let next = nl - base + 1
                if next >= end { break }
                bounds.append(next)
            }
        }
        bounds.append(end)
        return bounds
    }

    /// The most rows [start, end) can hold: each ends at a newline, a lone CR, or the end.
    static func upperBoundOfRows(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int, newlines: Int) -> Int {
        var carriageReturns = 0, p = start
        while p < end, let q = memchrPointer(base + p, UInt8(ascii: "\r"), end - p) {
            carriageReturns += 1
            p = q - base + 1
        }
        return newlines + carriageReturns + 1
    }

    /// Parses each chunk into its place in the columns (chunk k's rows start after the rooms of the
    /// chunks before it), on every core; `readAhead` runs alongside, on its own worker.
    static func parseChunks(_ base: UnsafePointer<UInt8>, bounds: [Int], rooms: [Int], rowsBefore: Int, stores: [ColumnStore],
                            capacity: inout Int, pool: ChunkPool, parser: ChunkParser, stopWhenFull: Bool,
                            readAhead: (() throws(Diagnostic) -> Void)?, readResult: ReadResult) -> [ChunkOutcome] {
        let chunks = bounds.count - 1
        var offsets = [rowsBefore]
        for k in 0..<chunks { offsets.append(offsets[k] + rooms[k]) }
        if offsets[chunks] > capacity {
            capacity = max(offsets[chunks], capacity + capacity / 2)
            for s in stores { s.reserve(capacity, keeping: rowsBefore) }
        }
        let results = Slots<ChunkOutcome?>(chunks, nil)
        let sendableBase = SendablePointer(base)
        let extra = readAhead == nil ? 0 : 1
        let read = UncheckedSendable(readAhead)
        ColumnStore.withValues(of: stores) { addresses in
            let slots = pool.slots(chunks, addresses: addresses, widths: stores.map(\.width), offsets: offsets)
            let work: @Sendable (Int) -> Void = { i in
                if i < extra {
                    do throws(Diagnostic) { try read.value?() } catch { readResult.failure = error }
                    return
                }
                let k = i - extra
                results.values[k] = parser.parse(sendableBase.pointer, from: bounds[k], to: bounds[k + 1], into: slots.pointers[k],
                                                 room: rooms[k], stopWhenFull: stopWhenFull)
            }
            if chunks + extra == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: chunks + extra, execute: work) }
        }
        return results.values.prefix(chunks).map { $0! }
    }

    /// After a block: each column takes in its chunks' findings, in order (missing rows, text
    /// dictionaries), and rows move down where a chunk held fewer rows than its room.
    static func absorb(_ stores: [ColumnStore], pool: ChunkPool, parsed: [Int], rooms: [Int], rowsBefore: Int) {
        var moves: [(rows: Int, from: Int, to: Int)] = []
        var from = rowsBefore, to = rowsBefore
        for k in 0..<parsed.count {
            moves.append((parsed[k], from, to))
            from += rooms[k]
            to += parsed[k]
        }
        let parts = pool.current
        let busy = (0..<stores.count).filter { c in
            moves.indices.contains { k in stores[c].needsAbsorb(parts[k][c], moved: moves[k].from != moves[k].to) }
        }
        guard !busy.isEmpty else { return }
        let sendableParts = UncheckedSendable(parts)
        let plan = moves
        DispatchQueue.concurrentPerform(iterations: busy.count) { i in
            let c = busy[i]
            for (k, m) in plan.enumerated() {
                stores[c].absorb(sendableParts.value[k][c], rows: m.rows, from: m.from, to: m.to)
            }
        }
    }

    /// The chunk columns each chunk parses into, reused block after block (their missing lists and
    /// text dictionaries keep their memory).
    final class ChunkPool {
        let types: [ColumnType]
        private var slots: [UnsafeMutablePointer<ChunkColumn>] = []
        private var used = 0

        init(types: [ColumnType]) { self.types = types }

        deinit {
            for p in slots {
                p.deinitialize(count: types.count)
                p.deallocate()
            }
        }

        struct Slots: @unchecked Sendable { let pointers: [UnsafeMutablePointer<ChunkColumn>] }

        /// `n` emptied slots, chunk k's columns starting at row offsets[k] of each column.
        func slots(_ n: Int, addresses: UnsafeMutablePointer<UnsafeMutableRawPointer>, widths: [Int], offsets: [Int]) -> Slots {
            while slots.count < n {
                let p = UnsafeMutablePointer<ChunkColumn>.allocate(capacity: max(1, types.count))
                for (c, t) in types.enumerated() { (p + c).initialize(to: ChunkColumn(type: t)) }
                slots.append(p)
            }
            for k in 0..<n {
                for c in 0..<types.count { slots[k][c].reset(values: addresses[c] + offsets[k] * widths[c]) }
            }
            used = n
            return Slots(pointers: Array(slots.prefix(n)))
        }

        /// The chunk columns of the last parse: [chunk][column].
        var current: [[ChunkColumn]] {
            slots.prefix(used).map { Array(UnsafeBufferPointer(start: $0, count: types.count)) }
        }
    }

    /// One slot per chunk, each written by one worker: raw memory, so workers share no array.
    final class Slots<T>: @unchecked Sendable {
        let values: UnsafeMutableBufferPointer<T>
        init(_ n: Int, _ initial: T) {
            values = .allocate(capacity: max(1, n))
            values.initialize(repeating: initial)
        }
        deinit {
            _ = values.deinitialize()
            values.deallocate()
        }
    }

    /// What the read-ahead got, or why it failed.
    final class ReadResult: @unchecked Sendable {  // written by one worker, read after it finishes
        var got = 0
        var failure: Diagnostic?
    }

    struct UncheckedSendable<T>: @unchecked Sendable {
        let value: T
        init(_ v: T) { value = v }
    }

    struct SendablePointer: @unchecked Sendable {
        let pointer: UnsafePointer<UInt8>
        init(_ p: UnsafePointer<UInt8>) { pointer = p }
    }

    // MARK: - Byte helpers

    static func countNewlines(_ base: UnsafePointer<UInt8>, _ from: Int, _ to: Int) -> Int {
        var n = 0, p = from
        while p < to, let q = memchrPointer(base + p, UInt8(ascii: "\n"), to - p) {
            n += 1
            p = q - base + 1
        }
        return n
    }

    static func countNewlines(_ buffer: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        return countNewlines(base, from, min(to, buffer.count))
    }

    /// Where the last newline in [from, to) is.
    static func lastNewline(_ base: UnsafePointer<UInt8>, from: Int, to: Int) -> Int? {
        var p = to - 1
        while p >= from {
            if base[p] == UInt8(ascii: "\n") { return p }
            p -= 1
        }
        return nil
    }

    /// The 1-based line of a byte offset within the current block.
    static func lineNumber(in buffer: UnsafeBufferPointer<UInt8>, offset: Int) -> Int {
        countNewlines(buffer, 0, min(offset, buffer.count)) + 1
    }

    static func columnNumber(in buffer: UnsafeBufferPointer<UInt8>, offset: Int) -> Int {
        var p = offset
        while p > 0 && buffer[p - 1] != UInt8(ascii: "\n") { p -= 1 }
        return String(decoding: buffer[p..<offset], as: UTF8.self).count + 1
    }

    /// Reads the quoting of [from, to) as the parser does: returns the first row start at or after
    /// each of `pieces` equal steps (for splitting), and the end of the last complete row.
    static func scanRows(_ base: UnsafePointer<UInt8>, from: Int, to: Int, delimiter: UInt8, eof: Bool, pieces: Int) -> (starts: [Int], lastEnd: Int?) {
        let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        var starts: [Int] = []
        var nextTarget = 1
        let size = to - from
        var lastEnd: Int? = nil
        var pos = from
        while pos < to {
            // At a row start.
            if nextTarget < pieces && pos >= from + size * nextTarget / pieces {
                starts.append(pos)
                while nextTarget < pieces && pos >= from + size * nextTarget / pieces { nextTarget += 1 }
            }
            var rowDone = false
            while !rowDone {
                if pos < to && base[pos] == quote {
                    pos += 1
                    while true {
                        guard let q = memchrPointer(base + pos, quote, to - pos) else { return (starts, lastEnd) }
                        let qi = q - base
                        if qi + 1 < to && base[qi + 1] == quote { pos = qi + 2; continue }
                        pos = qi + 1
                        break
                    }
                }
                while pos < to && base[pos] != delimiter && base[pos] != lf && base[pos] != cr { pos += 1 }
                if pos >= to { return (starts, eof ? to : lastEnd) }
                if base[pos] == delimiter { pos += 1; continue }
                if base[pos] == cr { pos += 1 }
                if pos < to && base[pos] == lf { pos += 1 }
                rowDone = true
            }
            lastEnd = pos
        }
        return (starts, lastEnd)
    }

    /// Just past the header row (quote-aware).
    static func endOfFirstRow(_ buffer: UnsafeBufferPointer<UInt8>) -> Int {
        var inQuotes = false
        for (i, c) in buffer.enumerated() {
            if c == UInt8(ascii: "\"") { inQuotes.toggle() }
            else if c == UInt8(ascii: "\n") && !inQuotes { return i + 1 }
            else if c == UInt8(ascii: "\r") && !inQuotes {
                // CR LF, or a lone CR (old Mac line ends).
                return i + 1 < buffer.count && buffer[i + 1] == UInt8(ascii: "\n") ? i + 2 : i + 1
            }
        }
        return buffer.count
    }

    /// The character column where field `field` of the row starting at `rowStart` begins.
    static func fieldColumn(_ buffer: UnsafeBufferPointer<UInt8>, rowStart: Int, field: Int, delimiter: UInt8) -> Int {
        var p = rowStart, k = 0, inQuotes = false
        while p < buffer.count && k < field && buffer[p] != UInt8(ascii: "\n") {
            if buffer[p] == UInt8(ascii: "\"") { inQuotes.toggle() } else if buffer[p] == delimiter && !inQuotes { k += 1 }
            p += 1
        }
        return String(decoding: buffer[rowStart..<p], as: UTF8.self).count + 1
    }

    static func cellText(_ buffer: UnsafeBufferPointer<UInt8>, rowStart: Int, column: Int, delimiter: UInt8) -> String {
        var end = rowStart
        while end < buffer.count && buffer[end] != UInt8(ascii: "\n") { end += 1 }
        let line = CSVSniffer.rows(Array(buffer[rowStart..<end])[...], delimiter: delimiter, maxRows: 1, complete: true)
        guard let row = line.first, column < row.count else { return "" }
        let text = String(decoding: row[column], as: UTF8.self)
        return text.count > 40 ? String(text.prefix(40)) + "…" : text
    }

    /// Column names made unique: a repeated name gets "_2", "_3"…, with a warning; an empty one a number.
    static func uniqueNames(_ names: [String], path: String, report: inout LoadReport) -> [String] {
        var seen = Set<String>()
        let given = Set(names)
        var out: [String] = []
        for (i, raw) in names.enumerated() {
            var name = raw.isEmpty ? "column_\(i + 1)" : raw
            if raw.isEmpty, given.contains(name) { name = "column_\(i + 1)_" }
            if seen.contains(name) {
                var k = 2
                // The new name must not take the name of a later column either.
                while seen.contains("\(name)_\(k)") || given.contains("\(name)_\(k)") { k += 1 }
                report.warnings.append(Diagnostic(.csvDuplicateColumn, .warning,
                    "the header names '\(name)' twice; the second (column \(i + 1)) is now '\(name)_\(k)'",
                    externalLocation: "\(path):1"))
                name = "\(name)_\(k)"
            }
            seen.insert(name)
            out.append(name)
        }
        return out
    }
}
