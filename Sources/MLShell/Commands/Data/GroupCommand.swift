import Dispatch
import MLDiagnostics
import MLFrame
import MLLanguage
import MLRender

/// `group [DS] [by COL, ...] summarize NAME=FN(COL), ... [as NAME]`
struct GroupCommand: ShellCommand {
    static let functions = ["count", "sum", "mean", "median", "quantile", "min", "max", "std", "var", "distinct", "n_distinct", "first", "last"]

    static let spec = CommandSpec(
        name: "group", stage: .data,
        abstract: "Summarize groups of rows: one row per group with the aggregates you name",
        discussion: """
            Aggregates: count() (rows) or count(COL) (non-missing values), sum, mean, median, \
            quantile(COL, q) (linear interpolation, as pandas and numpy), min, max, std and var \
            (sample, ddof=1), distinct or n_distinct (number of different values), first and last \
            (the first and last non-missing value, in row order). Missing values are skipped; \
            missing keys form their own group. Groups are ordered by their keys. Without by, the \
            whole table is one group.
            """,
        parameters: [
            Parameter("DS", .dataset, "the dataset (default: the current one)", optional: true),
            Parameter("COL", .name, "the columns to group by (none: the whole table)", optional: true, keyword: "by", variadic: true),
            Parameter("summarize", .flag, "then the aggregates", keyword: "summarize"),
        ],
        freeOptions: ("NAME=FN(COL)", "an aggregate column: count, sum, mean, median, quantile(COL, q), min, max, std, var, distinct, first, last"),
        binds: ["NAME"],
        examples: [
            Example("load \"tutorials/data/penguins.csv\""),
            Example("group penguins by species summarize n=count(), mass=mean(body_mass_g), sd=std(body_mass_g)"),
            Example("group by island, sex summarize n=count() as sizes"),
            Example("group penguins summarize n=count(), q90=quantile(body_mass_g, 0.9), islands=n_distinct(island)"),
        ])

    static func run(_ call: CommandCall, in session: Session) throws {
        let d = try call.dataset(session)
        let keys = try call.columnNames(call.exprs("COL"), in: d)
        guard !call.freeOptions.isEmpty else {
            throw call.error("'group' needs at least one NAME=FN(COL) after summarize", hint: "e.g. summarize n=count(), mean_mass=mean(body_mass_g)",
                             id: .missingArgument)
        }
        let groups = Grouping(frame: d.frame, keys: keys)
        let order = groups.indices.sorted { groups.less($0, $1) }
        var rowsOfGroup = groups.rows()
        // Without by, the whole table is one group, even when it has no rows (count 0, mean NA).
        let whole = keys.isEmpty && d.frame.rowCount == 0
        // Each column's values sorted per group once, for every order statistic that asks.
        let sorted = SortedGroups()
        var result = whole ? Frame(rowCount: 1) : groups.keyFrame(order)
        if whole { rowsOfGroup = [[]] }
        for (name, expr) in call.freeOptions {
            if keys.contains(name.text) || result.index(of: name.text) != nil {
                throw Diagnostic(.badArgument, .error, "'\(name.text)' is already a column of the result", file: call.file, range: name.range,
                                 hint: "choose another name, e.g. n_\(name.text)=...")
            }
            guard case .call(let fn, let args, _) = expr.kind, functions.contains(fn.text) else {
                let hint: String
                // Other tools' names for the same aggregates first, then the nearest spelling.
                let synonyms = ["avg": "mean", "average": "mean", "nunique": "n_distinct", "size": "count", "len": "count", "percentile": "quantile"]
                if case .call(let fn, _, _) = expr.kind {
                    hint = synonyms[fn.text].map { "did you mean '\($0)'?" } ?? Suggest.didYouMean(fn.text, in: functions) ?? "the aggregates are: " + functions.joined(separator: ", ")
                }
                else { hint = "write \(name.text)=FN(COL), with FN one of: " + functions.joined(separator: ", ") }
                throw Diagnostic(.badArgument, .error, "'\(ExprPrinter.print(expr))' is not an aggregate", file: call.file, range: expr.range, hint: hint)
            }
            var q: Double? = nil
            if fn.text == "quantile" {
                guard args.count == 2 else {
                    throw Diagnostic(.badArgument, .error, "quantile() takes a column and a share", file: call.file, range: expr.range, hint: "e.g. quantile(\(args.first.map(ExprPrinter.print) ?? "COL"), 0.9)")
                }
                let v = try Evaluator(session: session, file: call.file).evaluate(args[1])
                guard case .number(let share) = v, share >= 0, share <= 1 else {
                    throw Diagnostic(.badArgument, .error, "quantile()'s share is a number from 0 to 1, not \(ExprPrinter.print(args[1]))", file: call.file,
                                     range: args[1].range, hint: "0.5 is the median, 0.9 the 90th percentile")
                }
                q = share
            } else if args.count > 1 || (args.isEmpty && fn.text != "count") {
                throw Diagnostic(.badArgument, .error, "\(fn.text)() takes one column", file: call.file, range: expr.range, hint: "write \(fn.text)(COL)")
            }
            let column: Column?
            if let arg = args.first {
                let colName = try call.columnNames([arg], in: d)[0]
                column = d.frame.column(colName)
                if !["count", "distinct", "n_distinct", "min", "max", "first", "last"].contains(fn.text), let c = column, !c.type.isNumeric, c.type != .bool {
                    throw Diagnostic(.badArgument, .error, "\(fn.text)() needs a numeric column, but '\(c.name)' is \(c.type.rawValue)",
                                     file: call.file, range: arg.range, hint: "count(), distinct(), min(), max(), first() and last() work on any column")
                }
            } else {
                column = nil
            }
            result.setColumn(aggregate(fn.text, column, whole ? [[]] : order.map { rowsOfGroup[$0] }, name: name.text, q: q, sorted: sorted))
        }
        if let name = call.binding.first {
            try session.checkBindable(name, in: call.file)
            session.bindDataset(d.summary(name: name.text, frame: result, command: call.command.sourceText))
        }
        var table = session.frameTable(result)
        table.footer = "\(plural(result.rowCount, "group")) of \(plural(d.frame.rowCount, "row"))"
        session.printTable(table)
    }

