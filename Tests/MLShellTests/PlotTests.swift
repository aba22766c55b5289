import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import MLRender
import Testing

@Suite struct CanvasTests {
    /// The cells of a canvas as text, one line per row.
    func text(_ c: Canvas) -> [String] {
        c.cells().map { String($0.map(\.0)) }
    }

    @Test func cornersLandOnCorners() {
        for style in PlotStyle.allCases {
            var c = Canvas(columns: 3, rows: 2, style: style)
            for (fx, fy) in [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)] {
                let (x, y) = c.pixel(fx, fy)
                c.set(x, y, series: 0)
            }
            #expect(c.get(0, 0) == 1 && c.get(c.width - 1, 0) == 1 && c.get(0, c.height - 1) == 1 && c.get(c.width - 1, c.height - 1) == 1, "\(style)")
            #expect(c.get(1, 1) == 0 || style == .ascii)
        }
        var b = Canvas(columns: 2, rows: 1, style: .braille)
        b.set(0, 3, series: 0)  // top left dot
        b.set(3, 0, series: 0)  // bottom right dot
        #expect(text(b) == ["⠁⢀"])
        var q = Canvas(columns: 1, rows: 1, style: .block)
        q.set(0, 1, series: 0)
        #expect(text(q) == ["▘"])
        q.set(1, 0, series: 0)
        #expect(text(q) == ["▚"])
    }

    @Test func aDiagonalLine() {
        var c = Canvas(columns: 4, rows: 4, style: .ascii)
        c.line(0, 0, 3, 3, series: 1)
        #expect(text(c) == ["   +", "  + ", " +  ", "+   "])
    }

    @Test func barsOfEveryHeight() {
        #expect(BarPlotTestAccess.bar(0) == "")
        #expect(BarPlotTestAccess.bar(0.125) == "▏")
        #expect(BarPlotTestAccess.bar(1) == "█")
        #expect(BarPlotTestAccess.bar(2.5) == "██▌")
        #expect(BarPlotTestAccess.bar(3, unicode: false) == "###")
    }

    @Test func niceTicks() {
        let s = Scale(covering: [32.1, 59.6])
        #expect(s.low == 30 && s.high == 60)
        #expect(s.tickLabels(count: 6).map(\.label) == ["30", "35", "40", "45", "50", "55", "60"])
        let t = Scale(covering: [12.9, 21.6])
        #expect(t.tickLabels(count: 4).map(\.label) == ["12.5", "15", "17.5", "20"])
        let log = Scale(covering: [3, 4200], log: true)
        #expect(log.tickLabels().map(\.label) == ["1", "10", "100", "1000", "10000"])
        let one = Scale(covering: [5, 5])
        #expect(one.low < 5 && one.high > 5)
    }
}

enum BarPlotTestAccess {
    static func bar(_ length: Double, unicode: Bool = true) -> String { BarPlot.bar(length, unicode: unicode) }
}

@Suite struct PlotSnapshotTests {
    static let setup = "load \"tutorials/data/penguins.csv\"; "
    static let cases: [(String, String)] = [
        ("plot-hist", "plot hist penguins body_mass_g bins=8 width=70"),
        ("plot-hist-by", "plot hist penguins body_mass_g bins=4 by=species width=70"),
        ("plot-bar", "plot bar penguins island width=60"),
        ("plot-bar-values", "plot bar penguins species body_mass_g width=60"),
        ("plot-scatter-block", "plot scatter penguins flipper_length_mm body_mass_g width=70 height=10"),
        ("plot-scatter-braille", "plot scatter penguins flipper_length_mm body_mass_g width=70 height=10 style=braille"),
        ("plot-scatter-by", "plot scatter penguins bill_length_mm bill_depth_mm by=species width=70 height=10"),
        ("plot-scatter-ascii", "plot scatter penguins bill_length_mm bill_depth_mm style=ascii width=60 height=8 title=\"Bills\""),
        ("plot-line", "plot line penguins year body_mass_g, flipper_length_mm width=60 height=8"),
        ("plot-box", "plot box penguins body_mass_g by=species width=70"),
        ("plot-heatmap", "plot heatmap penguins width=80"),
        ("plot-logy", "plot scatter penguins bill_depth_mm body_mass_g logy=true width=60 height=8"),
    ]

    @Test(arguments: cases.map(\.0))
    func snapshot(_ name: String) throws {
        _ = FileManager.default.changeCurrentDirectoryPath(packageRoot)
        let command = Self.cases.first { $0.0 == name }!.1
        let (s, out) = recordingSession()
        _ = run(Self.setup, in: s)
        _ = out.take()
        try assertSnapshot(command + "\n" + run(command, in: s), named: name)
    }

