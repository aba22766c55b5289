import Foundation
import MLDiagnostics
import MLFrame
import MLFrameIO
import Testing

/// The reader's numbers against pandas (Tests/Fixtures/expected, made by scripts/expected).
@Suite struct DescribeMatchesPandasTests {
    struct Expected: Decodable {
        let dataset: String
        let rows: Int
        let columns: [ExpectedColumn]
    }

    struct ExpectedColumn: Decodable {
        let name: String
        let count: Int
        let missing: Int
        let distinct: Int
        let mean, std, min, q25, q50, q75, max: Double?
        let top: [[TopEntry]]?
    }

    enum TopEntry: Decodable {
        case text(String), count(Int)
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let i = try? c.decode(Int.self) { self = .count(i) } else { self = .text(try c.decode(String.self)) }
        }
    }

    static let datasets = ["iris", "penguins", "airquality", "mtcars", "titanic", "diamonds", "cars"]

    func close(_ a: Double, _ b: Double?, _ what: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        guard let b else { Issue.record("no expected \(what)", sourceLocation: sourceLocation); return }
        let tolerance = 1e-12 * max(1, abs(b))
        #expect(abs(a - b) <= tolerance, "\(what): \(a) vs pandas \(b)", sourceLocation: sourceLocation)
    }

    @Test(arguments: datasets)
    func describeEqualsPandas(_ name: String) throws {
        let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: URL(fileURLWithPath: packageRoot + "/Tests/Fixtures/expected/describe-\(name).json")))
        let (frame, _) = try CSVReader.read(path: packageRoot + "/tutorials/data/\(name).csv", options: CSVOptions())
        #expect(frame.rowCount == expected.rows)
        #expect(frame.columnNames == expected.columns.map(\.name))
        for e in expected.columns {
            let column = try #require(frame.column(e.name))
            switch column.summarize() {
            case .numeric(let s):
                #expect(s.count == e.count && s.missing == e.missing && s.distinct == e.distinct, "\(name).\(e.name) counts")
                close(s.mean, e.mean, "\(name).\(e.name) mean")
                close(s.std, e.std, "\(name).\(e.name) std")
                #expect(s.min == e.min && s.max == e.max, "\(name).\(e.name) min/max")
                close(s.q25, e.q25, "\(name).\(e.name) 25%")
                close(s.q50, e.q50, "\(name).\(e.name) 50%")
                close(s.q75, e.q75, "\(name).\(e.name) 75%")
            case .text(let s):
                #expect(s.count == e.count && s.missing == e.missing && s.distinct == e.distinct, "\(name).\(e.name) counts")
                let top = (e.top ?? []).map { pair -> String in
                    pair.map { if case .text(let t) = $0 { return t }; if case .count(let n) = $0 { return String(n) }; return "" }.joined(separator: "=")
                }
                #expect(s.top.map { "\($0.value)=\($0.count)" } == top, "\(name).\(e.name) top values")
            }
        }
    }

    struct ExpectedCount: Decodable {
        let dataset: String
        let by: [String]
        let rows: [Row]
        struct Row: Decodable {
            let keys: [String?]
            let count: Int
        }
    }

    @Test(arguments: ["penguins-species", "penguins-island-sex", "titanic-passengerClass", "diamonds-cut"])
    func countEqualsPandas(_ file: String) throws {
        let expected = try JSONDecoder().decode(ExpectedCount.self, from: Data(contentsOf: URL(fileURLWithPath: packageRoot + "/Tests/Fixtures/expected/count-\(file).json")))
        let (frame, _) = try CSVReader.read(path: packageRoot + "/tutorials/data/\(expected.dataset).csv", options: CSVOptions())
        let groups = Grouping(frame: frame, keys: expected.by)
        let order = groups.indices.sorted { groups.sizes[$0] != groups.sizes[$1] ? groups.sizes[$0] > groups.sizes[$1] : groups.less($0, $1) }
        let keys = groups.keyFrame(order)
        let actual = order.enumerated().map { k, g in
            "\(keys.columns.map { $0.text(k) ?? "null" }.joined(separator: ","))=\(groups.sizes[g])"
        }
        #expect(actual == expected.rows.map { "\($0.keys.map { $0 ?? "null" }.joined(separator: ","))=\($0.count)" })
    }
}

