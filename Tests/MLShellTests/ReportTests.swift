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
        let parser = XMLParser(data: Data(page.utf8))
        #expect(parser.parse(), "\(name): not well-formed XML: \(String(describing: parser.parserError))")
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
        #expect(r.stdout == "wrote \(dir)/broken.html: 3 commands, stopped at an error on line 3\n")
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
