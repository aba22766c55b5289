import MLDiagnostics
import MLFrame
import MLLanguage
import MLRender
#if canImport(Glibc)
import Glibc
#endif

/// Turns a dataset's columns into a plot: checks the columns, leaves out missing and infinite
/// values (and says so in a note), groups rows, and computes bins, boxes or correlations.
struct PlotBuilder {
    let call: CommandCall
    let dataset: Dataset
    let frame: Frame
    var notes: [String] = []

    init(call: CommandCall, dataset: Dataset, frame: Frame) {
        self.call = call
        self.dataset = dataset
        self.frame = frame
    }

    static let maxGroups = 8

    mutating func build(kind: String, columns: [Expr], by: String?, bins: Int?, options o: inout PlotOptions) throws -> Figure {
        guard frame.rowCount > 0 else {
            throw call.error("\(dataset.name) has no rows to plot", hint: "check the filter that made it")
        }
        let names = try call.columnNames(columns, in: dataset)
        func need(_ n: ClosedRange<Int>, _ what: String) throws {
            if !n.contains(names.count) {
                throw call.error("'plot \(kind)' needs \(what)", hint: "e.g. " + (PlotCommand.spec.examples.first { $0.command.hasPrefix("plot \(kind)") }?.command ?? "help plot"),
                                 id: .missingArgument)
            }
        }
        switch kind {
        case "hist":
            try need(1...1, "one numeric column")
            return .bars(try histogram(names[0], by: by, bins: bins))
        case "bar":
            try need(1...2, "a column (counts) or two columns X Y (values)")
            return .bars(try barChart(names))
        case "scatter":
            try need(2...2, "two numeric columns X Y")
            return .xy(try xy(x: names[0], ys: [names[1]], by: by, connect: false, o))
        case "line":
            try need(2...9, "X and one or more Y columns")
            return .xy(try xy(x: names[0], ys: Array(names.dropFirst()), by: nil, connect: true, o))
        case "box":
            try need(1...1, "one numeric column")
            return .boxes(try boxes(names[0], by: by, o))
        default:
            return .heat(try heatmap(names))
        }
    }

    // MARK: - Values

    func numeric(_ name: String) throws -> Column {
        let c = frame.column(name)!
        guard c.type.isNumeric || c.type == .bool else {
            let numericColumns = frame.columns.filter { $0.type.isNumeric }.map(\.name)
            // Point at the column where the command names it.
            let at = call.exprs("COL").first { $0.asName?.text == name }?.range ?? call.command.range
            throw Diagnostic(.wrongArgumentType, .error, "'\(name)' is \(c.type.rawValue), but this plot needs numbers", file: call.file, range: at,
                             hint: (c.type == .string ? "'plot bar \(dataset.name) \(name)' counts its values; " : "")
                                + (numericColumns.isEmpty ? "\(dataset.name) has no numeric columns" : "numeric columns: " + numericColumns.prefix(8).joined(separator: ", ")))
        }
        // A scale from −1.7e308 to 1.7e308 is wider than a double holds: say so, not overflow.
        var lo = Double.infinity, hi = -Double.infinity
        for i in 0..<c.count { if let v = c.double(i), v.isFinite { lo = min(lo, v); hi = max(hi, v) } }
        if lo < hi && !(hi - lo).isFinite {
            let at = call.exprs("COL").first { $0.asName?.text == name }?.range ?? call.command.range
            throw Diagnostic(.wrongArgumentType, .error, "'\(name)' runs from \(Value.formatNumber(lo)) to \(Value.formatNumber(hi)): wider than a scale can hold",
                             file: call.file, range: at, hint: "plot part of it (where …), or a scaled copy (derive \(name)_s = \(name) / 1e300)")
        }
        return c
    }

    /// Whether a value has a place on a log axis (which keeps to 1e-300 … 1e300).
    static func onLogScale(_ v: Double) -> Bool { v >= 1e-300 && v <= 1e300 }