@Suite struct RoundTripTests {
    /// A random frame of every column type, with or without missing values.
    static func randomFrame(seed: UInt64, withMissing: Bool) -> Frame {
        var rng = SeededRandom(seed: seed)
        let rows = 1 + Int(rng.next() % 40)
        func valid() -> [Bool] {
            var v = (0..<rows).map { _ in !withMissing || rng.next() % 5 != 0 }
            v[0] = true  // every column keeps a value, so its type can be read back
            return v
        }
        let pieces = ["a", "b,c", "say \"hi\"", "line\nbreak", " lead", "trail ", "NA", "", "ü∂ß", "x;y", "tab\there", "cr\r\nlf"]
        var columns: [Column] = []
        columns.append(Column(name: "f", storage: .float((0..<rows).map { _ in Double(Int64(bitPattern: rng.next()) % 1_000_000) / 997 + 0.001 }), validity: Bitmap(valid())))
        columns.append(Column(name: "i", storage: .int((0..<rows).map { _ in Int64(bitPattern: rng.next()) % 100_000 }), validity: Bitmap(valid())))
        columns.append(Column(name: "b", storage: .bool((0..<rows).map { _ in rng.next() % 2 == 0 }), validity: Bitmap(valid())))
        columns.append(Column(name: "d", storage: .date((0..<rows).map { _ in Int32(rng.next() % 40_000) - 10_000 }), validity: Bitmap(valid())))
        var dictionary: [String] = ["text"]
        for _ in 0..<6 { dictionary.append("t" + pieces[Int(rng.next() % UInt64(pieces.count))] + pieces[Int(rng.next() % UInt64(pieces.count))]) }
        dictionary = Array(Set(dictionary)).sorted()
        columns.append(Column(name: "s, with \"quotes\"", storage: .string(codes: (0..<rows).map { _ in UInt32(rng.next() % UInt64(dictionary.count)) }, dictionary: dictionary), validity: Bitmap(valid())))
        return Frame(columns: columns)
    }

    /// Cell by cell: same names, types, validity and values (text compared as text).
    static func same(_ a: Frame, _ b: Frame) -> Bool {
        guard a.columnNames == b.columnNames, a.rowCount == b.rowCount else { return false }
        for (x, y) in zip(a.columns, b.columns) {
            guard x.type == y.type else { return false }
            for i in 0..<a.rowCount where x.text(i) != y.text(i) { return false }
        }
        return true
    }

    @Test(arguments: [FrameWriter.Format.csv, .tsv, .jsonLines])
    func writeThenLoadGivesTheSameFrame(_ format: FrameWriter.Format) throws {
        let dir = NSTemporaryDirectory() + "mlsh-roundtrip-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let ext = format == .csv ? "csv" : format == .tsv ? "tsv" : "jsonl"
        for seed in UInt64(1)...60 {
            let frame = Self.randomFrame(seed: seed, withMissing: seed % 2 == 0)
            let path = dir + "/f\(seed).\(ext)"
            try FileText.writeAtomically(path, FrameWriter.write(frame, format: format))
            var options = CSVOptions()
            if format == .jsonLines { options.types = ["d": .date] }
            let back = format == .jsonLines ? try JSONLinesReader.read(path: path, options: options).0 : try CSVReader.read(path: path, options: options).0
            #expect(Self.same(frame, back), "seed \(seed) (\(ext)) did not round-trip")
            if !Self.same(frame, back) { break }
        }
    }
}

@Suite struct ReaderErrorTests {
    func write(_ text: String, _ name: String = "t.csv") throws -> String {
        let dir = NSTemporaryDirectory() + "mlsh-reader-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func message(_ path: String, _ options: CSVOptions = CSVOptions()) -> String {
        do {
            _ = try CSVReader.read(path: path, options: options)
            return "no error"
        } catch {
            return DiagnosticRenderer(color: false).render(error).replacingOccurrences(of: path, with: "FILE")
        }
    }