    static func aggregate(_ fn: String, _ column: Column?, _ groups: [[Int]], name: String, q: Double? = nil,
                          sorted: SortedGroups = SortedGroups()) -> Column {
        guard let c = column else {
            return Column(name: name, storage: .int(groups.map { Int64($0.count) }))
        }
        switch fn {
        case "count":
            return Column(name: name, storage: .int(groups.map { rows in Int64(rows.filter { c.isValid($0) }.count) }))
        case "first", "last":
            // The first (last) non-missing value of each group, in the column's own type.
            let picked = groups.map { rows in (fn == "first" ? rows.first { c.isValid($0) } : rows.last { c.isValid($0) }) ?? -1 }
            var taken = c.take(orMissing: picked)
            taken.name = name
            return taken
        case "distinct", "n_distinct":
            return Column(name: name, storage: .int(groups.map { rows in Int64(Set(rows.filter { c.isValid($0) }.map { c.cellKey($0) }).count) }))
        case "min", "max":
            if case .date(let days) = c.storage {
                // Dates stay dates: the row holding the earliest (latest) day.
                let picked = groups.map { rows -> Int in
                    let valid = rows.filter { c.isValid($0) }
                    return (fn == "min" ? valid.min { days[$0] < days[$1] } : valid.max { days[$0] < days[$1] }) ?? -1
                }
                var taken = c.take(orMissing: picked)
                taken.name = name
                return taken
            }
            if !c.type.isNumeric && c.type != .bool {
                let texts = groups.map { rows -> String? in
                    let values = rows.compactMap { c.text($0) }
                    return fn == "min" ? values.min() : values.max()
                }
                var dictionary: [String] = []
                var codes: [UInt32] = []
                var valid: [Bool] = []
                for t in texts {
                    valid.append(t != nil)
                    if let t, let k = dictionary.firstIndex(of: t) { codes.append(UInt32(k)) }
                    else if let t { codes.append(UInt32(dictionary.count)); dictionary.append(t) }
                    else { codes.append(0) }
                }
                return Column(name: name, storage: .string(codes: codes, dictionary: dictionary.isEmpty ? [""] : dictionary), validity: Bitmap(valid))
            }
            fallthrough
        default:
            var out: [Double] = []
            var valid: [Bool] = []
            // Order statistics sort a group's values once, by their bits (linear time).
            let ordered = ["median", "quantile"].contains(fn) ? sorted.values(of: c, groups) : nil
            for (g, rows) in groups.enumerated() {
                let values = ordered?[g] ?? rows.compactMap { c.double($0) }
                let v: Double?
                switch fn {
                case "sum": v = values.reduce(0, +)
                case "mean": v = values.isEmpty ? nil : Statistics.meanStd(values).mean
                case "median": v = values.isEmpty ? nil : Statistics.quantile(sorted: values, 0.5)
                case "quantile": v = values.isEmpty ? nil : Statistics.quantile(sorted: values, q ?? 0.5)
                case "var":
                    // Two passes, as pandas: (x − mean)² summed, over n − 1 (no square of a rounded std).
                    if values.count < 2 { v = nil } else {
                        let mean = values.reduce(0, +) / Double(values.count)
                        v = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
                    }
                case "min": v = values.min()
                case "max": v = values.max()
                default: v = values.count < 2 ? nil : Statistics.meanStd(values).std
                }
                out.append(v ?? .nan)
                valid.append(v != nil && !(v!.isNaN))
            }
            // Whole results stay whole, unless a sum outgrew Int64 (then it is a float).
            if c.type == .int64 && ["sum", "min", "max"].contains(fn) && out.allSatisfy({ $0.isNaN || abs($0) < 9.2e18 }) {
                return Column(name: name, storage: .int(out.map { $0.isNaN ? 0 : Int64($0) }), validity: Bitmap(valid))
            }
            return Column(name: name, storage: .float(out), validity: Bitmap(valid))
        }
    }
}

/// A column's values in each group, sorted (by their bits, in linear time), kept for the other
/// order statistics of the same column; the groups are sorted on both cores.
final class SortedGroups {
    private var byColumn: [String: [[Double]]] = [:]

    func values(of c: Column, _ groups: [[Int]]) -> [[Double]] {
        if let done = byColumn[c.name] { return done }
        let slots = WorkerSlots<[Double]>(groups.count, [])
        DispatchQueue.concurrentPerform(iterations: groups.count) { g in
            slots.values[g] = RadixSort.sorted(groups[g].compactMap { c.double($0) }.filter { !$0.isNaN })
        }
        let done = Array(slots.values)
        byColumn[c.name] = done
        return done
    }
}