    /// The rows where all these columns hold finite numbers; the others are counted in a note.
    mutating func usableRows(_ columns: [Column], extra: Column? = nil) -> [Int] {
        var rows: [Int] = []
        var missing = 0, infinite = 0
        for r in 0..<frame.rowCount {
            var ok = true
            for c in columns {
                guard let v = c.double(r), !v.isNaN else { missing += 1; ok = false; break }
                if !v.isFinite { infinite += 1; ok = false; break }
            }
            if ok, let e = extra, !e.isValid(r) { missing += 1; ok = false }
            if ok { rows.append(r) }
        }
        if missing > 0 { notes.append("\(plural(missing, "row")) with missing values left out") }
        if infinite > 0 { notes.append("\(plural(infinite, "row")) with infinite values left out") }
        return rows
    }

    /// Groups of rows by a column's values, at most 8; the rest fold into "other" (with a note).
    mutating func groups(_ by: String?, rows: [Int]) -> [(String, [Int])] {
        guard let by, let c = frame.column(by) else { return [("", rows)] }
        var order: [String] = []
        var members: [String: [Int]] = [:]
        for r in rows {
            let key = c.text(r) ?? "NA"
            if members[key] == nil { order.append(key) }
            members[key, default: []].append(r)
        }
        order.sort { members[$0]!.count != members[$1]!.count ? members[$0]!.count > members[$1]!.count : $0 < $1 }
        if order.count > PlotBuilder.maxGroups {
            let kept = Array(order.prefix(PlotBuilder.maxGroups - 1))
            let rest = order.dropFirst(PlotBuilder.maxGroups - 1)
            notes.append("\(by) has \(order.count) values, more than \(PlotBuilder.maxGroups) colours: the \(rest.count) smallest are shown as \"other\"")
            return kept.map { ($0, members[$0]!) } + [("other", rest.flatMap { members[$0]! }.sorted())]
        }
        return order.map { ($0, members[$0]!) }
    }

    // MARK: - Kinds

    mutating func histogram(_ name: String, by: String?, bins requested: Int?) throws -> BarPlot {
        let c = try numeric(name)
        let rows = usableRows([c])
        guard !rows.isEmpty else { throw call.error("'\(name)' has no values to plot (all are missing)") }
        let values = rows.map { c.double($0)! }
        let lo = values.min()!, hi = values.max()!
        let n = requested ?? Int(ceil(log2(Double(values.count)))) + 1
        guard n >= 1 && n <= 200 else { throw call.error(at: "bins", "bins= takes a whole number from 1 to 200") }
        let count = lo == hi ? 1 : n
        let width = lo == hi ? 1 : (hi - lo) / Double(count)
        if requested == nil { notes.append("\(count) bins by Sturges' rule; bins=N sets them") }
        func edges(_ k: Int) -> (Double, Double) { lo == hi ? (lo - 0.5, lo + 0.5) : (lo + Double(k) * width, k == count - 1 ? hi : lo + Double(k + 1) * width) }
        let step = width
        func label(_ k: Int) -> String {
            let (a, b) = edges(k)
            let open = k == count - 1 ? "]" : ")"
            return "[" + Scale.label(a, step: step / 10) + ", " + Scale.label(b, step: step / 10) + open
        }
        var bars: [BarPlot.Bar] = []
        let groupList = groups(by, rows: rows)
        for (g, members) in groupList {
            var counts = [Int](repeating: 0, count: count)
            for r in members {
                let v = c.double(r)!
                let k = lo == hi ? 0 : min(count - 1, max(0, Int((v - lo) / width)))
                counts[k] += 1
            }
            for k in 0..<count {
                bars.append(BarPlot.Bar(label: (g.isEmpty ? "" : g + " ") + label(k), value: Double(counts[k]), range: edges(k),
                                        group: g.isEmpty ? nil : g))
            }
        }
        if lo == hi { notes.append("every value is \(NumberFormat.cell(lo))") }
        var p = BarPlot(bars: bars, valueLabel: "count", categoryLabel: name, integerValues: true)
        p.footnotes = notes
        return p
    }