    @Test func raggedRowSaysLineAndCounts() throws {
        let path = try write("a,b,c\n1,2,3\n4,5\n6,7,8\n")
        #expect(message(path) == "FILE:3: error: line 3 has 2 fields, but the header has 3\nhint: fix the line, or skip such rows with on_bad_rows=skip (the count of skipped rows is reported)\n")
        var skip = CSVOptions()
        skip.onBadRows = .skip
        let (frame, report) = try CSVReader.read(path: path, options: skip)
        #expect(frame.rowCount == 2)
        #expect(report.skippedRows == 1)
        #expect(report.warnings.map(\.message) == ["skipped 1 row with the wrong number of fields (the first at line 3 has 2, expected 3)"])
    }

    @Test func unterminatedQuoteSaysWhereItOpened() throws {
        let path = try write("a,b\n1,x\n2,\"never\nclosed\n3,y\n")
        #expect(message(path) == "FILE:3:3: error: a quoted field opens on line 3 and is never closed\nhint: add the closing \" (inside a quoted field, write a quote as \"\")\n")
    }

    @Test func forcedTypeThatDoesNotParse() throws {
        let path = try write("a,b\n1,x\n2,y\nthree,z\n")
        var o = CSVOptions()
        o.types = ["a": .int64]
        #expect(message(path, o) == "FILE:4:1: error: column 'a' was set to int64, but the value \"three\" on line 4 is not a whole number\nhint: fix the value, or read the column as string: types={a: string}\n")
        o.types = ["amount": .int64]
        #expect(message(path, o) == "error: types= names a column 'amount' that 'FILE' does not have\nhint: the columns are: a, b\n")
    }

    @Test func emptyAndHeaderOnlyFiles() throws {
        #expect(message(try write("")) == "error: 'FILE' is empty: it has no header and no rows\nhint: check that this is the file you meant (0 bytes)\n")
        let (frame, _) = try CSVReader.read(path: try write("a,b,c\n"), options: CSVOptions())
        #expect(frame.columnNames == ["a", "b", "c"])
        #expect(frame.rowCount == 0)
    }

    @Test func typesWidenPastTheSample() throws {
        var text = "n,t\n"
        for i in 0..<5000 { text += "\(i),\(i)\n" }
        text += "1.5,word\n"
        let (frame, _) = try CSVReader.read(path: try write(text), options: CSVOptions())
        #expect(frame.column("n")?.type == .float64)
        #expect(frame.column("t")?.type == .string)
        #expect(frame.column("t")?.text(5000) == "word")
        #expect(frame.column("n")?.double(5000) == 1.5)
    }

    @Test func dialectsQuotesAndLineEnds() throws {
        let (f1, r1) = try CSVReader.read(path: try write("\u{FEFF}x;y\r\n1;\"a;b\"\r\n2;\"say \"\"hi\"\"\nthere\"\r\n"), options: CSVOptions())
        #expect(r1.delimiter == UInt8(ascii: ";"))
        #expect(f1.columnNames == ["x", "y"])
        #expect(f1.column("y")?.text(0) == "a;b")
        #expect(f1.column("y")?.text(1) == "say \"hi\"\nthere")
        let (f2, r2) = try CSVReader.read(path: try write("1\t2\n3\t4\n", "t.tsv"), options: CSVOptions())
        #expect(r2.delimiter == UInt8(ascii: "\t") && !r2.header)
        #expect(f2.columnNames == ["column_1", "column_2"] && f2.rowCount == 2)
        let (f3, r3) = try CSVReader.read(path: try write("a,a,b\n1,2,3\n"), options: CSVOptions())
        #expect(f3.columnNames == ["a", "a_2", "b"])
        #expect(r3.warnings.map(\.message) == ["the header names 'a' more than once; the second (column 2) is now 'a_2'"])
        // A later column already named a_3 is kept clear of; each copy takes the next free suffix.
        let (f4, _) = try CSVReader.read(path: try write("a,a,a_3,a,a\n1,2,3,4,5\n"), options: CSVOptions())
        #expect(f4.columnNames == ["a", "a_2", "a_3", "a_4", "a_5"])
        // Thousands of copies of one name (each once tried every suffix from 2: quadratic).
        let many = 5000
        let (f5, r5) = try CSVReader.read(path: try write(Array(repeating: "x", count: many).joined(separator: ",") + "\n"
            + Array(repeating: "1", count: many).joined(separator: ",") + "\n"), options: CSVOptions())
        #expect(f5.columnNames.count == many && Set(f5.columnNames).count == many)
        #expect(f5.columnNames.last == "x_\(many)" && r5.warnings.count == many - 1)
    }

