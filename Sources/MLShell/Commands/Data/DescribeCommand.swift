import MLFrame
import MLRender
import Dispatch
import MLDiagnostics

/// `describe [DS] [cols=[...]]`
struct DescribeCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "describe", stage: .data,
        abstract: "Summarize each column: counts, missing, distinct; statistics and a histogram for numbers; top values for text",
        discussion: "std is the sample standard deviation (ddof=1) and the quartiles interpolate linearly, as pandas does.",
        parameters: [Parameter("DS", .dataset, "the dataset (default: the current one)", optional: true)],
        options: [OptionSpec("cols", .value, "only these columns, e.g. cols=[bill_length_mm, sex]", default: "all")],
        binds: ["NAME"],
        examples: [Example("load \"tutorials/data/penguins.csv\""), Example("describe penguins"), Example("describe cols=[species, body_mass_g]"),
                   Example("describe penguins as stats")])

    static func run(_ call: CommandCall, in session: Session) throws {
        let d = try call.dataset(session)
        var frame = d.frame
        if let cols = call.expr("cols") { frame = frame.selecting(try call.columnNames([cols], in: d)) }
        let summaries = summarize(frame)
        if let name = call.binding.first {
            try session.checkBindable(name, in: call.file)
            session.bindDataset(d.summary(name: name.text, frame: statistics(frame, summaries), command: call.command.sourceText))
        }
        let unicode = session.terminal.utf8 || session.recording
        let missingCells = frame.columns.reduce(0) { $0 + $1.missingCount }
        session.print("\(d.name): \(plural(frame.rowCount, "row")) × \(plural(frame.columns.count, "column")), \(plural(missingCells, "missing cell"))")
        session.print()
        // Every column: counts and, for text, the most frequent values.
        var rows: [(String, String, String, String, String, String)] = []
        for (c, s) in zip(frame.columns, summaries) {
            switch s {
            case .numeric(let n):
                rows.append((c.name, c.type.rawValue, String(n.count), String(n.missing), String(n.distinct), ""))
            case .text(let t):
                let top = t.top.prefix(3).map { "\($0.value) \($0.count)" }.joined(separator: ", ") + (t.distinct > 3 ? ", …" : "")
                rows.append((c.name, c.type.rawValue, String(t.count), String(t.missing), String(t.distinct), top))
            }
        }
        let overview = TextTable(columns: [
            .init(header: "column", alignment: .left, cells: rows.map { $0.0 }),
            .init(header: "type", alignment: .left, cells: rows.map { $0.1 }),
            .init(header: "count", alignment: .right, cells: rows.map { $0.2 }),
            .init(header: "missing", alignment: .right, cells: rows.map { $0.3 }),
            .init(header: "distinct", alignment: .right, cells: rows.map { $0.4 }),
            .init(header: "top values", alignment: .left, cells: rows.map { $0.5 }, exactCells: rows.map { $0.5.isEmpty ? nil : $0.5 }),
        ])
        var renderer = session.tableRenderer
        renderer.width = session.width
        // Box mode draws the tables for people; the data modes write them as data, every digit kept.
        let data = session.settings.table.isData
        if data { session.printTable(overview) } else { session.output.write(renderer.plain(overview)) }
        // Numeric columns: the statistics and a spark histogram of 8 equal bins.
        let numeric = zip(frame.columns, summaries).compactMap { c, s -> (String, NumericSummary)? in
            if case .numeric(let n) = s { return (c.name, n) }
            return nil
        }
        if !numeric.isEmpty {
            func stat(_ header: String, _ value: (NumericSummary) -> Double) -> TextTable.Column {
                .init(header: header, numbers: numeric.map { let x = value($0.1); return x.isNaN ? nil : x }, shown: { NumberFormat.compact($0) })
            }
            let stats = TextTable(columns: [
                .init(header: "column", alignment: .left, cells: numeric.map { $0.0 }),
                stat("mean", \.mean), stat("std", \.std), stat("min", \.min), stat("25%", \.q25), stat("50%", \.q50),
                stat("75%", \.q75), stat("max", \.max),
                .init(header: "histogram", alignment: .left, cells: numeric.map { Sparkline.render($0.1.histogram, unicode: unicode) }, decorative: true),
            ])
            session.print()
            if data { session.printTable(stats) } else { session.output.write(renderer.plain(stats)) }
        }
    }

    /// The summaries as a dataset, one row per column, every number in full (`describe DS as NAME`).
    static func statistics(_ frame: Frame, _ summaries: [ColumnSummary]) -> Frame {
        func numbers(_ name: String, _ value: (NumericSummary) -> Double) -> Column {
            let v = summaries.map { s -> Double in if case .numeric(let n) = s { return value(n) }; return .nan }
            return Column(name: name, storage: .float(v), validity: Bitmap(v.map { !$0.isNaN }))
        }
        func ints(_ name: String, _ value: (Int, Int, Int) -> Int) -> Column {
            Column(name: name, storage: .int(summaries.map { s in
                switch s {
                case .numeric(let n): return Int64(value(n.count, n.missing, n.distinct))
                case .text(let t): return Int64(value(t.count, t.missing, t.distinct))
                }
            }))
        }
        let top = summaries.map { s -> String? in if case .text(let t) = s { return t.top.first?.value }; return nil }
        return Frame(columns: [
            Column(name: "column", storage: .string(codes: frame.columns.indices.map(UInt32.init), dictionary: frame.columnNames)),
            Column(name: "type", storage: .string(codes: frame.columns.indices.map(UInt32.init), dictionary: frame.columns.map(\.type.rawValue))),
            ints("count") { c, _, _ in c }, ints("missing") { _, m, _ in m }, ints("distinct") { _, _, d in d },
            numbers("mean", \.mean), numbers("std", \.std), numbers("min", \.min), numbers("q25", \.q25),
            numbers("q50", \.q50), numbers("q75", \.q75), numbers("max", \.max),
            Column(name: "top", storage: .string(codes: top.indices.map(UInt32.init), dictionary: top.map { $0 ?? "" }),
                   validity: Bitmap(top.map { $0 != nil })),
        ])
    }

    /// Every column's summary, the columns shared out across the cores.
    static func summarize(_ frame: Frame) -> [ColumnSummary] {
        let slots = WorkerSlots<ColumnSummary?>(frame.columns.count, nil)
        let columns = frame.columns
        DispatchQueue.concurrentPerform(iterations: columns.count) { i in
            slots.values[i] = columns[i].summarize()
        }
        return slots.values.prefix(columns.count).map { $0! }
    }
}