    mutating func barChart(_ names: [String]) throws -> BarPlot {
        let x = frame.column(names[0])!
        if names.count == 1 {
            var counts: [String: Int] = [:]
            var missing = 0
            for r in 0..<frame.rowCount {
                guard let t = x.text(r) else { missing += 1; continue }
                counts[t, default: 0] += 1
            }
            guard !counts.isEmpty else { throw call.error("'\(names[0])' has no values to plot (all are missing)") }
            if missing > 0 { notes.append("\(plural(missing, "row")) with a missing \(names[0]) left out") }
            var order = counts.keys.sorted { counts[$0]! != counts[$1]! ? counts[$0]! > counts[$1]! : $0 < $1 }
            if order.count > 40 {
                notes.append("\(order.count) values: the 40 most frequent are shown")
                order = Array(order.prefix(40))
            }
            var p = BarPlot(bars: order.map { BarPlot.Bar(label: $0, value: Double(counts[$0]!)) }, valueLabel: "count",
                            categoryLabel: names[0], integerValues: true)
            p.footnotes = notes
            return p
        }
        let y = try numeric(names[1])
        let rows = usableRows([y], extra: x)
        guard !rows.isEmpty else { throw call.error("no row has both \(names[0]) and \(names[1]) to plot") }
        var sums: [String: (Double, Int)] = [:]
        var order: [String] = []
        for r in rows {
            let key = x.text(r)!
            if sums[key] == nil { order.append(key) }
            let s = sums[key] ?? (0, 0)
            sums[key] = (s.0 + y.double(r)!, s.1 + 1)
        }
        let repeated = sums.values.contains { $0.1 > 1 }
        if repeated { notes.append("\(names[0]) repeats, so each bar is the mean of \(names[1])") }
        if order.count > 40 {
            notes.append("\(order.count) values of \(names[0]): the first 40 are shown")
            order = Array(order.prefix(40))
        }
        var p = BarPlot(bars: order.map { BarPlot.Bar(label: $0, value: sums[$0]!.0 / Double(sums[$0]!.1)) },
                        valueLabel: repeated ? "mean \(names[1])" : names[1], categoryLabel: names[0], integerValues: false)
        p.footnotes = notes
        return p
    }

    mutating func xy(x: String, ys: [String], by: String?, connect: Bool, _ o: PlotOptions) throws -> XYPlot {
        let xc = try numeric(x)
        let ycs = try ys.map { try numeric($0) }
        var rows = usableRows([xc] + ycs)
        if o.logX || o.logY {
            let before = rows.count
            rows = rows.filter { r in (!o.logX || PlotBuilder.onLogScale(xc.double(r)!)) && (!o.logY || ycs.allSatisfy { PlotBuilder.onLogScale($0.double(r)!) }) }
            if rows.count < before { notes.append("\(plural(before - rows.count, "row")) ≤ 0 (or beyond 1e±300) left out of the log scale") }
            if rows.isEmpty && before > 0 {
                throw call.error("no row has a value a log scale can place (above 0, within 1e±300)", hint: "leave out " + (o.logX ? "logx=true" : "logy=true"))
            }
        }
        guard !rows.isEmpty else { throw call.error("no row has values for all of \(([x] + ys).joined(separator: ", "))") }
        if connect { rows.sort { xc.double($0)! < xc.double($1)! } }
        var series: [XYPlot.Series] = []
        if ys.count > 1 {
            for (name, c) in zip(ys, ycs) {
                series.append(XYPlot.Series(name: name, xs: rows.map { xc.double($0)! }, ys: rows.map { c.double($0)! }, connect: connect))
            }
        } else {
            for (g, members) in groups(by, rows: rows) {
                series.append(XYPlot.Series(name: g, xs: members.map { xc.double($0)! }, ys: members.map { ycs[0].double($0)! }, connect: connect))
            }
        }
        var p = XYPlot(series: series, xLabel: x, yLabel: ys.count == 1 ? ys[0] : "")
        p.footnotes = notes
        return p
    }