    /// A stray quote inside an unquoted field must not throw off where the parallel chunks split.
    @Test func strayQuoteInALargeFile() throws {
        var text = "id,note\n1,a\"c\n"
        for i in 2...60_000 { text += i % 3 == 0 ? "\(i),\"two\nlines, \"\"quoted\"\"\"\n" : "\(i),plain text here\n" }
        let (frame, _) = try CSVReader.read(path: try write(text), options: CSVOptions())
        #expect(frame.rowCount == 60_000)
        #expect(frame.column("note")?.text(0) == "a\"c")
        #expect(frame.column("note")?.text(2) == "two\nlines, \"quoted\"")
        #expect(frame.column("id")?.text(59_999) == "60000")
    }

    @Test func textAfterAClosingQuoteIsKept() throws {
        let (frame, _) = try CSVReader.read(path: try write("a,b\n\"q\"junk,1\n"), options: CSVOptions())
        #expect(frame.column("a")?.text(0) == "qjunk")
    }

    @Test func crOnlyLineEnds() throws {
        let (frame, _) = try CSVReader.read(path: try write("a,b\r1,2\r3,4\r"), options: CSVOptions())
        #expect(frame.rowCount == 2)
        #expect(frame.column("b")?.text(1) == "4")
    }

    @Test func aFiftyMegabyteField() throws {
        let big = String(repeating: "x", count: 50 << 20)
        let path = try write("id,text\n1,\"" + big + "\"\n2,short\n")
        let (frame, _) = try CSVReader.read(path: path, options: CSVOptions())
        #expect(frame.rowCount == 2)
        #expect(frame.column("text")?.text(0)?.utf8.count == 50 << 20)
        #expect(frame.column("text")?.text(1) == "short")
    }

    @Test func invalidUTF8IsReplacedAndReported() throws {
        let dir = NSTemporaryDirectory() + "mlsh-reader-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/latin1.csv"
        try Data([0x6E, 0x61, 0x6D, 0x65, 0x0A, 0x63, 0x61, 0x66, 0xE9, 0x0A]).write(to: URL(fileURLWithPath: path))
        let (frame, report) = try CSVReader.read(path: path, options: CSVOptions())
        #expect(frame.column("name")?.text(0) == "caf\u{FFFD}")
        #expect(report.warnings.first?.id == .csvInvalidUTF8)
    }
}

@Suite struct RadixSortTests {
    /// The radix sort orders like Swift's sort: negatives, -0.0 before 0.0, infinities, subnormals,
    /// repeated values, short arrays (insertion path) and long ones, for many seeds.
    @Test func sortsLikeTheStandardLibrary() {
        var rng = SeededRandom(seed: 5)
        let special: [Double] = [0, -0.0, .infinity, -.infinity, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, 1e308, -1e308, 3, 3, -3]
        for n in [0, 1, 7, 255, 256, 1000, 5000] {
            var v = (0..<n).map { _ in (Double(rng.next() >> 11) / Double(1 << 53) - 0.5) * pow(10, Double(rng.next() % 20) - 10) }
            if n > 20 { v.replaceSubrange(0..<special.count, with: special) }
            var sorted = v
            RadixSort.sort(&sorted)
            #expect(sorted.map(\.bitPattern) == v.sorted { $0 < $1 || ($0 == $1 && $0.sign == .minus && $1.sign == .plus) }.map(\.bitPattern) || sorted == v.sorted())
            #expect(RadixSort.sorted(v) == sorted)
        }
    }
}
