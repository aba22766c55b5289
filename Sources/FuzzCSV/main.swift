// The CSV reader under libFuzzer (scripts/fuzz csv SECONDS), and the same inputs replayed
// without it (`FuzzCSV FILE…`, which the tests run over the committed corpus).
//
// The reader takes a path, so each input is written to a temporary file (in /dev/shm where
// there is one) and read from there. The first byte of an input chooses the options, as
// `load … sep= header= on_bad_rows= rows= missing= types=` would; the rest is the file:
//   bits 0-2: the delimiter: sniffed (a .csv path), sniffed (a .tsv path), "," "\t" ";" "|" " " ":";
//   bits 3-4: the header: sniffed, sniffed, true, false;
//   bit 5:    on_bad_rows=skip;
//   bits 6-7: nothing more; rows=N (N = body length % 4); missing=[] or a longer list;
//             a type forced on one column (the file is read twice: once for the names).
// Every frame that loads is written back as CSV, which reads every cell.
import FuzzDriver
import MLDiagnostics
import MLFrame
import MLFrameIO
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where inputs are written: one file per process, per extension (a .tsv path is sniffed as tabs).
let csvScratch = scratchPath(extension: "csv")
let tsvScratch = scratchPath(extension: "tsv")

let renderer = DiagnosticRenderer(color: false)

/// Reads the frame and writes it back (which reads every cell): a crash anywhere is a finding;
/// errors (thrown diagnostics) are the expected answer to a bad file.
func load(_ path: String, _ options: CSVOptions) -> Frame? {
    do throws(Diagnostic) {
        let (frame, report) = try CSVReader.read(path: path, options: options)
        for w in report.warnings { _ = renderer.render(w) }
        _ = FrameWriter.write(frame, format: report.delimiter == 9 ? .tsv : .csv)
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
    var options = CSVOptions()
    options.threads = 2
    let delimiters: [UInt8?] = [nil, nil, 44, 9, 59, 124, 32, 58]
    options.delimiter = delimiters[Int(choice & 7)]
    let path = choice & 7 == 1 ? tsvScratch : csvScratch
    switch (choice >> 3) & 3 {
    case 2: options.header = true
    case 3: options.header = false
    default: break
    }
    if choice & 0x20 != 0 { options.onBadRows = .skip }
    guard writeScratch(body, to: path) else { return }
    switch choice >> 6 {
    case 1:
        options.rowLimit = body.count % 4
    case 2:
        options.missing = body.count % 2 == 0 ? [] : ["", "NA", "-", "?", "null"]
    case 3:
        // A type forced on a column whose name the first read found.
        guard let frame = load(path, options), !frame.columns.isEmpty else { return }
        let name = frame.columns[(body.count / 5) % frame.columns.count].name
        options.types = [name: ColumnType.allCases[body.count % ColumnType.allCases.count]]
    default:
        break
    }
    _ = load(path, options)
}

runFuzzTarget(cleanUp: { unlink(csvScratch); unlink(tsvScratch) }, readOne)
