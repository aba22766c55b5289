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
        // A small file is read in one piece the size of the file, with buffers to match (a
        // 2 MiB block for a 1 KiB file costs more to allocate than to parse).
        let chunk = source.compressed || source.size == 0 ? blockSize : min(blockSize, source.size + 1)
        var current = ReadBuffer(capacity: 2 * chunk + (1 << 16))
        var next = ReadBuffer(capacity: 2 * chunk + (1 << 16))
        var eof = try current.read(from: source, count: chunk) == 0
        if !eof && current.count < chunk { eof = try current.read(from: source, count: chunk) == 0 }
        if current.bytes.starts(with: [0xEF, 0xBB, 0xBF]) { current.removeFirst(3) }
        // Blank lines before the header are skipped, as pandas skips them (and counted, for line numbers).
        var linesBefore = 0  // line ends before the current block
        while true {
            let blank = current.bytes.prefix { $0 == 10 || $0 == 13 }.count
            guard blank > 0 else { break }
            linesBefore += countLineEnds(current.base, 0, blank)
            current.removeFirst(blank)
            if current.count == 0 && !eof { eof = try current.read(from: source, count: chunk) == 0 } else { break }
        }
        if current.bytes.allSatisfy({ $0 == 32 || $0 == 10 || $0 == 13 || $0 == 9 }) {
            throw Diagnostic(.csvEmpty, .error, "'\(path)' is empty: it has no header and no rows",
                             hint: "check that this is the file you meant (\(source.size) bytes)")
        }

        // A NUL byte in the first bytes: this is not text.
        if current.bytes.prefix(4096).contains(0) {
            // A model file (its magic is "\x89MLSM") is read by `load model`.
            let model = current.bytes.starts(with: [0x89, 0x4D, 0x4C, 0x53, 0x4D])
            throw Diagnostic(.csvBadValue, .error, "'\(path)' looks like a binary file, not CSV, TSV or JSON Lines" + (model ? ": it is a model file" : ""),
                             hint: model ? "load model \"\(path)\" reads it" : "load reads text files with rows of delimited values")
        }

        // Phase 1: dialect.
        // The first MiB, and at least 100 rows when the first rows are long (a huge text field):
        // more is read for that, up to 64 MiB.
        let sampleRowsWanted = 100
        var hundredRows = endOfLines(current.bytes, sampleRowsWanted)
        while hundredRows == nil && !eof && current.count < (64 << 20) {
            eof = try current.read(from: source, count: chunk) == 0
            hundredRows = endOfLines(current.bytes, sampleRowsWanted)
        }
        let sampleEnd = max(min(current.count, 1 << 20), hundredRows ?? current.count)
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
        var firstSkippedAt: (line: Int, fields: Int)? = nil
        var rowsLeft = options.rowLimit ?? Int.max
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
                        eof = try current.read(from: source, count: chunk) == 0
                        continue
                    }
                    blockEnd = cut
                }
            } else if !eof {
                guard let cut = lastNewline(base, from: blockStart, to: current.count) else {
                    // No complete row yet (a very long field): read more.
                    eof = try current.read(from: source, count: chunk) == 0
                    continue
                }
                blockEnd = cut + 1
            }
            let limited = options.rowLimit != nil
            let bounds = chunkBounds(base, from: blockStart, to: blockEnd, pieces: limited || blockEnd - blockStart < (1 << 20) ? 1 : threads * piecesPerThread,
                                     rowStarts: rowStarts)
            let chunks = bounds.count - 1
            // Each chunk's rows go after the rows of the chunks before it: count its lines first.
            let lines = WorkerSlots<Int>(chunks, 0)
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
                                       readAhead: readAhead ? { () throws(Diagnostic) in readResult.got = try next.read(from: source, count: chunk) } : nil,
                                       readResult: readResult)
            // Lone CRs end rows only where the block was read as one chunk (small, limited, or
            // parsed again below); elsewhere the newline counts are the line ends.
            var oneChunk = chunks == 1
            if outcomes.contains(where: { if case .overflow = $0 { return true } else { return false } }) {
                oneChunk = true
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
                        throw try checkedAgainstGzip(source, forcedTypeError(current.bytes, offset: offset, linesBefore: linesBefore, column: column, name: names[column],
                                              type: type, delimiter: delimiter, path: path))
                    }
                    var newTypes = types
                    newTypes[column] = type
                    return .retype(newTypes)
                case .ragged(let offset, let fields):
                    let line = linesBefore + lineNumber(in: current.bytes, offset: offset)
                    throw try checkedAgainstGzip(source, Diagnostic(.csvRagged, .error, "line \(line) has \(fields) field\(fields == 1 ? "" : "s"), but the header has \(width)",
                                     externalLocation: "\(path):\(line)",
                                     hint: "fix the line, or skip such rows with on_bad_rows=skip (the count of skipped rows is reported)"))
                case .unterminatedQuote(let offset):
                    throw try checkedAgainstGzip(source, unterminatedQuoteError(current.bytes, offset: offset, linesBefore: linesBefore, path: path))
                }
            }
            absorb(stores, pool: pool, parsed: parsed, rooms: rooms, rowsBefore: rows)
            rows += blockRows
            rowsLeft -= blockRows
            report.skippedRows += skipped
            if firstSkippedAt == nil, let (offset, fields) = firstSkipped {
                firstSkippedAt = (linesBefore + lineNumber(in: current.bytes, offset: offset), fields)
            }
            if eof || rowsLeft <= 0 { break }
            // The next block: this block's unread tail and the bytes read while it parsed.
            linesBefore += oneChunk ? countLineEnds(base, 0, blockEnd)
                : countNewlines(base, 0, bounds[0]) + lines.values.prefix(chunks).reduce(0, +)
            swap(&current, &next)
            blockStart = 0
            eof = readResult.got == 0
            if current.count == 0 { break }
        }

        if let (line, fields) = firstSkippedAt {
            let skipped = report.skippedRows
            report.warnings.append(Diagnostic(.csvRagged, .warning,
                "skipped \(skipped) row\(skipped == 1 ? "" : "s") with the wrong number of fields (the first at line \(line) has \(fields), expected \(width))",
                externalLocation: "\(path):\(line)"))
        }
        if report.bytes == 0 { report.bytes = source.totalRead }  // a pipe: what came through it
        let columns = stores.map { $0.finish(rows: rows) }
        if stores.contains(where: { $0.invalidUTF8 }) {
            report.warnings.append(Diagnostic(.csvInvalidUTF8, .warning,
                "'\(path)' is not valid UTF-8; the invalid bytes were replaced with �",
                hint: "re-save the file as UTF-8 (iconv -f LATIN1 -t UTF-8 converts Latin-1)"))
        }
        return .finished(Frame(columns: columns), report)
    }

    /// Damage in a gzip file shows as garbled rows before zlib reports it: a data error in one is
    /// first checked against the rest of the stream, and a gzip error found there wins.
    static func checkedAgainstGzip(_ source: ByteSource, _ d: Diagnostic) throws(Diagnostic) -> Diagnostic {
        guard source.compressed else { return d }
        let scratch = ReadBuffer(capacity: blockSize)
        while try scratch.read(from: source, count: blockSize) > 0 { scratch.removeFirst(scratch.count) }
        return d
    }
}