    @Test func svgIsWellFormedAndCarriesTheTicks() throws {
        _ = FileManager.default.changeCurrentDirectoryPath(packageRoot)
        let dir = NSTemporaryDirectory() + "mlsh-svg-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let (s, _) = recordingSession()
        _ = run(Self.setup, in: s)
        for (k, command) in ["plot scatter penguins bill_length_mm bill_depth_mm by=species", "plot hist penguins body_mass_g bins=8",
                             "plot bar penguins island", "plot box penguins body_mass_g by=species", "plot heatmap penguins",
                             "plot line penguins year body_mass_g"].enumerated() {
            let path = "\(dir)/p\(k).svg"
            let printed = run(command + " title=\"T\" to \"\(path)\"", in: s)
            #expect(printed.hasPrefix("wrote "), "\(command): \(printed)")
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            let parser = XMLParser(data: data)
            #expect(parser.parse(), "\(command): SVG is not well-formed: \(String(describing: parser.parserError))")
            let svg = String(decoding: data, as: UTF8.self)
            #expect(svg.contains(">T</text>"), "\(command): no title")
        }
        // The scatter's SVG carries the same x ticks as the text plot.
        let text = run("plot scatter penguins bill_length_mm bill_depth_mm", in: s)
        let svg = try String(contentsOfFile: "\(dir)/p0.svg", encoding: .utf8)
        for tick in ["35", "40", "45", "50", "55"] {
            #expect(text.contains(tick) && svg.contains(">\(tick)</text>"), "tick \(tick)")
        }
    }

    @Test func badInput() {
        _ = FileManager.default.changeCurrentDirectoryPath(packageRoot)
        let (s, _) = recordingSession()
        _ = run(Self.setup + "where penguins body_mass_g > 100000 as none", in: s)
        #expect(run("plot hist penguins species", in: s).contains("error: 'species' is string, but this plot needs numbers"))
        #expect(run("plot hist none body_mass_g", in: s).contains("error: none has no rows to plot"))
        #expect(run("plot scatter penguins body_mass_g width=10", in: s).contains("error: width=10 does not fit a plot"))
        #expect(run("plot scatter penguins body_mass_g", in: s).contains("error: 'plot scatter' needs two numeric columns X Y"))
        #expect(run("plot pie penguins species", in: s).contains("did you mean"))
        #expect(run("plot hist penguins body_mass_g to \"/tmp/x.png\"", in: s).contains("end the file name in .svg"))
        _ = run("derive penguins inf = body_mass_g / 0 + 1, same = 1", in: s)
        #expect(run("plot hist penguins same", in: s).contains("note: every value is 1"))
        #expect(run("plot hist penguins inf", in: s).contains("error: 'inf' has no values to plot"))
    }

    /// An option the kind would ignore is never dropped silently: a warning at the prompt (the plot
    /// is still drawn), an error in a script (nothing is drawn, the script stops).
    @Test func optionsThatDoNotApply() {
        _ = FileManager.default.changeCurrentDirectoryPath(packageRoot)
        let (s, _) = recordingSession()
        _ = run("load \"tutorials/data/penguins.csv\"", in: s)
        let typed = run("plot bar island by=species height=4", in: s, name: "<input>")
        #expect(typed.hasPrefix("""
            <input>:1:20: warning: by= does not apply to a bar plot; hist, scatter, box plots take it
             1 | plot bar island by=species height=4
               |                    ^~~~~~~
            hint: a bar plot takes width=, height=, title= and style=

            """), "\(typed)")
        #expect(typed.contains("Biscoe"))
        let scripted = run("plot hist body_mass_g logx=true\nprint 1", in: s, name: "s.mlsh")
        #expect(scripted == """
            s.mlsh:1:28: error: logx= does not apply to a hist plot; scatter, line, box plots take it
             1 | plot hist body_mass_g logx=true
               |                            ^~~~
            hint: a hist plot also takes bins=, by=

            """)
        #expect(run("plot heatmap penguins by=species", in: s, name: "s.mlsh").hasPrefix("s.mlsh:1:26: error: by= does not apply to a heatmap plot; hist, scatter, box plots take it"))
        // Where it applies, it is taken.
        #expect(!run("plot scatter bill_length_mm body_mass_g logx=true by=species height=5", in: s, name: "s.mlsh").contains("error"))
    }

    @Test func manyGroupsFoldIntoOther() {
        _ = FileManager.default.changeCurrentDirectoryPath(packageRoot)
        let (s, _) = recordingSession()
        _ = run("load \"tutorials/data/mtcars.csv\"", in: s)
        let out = run("plot scatter mtcars wt mpg by=model width=60 height=6", in: s)
        #expect(unwrapped(out).contains("note: model has 32 values, more than 8 colours: the 25 smallest are shown as \"other\""))
    }
}
