import Foundation
import MLDiagnostics
import MLFrame
import MLFrameIO
import Testing

/// Files big enough (several MB) that the reader splits each block into chunks parsed on several
/// cores, straight into the final columns: these check the cases where a chunk's rows are not its
/// newlines (blank lines, lone CRs, quoted newlines, skipped rows), where the columns must grow
/// past the first estimate, and where a row limit stops the read.
@Suite struct ReaderBlockTests {
    /// Rows 0..<n as text: id, x = id / 8, s = "s" + id % 7, with an optional twist per row.
    static func file(rows n: Int, newline: String = "\n", blankEvery: Int = 0, quotedNewlineEvery: Int = 0,
                     raggedEvery: Int = 0, padFirst: Int = 0) -> String {
        var out = "id,x,s\(newline)"
        out.reserveCapacity(n * 24)
        for i in 0..<n {
            var s = "s\(i % 7)"
            if quotedNewlineEvery > 0 && i % quotedNewlineEvery == 0 { s = "\"line\(newline)break\"" }
            if i < padFirst { s += String(repeating: "p", count: 60) }
            out += "\(i),\(Double(i) / 8),\(s)\(newline)"
            if raggedEvery > 0 && i % raggedEvery == 0 { out += "\(i),1,2,3\(newline)" }
            if blankEvery > 0 && i % blankEvery == 0 { out += newline }
        }
        return out
    }

    static func load(_ text: String, _ configure: (inout CSVOptions) -> Void = { _ in }) throws -> Frame {
        let path = NSTemporaryDirectory() + "mlsh-blocks-\(UUID().uuidString).csv"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var options = CSVOptions()
        options.threads = 2
        configure(&options)
        return try CSVReader.read(path: path, options: options).0
    }

    /// Every id in order, x = id / 8, and the text column as written.
    static func check(_ frame: Frame, rows n: Int, quotedNewlineEvery: Int = 0, newline: String = "\n", padFirst: Int = 0) {
        #expect(frame.rowCount == n)
        guard frame.rowCount == n, case .int(let ids) = frame.columns[0].storage,
              case .float(let xs) = frame.columns[1].storage else {
            Issue.record("unexpected columns: \(frame.columns.map(\.type))")
            return
        }
        var wrong = 0
        for i in 0..<n where ids[i] != Int64(i) || xs[i] != Double(i) / 8 { wrong += 1 }
        #expect(wrong == 0)
        var wrongText = 0
        for i in 0..<n {
            var s = "s\(i % 7)"
            if quotedNewlineEvery > 0 && i % quotedNewlineEvery == 0 { s = "line\(newline)break" }
            if i < padFirst { s += String(repeating: "p", count: 60) }
            if frame.columns[2].text(i) != s { wrongText += 1 }
        }
        #expect(wrongText == 0)
        #expect(frame.columns.allSatisfy { $0.validity == nil })
    }

    @Test(arguments: ["\n", "\r\n", "\r"])
    func lineEndings(_ newline: String) throws {
        // A lone CR ends rows the newline count does not see: those blocks are parsed again whole.
        let n = 200_000
        Self.check(try Self.load(Self.file(rows: n, newline: newline)), rows: n)
    }

    @Test func blankLinesMoveRowsDown() throws {
        let n = 200_000
        Self.check(try Self.load(Self.file(rows: n, blankEvery: 997)), rows: n)
    }

    @Test func quotedNewlinesSpanChunks() throws {
        let n = 200_000
        Self.check(try Self.load(Self.file(rows: n, quotedNewlineEvery: 301)), rows: n, quotedNewlineEvery: 301)
    }

    @Test func skippedRowsAreCountedAndLeaveNoGap() throws {
        let n = 200_000
        let path = NSTemporaryDirectory() + "mlsh-blocks-\(UUID().uuidString).csv"
        try Self.file(rows: n, raggedEvery: 1009).write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var options = CSVOptions()
        options.onBadRows = .skip
        let (frame, report) = try CSVReader.read(path: path, options: options)
        Self.check(frame, rows: n)
        #expect(report.skippedRows == (n + 1008) / 1009)
    }

    @Test func columnsGrowPastTheSampledEstimate() throws {
        // Long rows in the first megabyte make the reader expect far fewer rows than the file holds.
        let n = 300_000
        Self.check(try Self.load(Self.file(rows: n, padFirst: 20_000)), rows: n, padFirst: 20_000)
    }

    @Test func rowLimitStopsInsideABlock() throws {
        let frame = try Self.load(Self.file(rows: 200_000)) { $0.rowLimit = 123_457 }
        Self.check(frame, rows: 123_457)
    }

    @Test func missingCellsAcrossChunks() throws {
        var text = "a,b\n"
        for i in 0..<200_000 { text += i % 13 == 0 ? ",x\(i % 3)\n" : "\(i),\n" }
        let frame = try Self.load(text)
        #expect(frame.rowCount == 200_000)
        #expect(frame.columns[0].missingCount == (200_000 + 12) / 13)
        #expect(frame.columns[1].missingCount == 200_000 - (200_000 + 12) / 13)
        #expect(frame.columns[0].double(13) == nil && frame.columns[0].double(14) == 14)
        #expect(frame.columns[1].text(13 * 5) == "x2" && frame.columns[1].text(1) == nil)
    }

    @Test func ctrlCStopsTheReadAndLoadsNothing() throws {
        #expect(throws: Diagnostic.self) { try Self.load(Self.file(rows: 200_000)) { $0.shouldStop = { true } } }
        do {
            _ = try Self.load(Self.file(rows: 1_000)) { $0.shouldStop = { true } }
            Issue.record("a read stopped by Ctrl-C loaded a frame instead of throwing")
        } catch let d as Diagnostic {
            #expect(d.message == "interrupted: nothing was loaded")
        }
    }
}
