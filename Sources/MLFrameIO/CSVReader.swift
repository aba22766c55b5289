import Dispatch
import MLDiagnostics
import MLFrame
#if canImport(Glibc)
import Glibc
#endif

/// Reads CSV and TSV files (plain or gzip) in phases: dialect → header → types → parse.
/// The parse streams the file in blocks and splits each block at safe newlines across cores.
public enum CSVReader {
    static let blockSize = 2 << 20

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
        var buffer: [UInt8] = []
        buffer.reserveCapacity(2 * blockSize + (1 << 16))
        var eof = try source.read(into: &buffer, count: blockSize) == 0
        if !eof && buffer.count < blockSize { eof = try source.read(into: &buffer, count: blockSize) == 0 }
        if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { buffer.removeFirst(3) }
        if buffer.allSatisfy({ $0 == 32 || $0 == 10 || $0 == 13 || $0 == 9 }) {
            throw Diagnostic(.csvEmpty, .error, "'\(path)' is empty: it has no header and no rows",
                             hint: "check that this is the file you meant (\(source.size) bytes)")
        }

        // A NUL byte in the first bytes: this is not text.
        if buffer.prefix(4096).contains(0) {
            throw Diagnostic(.csvBadValue, .error, "'\(path)' looks like a binary file, not CSV, TSV or JSON Lines",
                             hint: "load reads text files with rows of delimited values")
        }

        // Phase 1: dialect.
        var sampleEnd = min(buffer.count, 1 << 20)
        // A sample holding less than two whole rows (a very long field) is widened to the block.
        if sampleEnd < buffer.count && countNewlines(buffer, 0, sampleEnd) < 2 { sampleEnd = buffer.count }
        let sample = buffer[0..<sampleEnd]
        let complete = eof && sampleEnd == buffer.count
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

        // Phase 4: the parse, block by block.
        let parser = ChunkParser(delimiter: delimiter, columns: width, types: types, forced: forced,
                                 missing: missingTokens, skipBadRows: options.onBadRows == .skip)
        let threads = options.threads > 0 ? options.threads : max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        // Bytes per row in the sample: each chunk reserves about what its bytes will hold.
        let bytesPerRow = max(1.0, Double(sampleEnd) / Double(max(1, sampleRows.count)))
        let expectedRows = options.rowLimit ?? min(200_000_000, Int(Double(source.compressed ? 4 * source.size : source.size) / bytesPerRow * 1.02) + 64)
        // The chunks' sinks live for the whole read and are emptied before each block: the same
        // memory serves every block.
        let pool = SinkPool(types: types)
        defer { pool.free() }
        let accumulators = (0..<width).map { ColumnAccumulator(name: names[$0], type: types[$0], expectedRows: expectedRows) }
        var rowsLeft = options.rowLimit ?? Int.max
        var linesBefore = 0
        var blockStart = 0  // where the data rows of this block start
        if header {
            blockStart = endOfFirstRow(buffer)
        }
        while true {
            // Rows end at the last newline outside quotes; the rest waits for the next block.
            var blockEnd = buffer.count
            // Quotes in the block: find row ends by reading the quoting as the parser does (a quote
            // opens a quoted field only at a field's start), not by counting quote characters.
            let quoted = buffer.withUnsafeBufferPointer { countQuotes($0.baseAddress!, blockStart, $0.count) } > 0
            var rowStarts: [Int]? = nil
            if quoted {
                let scan = buffer.withUnsafeBufferPointer {
                    scanRows($0.baseAddress!, from: blockStart, to: $0.count, delimiter: delimiter, eof: eof, pieces: threads * 2)
                }
                rowStarts = scan.starts
                if !eof {
                    guard let cut = scan.lastEnd else {
                        eof = try source.read(into: &buffer, count: blockSize) == 0
                        continue
                    }
                    blockEnd = cut
                }
            } else if !eof {
                guard let cut = lastRowEnd(buffer, from: blockStart) else {
                    // No complete row yet (a very long field): read more.
                    eof = try source.read(into: &buffer, count: blockSize) == 0
                    continue
                }
                blockEnd = cut
            }
            let outcome = buffer.withUnsafeBufferPointer { buf -> BlockOutcome in
                parseBlock(buf.baseAddress!, from: blockStart, to: blockEnd, parser: parser, threads: threads,
                           bytesPerRow: bytesPerRow, rowLimit: rowsLeft, limited: options.rowLimit != nil, pool: pool,
                           rowStarts: rowStarts)
            }
            switch outcome {
            case .parsed(let builders, let rows, let skipped, let firstSkipped):
                // Each column on its own: the columns are shared out across the cores.
                let blockSinks = SendableSinks(builders)
                DispatchQueue.concurrentPerform(iterations: width) { c in
                    accumulators[c].append(blockSinks.sinks.map { $0[c] })
                }
                rowsLeft -= rows
                report.skippedRows += skipped
                if let (offset, fields) = firstSkipped, report.skippedRows == skipped {
                    let line = linesBefore + lineNumber(in: buffer, offset: offset)
                    report.warnings.append(Diagnostic(.csvRagged, .warning,
                        "skipped \(skipped) row\(skipped == 1 ? "" : "s") with the wrong number of fields (the first at line \(line) has \(fields), expected \(width))",
                        externalLocation: "\(path):\(line)"))
                }
            case .retype(let column, let type, let offset):
                if forced[column] {
                    let line = linesBefore + lineNumber(in: buffer, offset: offset)
                    let cell = cellText(buffer, rowStart: offset, column: column, delimiter: delimiter)
                    let at = fieldColumn(buffer, rowStart: offset, field: column, delimiter: delimiter)
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
                let line = linesBefore + lineNumber(in: buffer, offset: offset)
                throw Diagnostic(.csvRagged, .error, "line \(line) has \(fields) field\(fields == 1 ? "" : "s"), but the header has \(width)",
                                 externalLocation: "\(path):\(line)",
                                 hint: "fix the line, or skip such rows with on_bad_rows=skip (the count of skipped rows is reported)")
            case .unterminatedQuote(let offset):
                let line = linesBefore + lineNumber(in: buffer, offset: offset)
                let column = buffer.count > offset ? columnNumber(in: buffer, offset: offset) : 1
                throw Diagnostic(.csvUnterminatedQuote, .error, "a quoted field opens on line \(line) and is never closed",
                                 externalLocation: "\(path):\(line):\(column)",
                                 hint: "add the closing \" (inside a quoted field, write a quote as \"\")")
            }
            if eof || rowsLeft <= 0 { break }
            // Keep the unread tail, count the lines passed, and read the next block.
            linesBefore += countNewlines(buffer, 0, blockEnd)
            buffer.removeFirst(blockEnd)
            blockStart = 0
            eof = try source.read(into: &buffer, count: blockSize) == 0
            if buffer.isEmpty { break }
        }

        let columns = accumulators.map { $0.finish() }
        let invalidUTF8 = accumulators.contains { $0.invalidUTF8 }
        if invalidUTF8 {
            report.warnings.append(Diagnostic(.csvInvalidUTF8, .warning,
                "'\(path)' is not valid UTF-8; the invalid bytes were replaced with �",
                hint: "re-save the file as UTF-8 (iconv -f LATIN1 -t UTF-8 converts Latin-1)"))
        }
        return .finished(Frame(columns: columns), report)
    }

