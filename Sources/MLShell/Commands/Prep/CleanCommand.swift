import MLDiagnostics
import MLPrep

/// `clean [DS] missing drop | duplicates | outliers COL …`
struct CleanCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "clean", stage: .clean,
        abstract: "Drop rows with missing values, repeated rows, or outliers; or clip outliers",
        discussion: """
            clean DS missing drop [cols=[…]]        drop rows with a missing value (in any, or the listed columns)
            clean DS duplicates [cols=[…]]          drop repeated rows, keeping the first
            clean DS outliers COL [method=iqr k=1.5 | method=zscore k=3] [action=drop|clip]
              iqr: outside q1 − k·IQR … q3 + k·IQR; zscore: outside mean ± k·std (population std).
              action=drop removes the rows (a row step); action=clip moves the values to the bounds
              (a column step, fitted: the bounds are learned and reused on new rows).
            Without 'as', the dataset gets a new version; 'undo' goes back.
            """,
        parameters: [
            Parameter("DS", .dataset, "the dataset (default: the current one)", optional: true),
            Parameter("WHAT", .word(["missing", "duplicates", "outliers"]), "what to clean"),
            Parameter("ARG", .value, "drop (for missing), or the column (for outliers)", optional: true, variadic: true),
        ],
        options: [
            OptionSpec("cols", .value, "only these columns (missing, duplicates)", default: "all"),
            OptionSpec("method", .word(["iqr", "zscore"]), "how outliers are found", default: "iqr"),
            OptionSpec("k", .number, "how far out an outlier is", default: "1.5 for iqr, 3 for zscore"),
            OptionSpec("action", .word(["drop", "clip"]), "drop the rows, or clip the values", default: "drop"),
        ],
        binds: ["NAME"],
        examples: [
            Example("load \"tutorials/data/airquality.csv\""),
            Example("clean airquality missing drop cols=[Ozone] as ozone_known"),
            Example("clean airquality duplicates"),
            Example("clean airquality outliers Wind method=iqr k=1.5 action=clip"),
        ])

    static func run(_ call: CommandCall, in session: Session) throws {
        let d = try call.dataset(session)
        let args = call.exprs("ARG")
        let cols: [String]? = try call.expr("cols").map { try call.columnNames([$0], in: d) }
        if let cols, cols.isEmpty { throw call.error(at: "cols", "cols=[] names no column", hint: "name some, e.g. cols=[\(d.frame.columnNames.first ?? "x")], or leave cols= out for all") }
        switch call.word("WHAT")! {
        case "missing":
            guard args.count == 1, args[0].asName?.text == "drop" else {
                throw call.error("'clean missing' needs the word drop: clean \(d.name) missing drop",
                                 hint: "to fill missing values instead, use fill (help fill)", id: .missingArgument)
            }
            try call.runStep(.dropMissing(columns: cols), on: d, in: session)
        case "duplicates":
            guard args.isEmpty else { throw call.error(at: "ARG", "'clean duplicates' takes no column here; use cols=[…]") }
            try call.runStep(.dropDuplicates(columns: cols), on: d, in: session)
        default:
            guard args.count == 1 else {
                throw call.error("'clean outliers' needs one column: clean \(d.name) outliers COL", id: .missingArgument)
            }
            let named = try call.columnNames(args, in: d)
            guard named.count == 1 else {
                throw call.error(at: "ARG", "'clean outliers' takes one column at a time, got \(named.count)",
                                 hint: named.prefix(2).map { "clean \(d.name) outliers \($0)" }.joined(separator: "; "))
            }
            let column = named[0]
            let method = OutlierMethod(rawValue: call.word("method") ?? "iqr")!
            let k = try call.number("k", default: method == .iqr ? 1.5 : 3, in: 0...100)
            if call.word("action") == "clip" {
                try call.runStep(.clip(column: column, method: method, k: k), on: d, in: session)
            } else {
                try call.runStep(.dropOutliers(column: column, method: method, k: k), on: d, in: session)
            }
        }
    }
}
