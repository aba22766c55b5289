import MLFrame
import MLRender
import MLDiagnostics

/// `count [DS] by COL[, COL...] [as NAME]`
struct CountCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "count", stage: .data,
        abstract: "Count rows by the values of one or more columns: counts, percent and a bar",
        discussion: "Missing values form their own group (shown as NA). Rows are ordered by count, most first.",
        parameters: [
            Parameter("DS", .dataset, "the dataset (default: the current one)", optional: true),
            Parameter("COL", .name, "the columns to group by", keyword: "by", variadic: true),
        ],
        binds: ["NAME"],
        examples: [Example("load \"tutorials/data/penguins.csv\""), Example("count penguins by species"), Example("count by island, sex")])

    static func run(_ call: CommandCall, in session: Session) throws {
        let d = try call.dataset(session)
        let keys = try call.columnNames(call.exprs("COL"), in: d)
        let groups = Grouping(frame: d.frame, keys: keys)
        let total = d.frame.rowCount
        let order = groups.indices.sorted { a, b in
            groups.sizes[a] != groups.sizes[b] ? groups.sizes[a] > groups.sizes[b] : groups.less(a, b)
        }
        var result = groups.keyFrame(order)
        result.setColumn(Column(name: "count", storage: .int(order.map { Int64(groups.sizes[$0]) })))
        result.setColumn(Column(name: "percent", storage: .float(order.map { total == 0 ? 0 : (Double(groups.sizes[$0]) * 1000 / Double(total)).rounded() / 10 })))
        if let name = call.binding.first {
            try session.checkBindable(name, in: call.file)
            session.bindDataset(d.summary(name: name.text, frame: result, command: call.command.sourceText))
        }
        var table = session.frameTable(result)
        let top = order.first.map { groups.sizes[$0] } ?? 1
        let barWidth = 20
        let unicode = session.terminal.utf8 || session.recording
        let shownIndices: [Int] = table.gapAfter.map { g in Array(0..<g) + Array((order.count - (table.shownRows - g))..<order.count) } ?? Array(order.indices)
        table.columns.append(.init(header: "", alignment: .left, cells: shownIndices.map { k in
            Bar.render(Double(groups.sizes[order[k]]) / Double(max(top, 1)), width: barWidth, unicode: unicode)
        }, decorative: true))
        table.footer = "\(plural(order.count, "group")) of \(plural(total, "row"))"
        session.printTable(table)
    }
}

/// A horizontal bar with eighth-block resolution.
enum Bar {
    static func render(_ fraction: Double, width: Int, unicode: Bool) -> String {
        let f = max(0, min(1, fraction))
        if !unicode { return String(repeating: "#", count: Int((f * Double(width)).rounded())) }
        let eighths = Int((f * Double(width) * 8).rounded())
        let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"][eighths % 8]
        return String(repeating: "█", count: eighths / 8) + partial
    }
}