    // MARK: - Blocks and chunks

    enum BlockOutcome {
        case parsed([[ColumnSink]], rows: Int, skipped: Int, firstSkipped: (Int, Int)?)
        case retype(column: Int, type: ColumnType, offset: Int)
        case ragged(offset: Int, fields: Int)
        case unterminatedQuote(offset: Int)
    }

    /// Parses the rows in [start, end) on `threads` cores, in chunks split at newlines outside quotes.
    static func parseBlock(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int, parser: ChunkParser,
                           threads: Int, bytesPerRow: Double, rowLimit: Int, limited: Bool, pool: SinkPool,
                           rowStarts: [Int]?) -> BlockOutcome {
        let size = end - start
        // With a row limit, one chunk: rows must be counted in order.
        let chunkCount = limited || size < (1 << 20) ? 1 : threads * 2
        var bounds = [start]
        if chunkCount > 1, let rowStarts {
            bounds += rowStarts.filter { $0 > start && $0 < end }
        } else if chunkCount > 1 {
            var parityPos = start
            var parity = 0
            for k in 1..<chunkCount {
                let target = start + size * k / chunkCount
                guard target > bounds.last! else { continue }
                parity ^= countQuotes(base, parityPos, target) & 1
                parityPos = target
                // The first newline after the target that is outside quotes.
                var p = target, q = parity
                while p < end {
                    let c = base[p]
                    if c == UInt8(ascii: "\"") { q ^= 1 } else if c == UInt8(ascii: "\n") && q == 0 { break }
                    p += 1
                }
                if p >= end { break }
                bounds.append(p + 1)
            }
        }
        bounds.append(end)
        let chunks = bounds.count - 1
        let perChunk = min(rowLimit, max(16, Int(Double(size) / Double(chunks) / bytesPerRow * 1.05) + 16))
        final class Results: @unchecked Sendable {  // each slot written by one worker
            var outcomes: [ChunkOutcome?]
            let sinks: [UnsafeMutablePointer<ColumnSink>]
            init(_ n: Int, _ sinks: [UnsafeMutablePointer<ColumnSink>]) {
                outcomes = Array(repeating: nil, count: n)
                self.sinks = sinks
            }
        }
        let results = Results(chunks, pool.sinks(chunks, capacity: perChunk))
        let sendableBase = SendablePointer(base)
        let chunkBounds = bounds
        DispatchQueue.concurrentPerform(iterations: chunks) { k in
            results.outcomes[k] = parser.parse(sendableBase.pointer, from: chunkBounds[k], to: chunkBounds[k + 1],
                                               into: results.sinks[k], rowLimit: rowLimit)
        }
        let width = parser.types.count
        let sinks: [[ColumnSink]] = results.sinks.map { Array(UnsafeBufferPointer(start: $0, count: width)) }
        var rows = 0, skipped = 0
        var firstSkipped: (Int, Int)? = nil
        for k in 0..<chunks {
            switch results.outcomes[k]! {
            case .done(let r, let s, let f):
                rows += r
                skipped += s
                if firstSkipped == nil, let f { firstSkipped = (f.offset, f.fields) }
            case .retype(let c, let t, let o): return .retype(column: c, type: t, offset: o)
            case .ragged(let o, let f): return .ragged(offset: o, fields: f)
            case .unterminatedQuote(let o): return .unterminatedQuote(offset: o)
            }
        }
        return .parsed(sinks, rows: rows, skipped: skipped, firstSkipped: firstSkipped)
    }

