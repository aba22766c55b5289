import MLFrame
import MLRender
import Testing

@Suite struct TableRenderingTests {
    func frame(rows: Int, columns: Int = 3, missingEvery: Int = 0) -> Frame {
        var cols: [Column] = []
        for c in 0..<columns {
            let valid = Bitmap((0..<rows).map { missingEvery == 0 || ($0 + c) % missingEvery != 0 })
            switch c % 3 {
            case 0: cols.append(Column(name: "name_\(c)", storage: .string(codes: (0..<rows).map { UInt32($0 % 3) }, dictionary: ["Adélie", "Gentoo ✓", "Chinstrap"]), validity: valid))
            case 1: cols.append(Column(name: "value_\(c)", storage: .float((0..<rows).map { Double($0) * 1.25 - 3 }), validity: valid))
            default: cols.append(Column(name: "count_\(c)", storage: .int((0..<rows).map { Int64($0 * 1000) }), validity: valid))
            }
        }
        return Frame(columns: cols)
    }

    func render(_ f: Frame, width: Int = 80, maxRows: Int = 40, mode: TableMode = .box, unicode: Bool = true) -> String {
        TableRenderer(width: width, unicode: unicode).render(TextTable(frame: f, maxRows: maxRows), mode: mode)
    }

    /// A number too wide for its shrunk column is written with fewer digits, its exponent kept.
    @Test func numbersShrinkWithoutLosingTheirExponent() {
        #expect(NumberFormat.fitting(-6.885712345e-05, width: 9) == "-6.89e-05")
        #expect(NumberFormat.fitting(0.000813351234, width: 8) == "0.000813")
        #expect(NumberFormat.fitting(3.14159265, width: 4) == "3.14")
        #expect(NumberFormat.fitting(-6.885712345e-05, width: 3) == nil)
        let wide = Frame(columns: (0..<12).map { Column(name: "coefficient_\($0)", storage: .float([-6.885712345e-05, 0.000813351234])) })
        let text = render(wide, width: 60)
        #expect(!text.contains("e-…") && text.contains("e-0"))
    }

    /// csv and json are read by programs: they carry every digit, where the box shows seven.
    @Test func machineModesKeepEveryDigit() {
        let f = Frame(columns: [Column(name: "x", storage: .float([0.123456789123, 1e-12]))])
        #expect(render(f, mode: .csv) == "x\n0.123456789123\n1e-12\n")
        #expect(render(f, mode: .json) == "{\"x\":0.123456789123}\n{\"x\":1e-12}\n")
        #expect(render(f).contains("0.1234568"))
    }

    @Test func narrow() throws { try assertSnapshot(render(frame(rows: 3)), named: "table-narrow") }
    @Test func long() throws { try assertSnapshot(render(frame(rows: 100), maxRows: 6), named: "table-long") }
    @Test func wide() throws { try assertSnapshot(render(frame(rows: 4, columns: 14)), named: "table-wide") }
    @Test func missingValues() throws { try assertSnapshot(render(frame(rows: 5, missingEvery: 2)), named: "table-missing") }
    @Test func ascii() throws { try assertSnapshot(render(frame(rows: 3), unicode: false), named: "table-ascii") }
    @Test func empty() throws { try assertSnapshot(render(frame(rows: 0)), named: "table-empty") }
    @Test func otherModes() throws {
        let f = frame(rows: 3, missingEvery: 2)
        try assertSnapshot(render(f, mode: .markdown) + "\n" + render(f, mode: .csv) + "\n" + render(f, mode: .json), named: "table-modes")
    }

    @Test func neverWiderThanTheWidth() {
        for width in [40, 60, 80, 120] {
            for columns in [1, 3, 8, 20] {
                let lines = render(frame(rows: 5, columns: columns), width: width).split(separator: "\n")
                #expect(!lines.isEmpty, "width \(width), \(columns) columns: nothing rendered")
                #expect(lines.allSatisfy { $0.count <= max(width, 40) }, "width \(width), \(columns) columns")
            }
        }
    }

    @Test func numberFormats() {
        #expect(NumberFormat.cell(3) == "3")
        #expect(NumberFormat.cell(0.1) == "0.1")
        #expect(NumberFormat.cell(1.0 / 3) == "0.3333333")
        #expect(NumberFormat.cell(123456.789) == "123456.8")
        #expect(NumberFormat.cell(1e-7) == "1.0000e-07")
        #expect(NumberFormat.compact(43.9219298245614) == "43.92")
        #expect(NumberFormat.compact(0.8183559) == "0.8184")
        #expect(NumberFormat.compact(2.5e9) == "2.500e+09")
        // Past 4 digits and below 1e7: the whole number, as its neighbours print (not 5.891e+04 beside 4794).
        #expect(NumberFormat.compact(58912.3) == "58912")
        #expect(NumberFormat.compact(-1234567.8) == "-1234568")
        #expect(NumberFormat.compact(9999.4) == "9999")
        #expect(Sparkline.render([0, 1, 4, 8]) == " ▂▅█")
    }
}