    mutating func boxes(_ name: String, by: String?, _ o: PlotOptions) throws -> BoxPlot {
        let c = try numeric(name)
        var rows = usableRows([c])
        guard !rows.isEmpty else { throw call.error("'\(name)' has no values to plot (all are missing)") }
        // As scatter and line: values ≤ 0 have no place on a log scale.
        if o.logX {
            let before = rows.count
            rows = rows.filter { PlotBuilder.onLogScale(c.double($0)!) }
            guard !rows.isEmpty else { throw call.error("'\(name)' has no value above 0 for a log scale", hint: "leave out logx=true") }
            if rows.count < before { notes.append("\(plural(before - rows.count, "row")) ≤ 0 (or beyond 1e±300) left out of the log scale") }
        }
        var boxes: [BoxPlot.Box] = []
        for (g, members) in groups(by, rows: rows) {
            let v = members.map { c.double($0)! }.sorted()
            let q1 = Statistics.quantile(sorted: v, 0.25), med = Statistics.quantile(sorted: v, 0.5), q3 = Statistics.quantile(sorted: v, 0.75)
            let fence = 1.5 * (q3 - q1)
            let inside = v.filter { $0 >= q1 - fence && $0 <= q3 + fence }
            boxes.append(BoxPlot.Box(label: g.isEmpty ? name : g, low: inside.first ?? v[0], q1: q1, median: med, q3: q3,
                                     high: inside.last ?? v[v.count - 1], outliers: v.filter { $0 < q1 - fence || $0 > q3 + fence }, count: v.count))
        }
        var p = BoxPlot(boxes: boxes, valueLabel: name)
        p.footnotes = notes
        return p
    }

    mutating func heatmap(_ names: [String]) throws -> HeatmapPlot {
        let chosen = names.isEmpty ? frame.columns.filter { $0.type.isNumeric }.map(\.name) : names
        let columns = try chosen.map { try numeric($0) }
        guard columns.count >= 2 else {
            throw call.error("a correlation heatmap needs at least two numeric columns", hint: "name them: plot heatmap \(dataset.name) a, b, c")
        }
        var values = [[Double]](repeating: [Double](repeating: .nan, count: columns.count), count: columns.count)
        var leftOut = 0
        for i in 0..<columns.count {
            for j in i..<columns.count {
                // Pairwise complete rows, as pandas' DataFrame.corr.
                var xs: [Double] = [], ys: [Double] = []
                for r in 0..<frame.rowCount {
                    if let a = columns[i].double(r), let b = columns[j].double(r), a.isFinite, b.isFinite { xs.append(a); ys.append(b) }
                }
                if i == 0 && j == 1 { leftOut = frame.rowCount - xs.count }
                let r = PlotBuilder.pearson(xs, ys)
                values[i][j] = r
                values[j][i] = r
            }
        }
        if leftOut > 0 || columns.contains(where: { $0.missingCount > 0 }) {
            notes.append("each pair uses the rows where both columns have values (pairwise, as pandas' corr)")
        }
        var p = HeatmapPlot(rowLabels: chosen, columnLabels: chosen, values: values, range: (-1, 1))
        p.footnotes = notes + ["Pearson correlation"]
        return p
    }

    static func pearson(_ x: [Double], _ y: [Double]) -> Double {
        guard x.count > 1 else { return .nan }
        let mx = x.reduce(0, +) / Double(x.count), my = y.reduce(0, +) / Double(y.count)
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for k in 0..<x.count {
            let a = x[k] - mx, b = y[k] - my
            sxy += a * b; sxx += a * a; syy += b * b
        }
        guard sxx > 0, syy > 0 else { return .nan }
        return sxy / (sxx * syy).squareRoot()
    }
}