    /// The sinks each chunk parses into, reused block after block.
    final class SinkPool {
        let types: [ColumnType]
        private var slots: [UnsafeMutablePointer<ColumnSink>] = []

        init(types: [ColumnType]) { self.types = types }

        /// `n` emptied sink sets (made on first use).
        func sinks(_ n: Int, capacity: Int) -> [UnsafeMutablePointer<ColumnSink>] {
            while slots.count < n {
                let p = UnsafeMutablePointer<ColumnSink>.allocate(capacity: types.count)
                for (c, t) in types.enumerated() { (p + c).initialize(to: ColumnSink(type: t, capacity: capacity)) }
                slots.append(p)
            }
            for p in slots.prefix(n) { for c in 0..<types.count { p[c].reset() } }
            return Array(slots.prefix(n))
        }

        func free() {
            for p in slots {
                for c in 0..<types.count { p[c].deallocate() }
                p.deinitialize(count: types.count)
                p.deallocate()
            }
            slots = []
        }
    }

    /// One block's sinks, read (each column by one worker) while they are appended.
    struct SendableSinks: @unchecked Sendable {
        let sinks: [[ColumnSink]]
        init(_ s: [[ColumnSink]]) { sinks = s }
    }

    struct SendablePointer: @unchecked Sendable {
        let pointer: UnsafePointer<UInt8>
        init(_ p: UnsafePointer<UInt8>) { pointer = p }
    }

    // MARK: - Byte helpers

    static func countQuotes(_ base: UnsafePointer<UInt8>, _ from: Int, _ to: Int) -> Int {
        var n = 0, p = from
        while p < to, let q = memchrPointer(base + p, UInt8(ascii: "\""), to - p) {
            n += 1
            p = q - base + 1
        }
        return n
    }

    static func countNewlines(_ buffer: [UInt8], _ from: Int, _ to: Int) -> Int {
        buffer.withUnsafeBufferPointer { b in
            var n = 0, p = from
            while p < to, let q = memchrPointer(b.baseAddress! + p, UInt8(ascii: "\n"), to - p) {
                n += 1
                p = q - b.baseAddress! + 1
            }
            return n
        }
    }

    /// The 1-based line of a byte offset within the current block.
    static func lineNumber(in buffer: [UInt8], offset: Int) -> Int {
        countNewlines(buffer, 0, min(offset, buffer.count)) + 1
    }

    static func columnNumber(in buffer: [UInt8], offset: Int) -> Int {
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

    /// The end of the last complete row at or after `from`: just past a newline outside quotes.
    static func lastRowEnd(_ buffer: [UInt8], from: Int) -> Int? {
        buffer.withUnsafeBufferPointer { b -> Int? in
            let base = b.baseAddress!
            let parity = countQuotes(base, from, b.count) & 1
            var q = parity
            var p = b.count - 1
            while p >= from {
                let c = base[p]
                if c == UInt8(ascii: "\n") && q == 0 { return p + 1 }
                if c == UInt8(ascii: "\"") { q ^= 1 }
                p -= 1
            }
            return nil
        }
    }

    /// Just past the header row (quote-aware).
    static func endOfFirstRow(_ buffer: [UInt8]) -> Int {
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
    static func fieldColumn(_ buffer: [UInt8], rowStart: Int, field: Int, delimiter: UInt8) -> Int {
        var p = rowStart, k = 0, inQuotes = false
        while p < buffer.count && k < field && buffer[p] != UInt8(ascii: "\n") {
            if buffer[p] == UInt8(ascii: "\"") { inQuotes.toggle() } else if buffer[p] == delimiter && !inQuotes { k += 1 }
            p += 1
        }
        return String(decoding: buffer[rowStart..<p], as: UTF8.self).count + 1
    }

    static func cellText(_ buffer: [UInt8], rowStart: Int, column: Int, delimiter: UInt8) -> String {
        var end = rowStart
        while end < buffer.count && buffer[end] != UInt8(ascii: "\n") { end += 1 }
        let line = CSVSniffer.rows(buffer[rowStart..<end], delimiter: delimiter, maxRows: 1, complete: true)
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
