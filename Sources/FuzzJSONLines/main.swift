// The JSON Lines reader under libFuzzer (scripts/fuzz jsonl SECONDS), and the same inputs
// replayed without it (`FuzzJSONLines FILE…`, which the tests run over the committed corpus).
//
// The reader takes a path, so each input is written to a temporary file (in /dev/shm where
// there is one) and read from there. The first byte of an input chooses the options, as
// `load … rows= types=` would; the rest is the file:
//   bit 0:    rows=N (N = body length % 4);
//   bit 1:    a type forced on one column (the file is read twice: once for the names);
//   bits 2-7: unused.
// Every frame that loads is written back as JSON Lines, which reads every cell.
import FuzzDriver
import MLDiagnostics
import MLFrame
import MLFrameIO
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where inputs are written: one file per process.
let scratch = scratchPath(extension: "jsonl")

let renderer = DiagnosticRenderer(color: false)

/// Reads the frame and writes it back (which reads every cell): a crash anywhere is a finding;
/// errors (thrown diagnostics) are the expected answer to a bad file.
func load(_ options: CSVOptions) -> Frame? {
    do throws(Diagnostic) {
        let (frame, report) = try JSONLinesReader.read(path: scratch, options: options)
        for w in report.warnings { _ = renderer.render(w) }
        _ = FrameWriter.write(frame, format: .jsonLines)
        return frame
    } catch {
        _ = renderer.render(error)
        return nil
    }
}

func readOne(_ data: UnsafePointer<UInt8>, _ count: Int) {
    guard count > 0 else { return }
    let choice = data[0]
    let body = UnsafeBufferPointer(start: data + 1, count: count - 1)
    guard writeScratch(body, to: scratch) else { return }
    var options = CSVOptions()
    if choice & 1 != 0 { options.rowLimit = body.count % 4 }
    if choice & 2 != 0 {
        // A type forced on a column whose name the first read found.
        guard let frame = load(options), !frame.columns.isEmpty else { return }
        let name = frame.columns[(body.count / 5) % frame.columns.count].name
        options.types = [name: ColumnType.allCases[body.count % ColumnType.allCases.count]]
    }
    _ = load(options)
}

runFuzzTarget(cleanUp: { unlink(scratch) }, readOne)
