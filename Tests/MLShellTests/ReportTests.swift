import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import MLRender
@testable import MLShell
import Testing

/// `mlsh render`: every tutorial as an HTML report, checked in a real browser (Debian's headless
/// Chromium, which scripts/test installs), parsed as XML, and one as Markdown against a snapshot.
@Suite(.serialized) struct ReportTests {
    static let tutorials = ((try? FileManager.default.contentsOfDirectory(atPath: packageRoot + "/tutorials")) ?? [])
        .filter { $0.hasSuffix(".mlsh") }.sorted()
    static let fixedDate = ["SOURCE_DATE_EPOCH": "1780000000"]

    static var chromium: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func folder() throws -> String {
        let dir = NSTemporaryDirectory() + "mlsh-report-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Python's ElementTree (strict; Foundation's XMLParser on Linux let a mismatched tag through).
    static func xmlProblem(_ path: String) throws -> String? {
        let r = try runProgram("/usr/bin/env", ["python3", "-c", "import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])", path])
        return r.status == 0 ? nil : r.stderr.split(separator: "\n").last.map(String.init) ?? "status \(r.status)"
    }

    /// Prose is Markdown, but what would break the page or fetch something does not get through:
    /// raw HTML shows as text, a picture becomes a link, a bare & is escaped, and an underscore
    /// inside a word stays an underscore.
    @Test func proseCannotBreakThePage() throws {
        let dir = try Self.folder()
        let script = dir + "/prose.mlsh"
        try """
            #' # Plots <all> kinds & more
            #' <script>alert(1)</script> and <img src="http://example.com/x.png"> and <link rel=stylesheet href=http://x>
            #' ![pic](http://example.com/p.png "x") [a link](https://example.com/?a=1&b=2) &nbsp; &copy;
            #' Columns bill_length_mm and flipper_length_mm, 2*3 and **bold** and _emphasis_.
            #'
            #'     an indented block with <input> in it
            #'
            #' After.
            print "x"
            """.write(toFile: script, atomically: true, encoding: .utf8)
        let r = try runMlsh(["render", script, "-o", dir + "/prose.html"])
        #expect(r.status == 0, "\(r.stderr)")
        let page = try String(contentsOfFile: dir + "/prose.html", encoding: .utf8)
        #expect(try Self.xmlProblem(dir + "/prose.html") == nil)
        #expect(!page.contains("<script") && !page.contains("<img") && !page.contains("<link") && !page.contains("<input"), "\(page)")
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(page.contains("<a href=\"http://example.com/p.png\">pic</a>"))
        #expect(page.contains("href=\"https://example.com/?a=1&amp;b=2\""))
        #expect(page.contains("bill_length_mm and flipper_length_mm, 2*3 and <strong>bold</strong> and <em>emphasis</em>"), "\(page)")
        #expect(page.contains("<h1>Plots &lt;all&gt; kinds &amp; more</h1>"), "\(page)")
        #expect(page.contains("<p>After.</p>"))
    }

    /// quit ends the report with its status; the report never overwrites its script, and its
    /// folder is checked before anything runs.
    @Test func quitAndWhereTheReportGoes() throws {
        let dir = try Self.folder()
        let script = dir + "/quits.md"
        try "#' # Quits\nprint 1\nexit 3\nprint 2\n".write(toFile: script, atomically: true, encoding: .utf8)
        let over = try runMlsh(["render", script, "-o", script])
        #expect(over.status == 64)
        #expect(over.stderr.contains("Error: the report would be written over the script '\(script)': name another output"), "\(over.stderr)")
        #expect(try String(contentsOfFile: script, encoding: .utf8).hasPrefix("#' # Quits"))
        let nowhere = try runMlsh(["render", script, "-o", dir + "/no/such/folder/r.html"])
        #expect(nowhere.status == 64)
        #expect(nowhere.stderr.contains("Error: there is no folder '\(dir)/no/such/folder' to write the report in"), "\(nowhere.stderr)")
        let r = try runMlsh(["render", script, "-o", dir + "/quits.html"])
        #expect(r.status == 3)
        #expect(r.stdout == "wrote \(dir)/quits.html: 2 commands run, ended by quit (status 3)\n", "\(r.stdout)")
        let page = try String(contentsOfFile: dir + "/quits.html", encoding: .utf8)
        #expect(page.contains("not run: the script quit above"))
    }

    /// A histogram by= draws each group's bars side by side in its colour, with a legend (the
    /// report's picture once drew every group's bar over the others in one colour).
    @Test func groupedHistogramPicture() throws {
        let svg = try Self.folder() + "/hist.svg"
        let out = run("""
            load "\(packageRoot)/tutorials/data/penguins.csv"
            plot hist penguins body_mass_g bins=6 by=species to "\(svg)"
            """)
        #expect(out.contains("wrote hist plot"), "\(out)")
        let text = try String(contentsOfFile: svg, encoding: .utf8)
        for (color, species) in [("#1f77b4", "Adelie"), ("#ff7f0e", "Gentoo"), ("#2ca02c", "Chinstrap")] {
            #expect(text.components(separatedBy: "fill=\"\(color)\"><title>\(species) ").count - 1 == 6, "\(species)")
            #expect(text.contains(">\(species)</text>"), "legend \(species)")
        }
    }

    @Test func theTutorialsAreAllHere() {
        #expect(Self.tutorials.count == 8, "\(Self.tutorials)")
    }

    /// The page is written, parses as XML, fetches nothing, and a browser draws it: not blank, its
    /// plots drawn (coloured pixels where the plots are), no console error.
    @Test(arguments: tutorials) func tutorialReportInABrowser(_ name: String) throws {
        let html = try Self.folder() + "/" + name.replacingOccurrences(of: ".mlsh", with: ".html")
        let r = try runMlsh(["render", "tutorials/" + name, "-o", html], env: Self.fixedDate)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.hasPrefix("wrote \(html): "), "\(r.stdout)")
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(try Self.xmlProblem(html) == nil, "\(name): not well-formed XML")
        #expect(!page.contains("<script") && !page.contains("<link") && !page.contains(" src="), "\(name) fetches something")
        #expect(page.contains("Rendered by mlsh \(HelpFormatter.version) on 2026-05-28T20:26:40Z, seed "))
        let plots = page.components(separatedBy: "<figure class=\"plot\">").count - 1

        let browser = try #require(Self.chromium, "Chromium is not installed (scripts/test installs Debian's chromium)")
        let png = html.replacingOccurrences(of: ".html", with: ".png")
        // Half scale: a 1200 × 16000 page as a 600 × 8000 picture, quick to look at.
        let shot = try runProgram(browser, ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--enable-logging=stderr", "--v=0",
                                            "--force-device-scale-factor=0.5", "--window-size=1200,16000", "--screenshot=" + png, "file://" + html])
        #expect(shot.status == 0, "\(shot.stderr)")
        let console = shot.stderr.split(separator: "\n").filter { $0.contains("CONSOLE") || $0.contains("Uncaught") || $0.contains("Failed to load") }
        #expect(console.isEmpty, "\(name): \(console)")
        let image = try PNGImage(Array(try Data(contentsOf: URL(fileURLWithPath: png))))
        try #require(image.width == 600 && image.height == 8000, "\(image.width) × \(image.height)")
        let (inked, coloured, lastRow) = image.survey(columns: 50..<550)
        #expect(inked > 20_000, "\(name): a blank page (\(inked) pixels not white)")
        #expect(lastRow < image.height - 10, "\(name): the page is longer than the picture; make the window taller")
        // Text and tables are grey; the command bars' blue edge is left of the columns counted.
        if plots > 0 {
            #expect(coloured > 2_000 * plots, "\(name): \(plots) plots but only \(coloured) coloured pixels")
        } else {
            #expect(coloured < 2_000, "\(name): \(coloured) coloured pixels and no plot")
        }
        let dom = try runProgram(browser, ["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", "file://" + html])
        #expect(dom.stdout.components(separatedBy: "<svg").count - 1 == plots, "\(name): the browser's page lost a plot")
        #expect(dom.stdout.contains("</footer>"))
    }

    /// The Markdown report of tutorial 03, against its snapshot (date fixed).
    @Test func markdownSnapshot() throws {
        let path = "tutorials/03-first-model.mlsh"
        _ = FileManager.default.changeCurrentDirectoryPath(packageRoot)
        let text = try String(contentsOfFile: packageRoot + "/" + path, encoding: .utf8)
        let (doc, status) = ScriptReport.run(path: path, text: text, date: Date(timeIntervalSince1970: 1_780_000_000))
        #expect(status == .ok)
        try assertSnapshot(MarkdownReport.render(doc), named: "report-03-first-model.md")
    }

    /// An error shows where it happened; what follows is listed as not run; the report is still
    /// written and the exit status is 1.
    @Test func errorsShowWhereTheyHappened() throws {
        let dir = try Self.folder()
        let script = dir + "/broken.mlsh"
        try """
            #' # Broken
            load "tutorials/data/mtcars.csv"
            fit linar mpg ~ wt on mtcars
            describe mtcars
            """.write(toFile: script, atomically: true, encoding: .utf8)
        let r = try runMlsh(["render", script, "-o", dir + "/broken.html"])
        #expect(r.status == 1)
        #expect(r.stdout == "wrote \(dir)/broken.html: 2 commands run, stopped at an error on line 3\n", "\(r.stdout)")
        let page = try String(contentsOfFile: dir + "/broken.html", encoding: .utf8)
        #expect(page.contains("<pre class=\"error\">\(script):3:5: error: unknown algorithm &apos;linar&apos;") || page.contains("unknown algorithm 'linar'"))
        #expect(page.contains("<div class=\"cell not-run\" id=\"line-4\">"))
        #expect(page.contains("The script stopped at an error on line 3."))
        let md = try runMlsh(["render", script, "-o", dir + "/broken.md"])
        #expect(md.status == 1)
        #expect(try String(contentsOfFile: dir + "/broken.md", encoding: .utf8).contains("*Not run: the script stopped at the error above.*"))
    }

    @Test func usageErrors() throws {
        let wrong = try runMlsh(["render", "tutorials/00-hello.mlsh", "-o", "/tmp/report.pdf"])
        #expect(wrong.status == 64)
        #expect(wrong.stderr.contains("Error: the report is .html or .md, not '/tmp/report.pdf': name the output 'report.html' or 'report.md'"), "\(wrong.stderr)")
        let missing = try runMlsh(["render", "nope.mlsh", "-o", "/tmp/report.html"])
        #expect(missing.status == 66)
        #expect(missing.stderr.hasPrefix("error: no such file: 'nope.mlsh'"), "\(missing.stderr)")
    }
}

extension PNGImage {
    /// Over the given columns: pixels not white, pixels with a colour (the channels apart by more
    /// than 60: plot lines, bars, cells; text is grey), and the last row that is not all white.
    func survey(columns: Range<Int>) -> (inked: Int, coloured: Int, lastRow: Int) {
        var inked = 0, coloured = 0, lastRow = 0
        rgb.withUnsafeBufferPointer { px in
            for y in 0..<height {
                for x in columns {
                    let o = (y * width + x) * 3
                    let r = Int(px[o]), g = Int(px[o + 1]), b = Int(px[o + 2])
                    if r < 245 || g < 245 || b < 245 { inked += 1; lastRow = y }
                    if max(r, g, b) - min(r, g, b) > 60 { coloured += 1 }
                }
            }
        }
        return (inked, coloured, lastRow)
    }
}
