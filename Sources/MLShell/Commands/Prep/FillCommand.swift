import MLDiagnostics
import MLFrame
import MLLanguage
import MLPrep

/// `fill [DS] COL|[cols] mean|median|mode|min|max|knn|model | value=X`
struct FillCommand: ShellCommand {
    static let strategies = ["mean", "median", "mode", "min", "max", "knn", "model"]

    static let spec = CommandSpec(
        name: "fill", stage: .clean,
        abstract: "Fill missing values: with a statistic, a value, the nearest rows, or a model",
        discussion: """
            mean, median, min, max: of the column's values (numbers); mode: the most frequent value
            (ties: the smallest), also for text; value=X: a given value; knn [k=5]: the mean over the
            k nearest rows that have it (distance over the numeric columns, as scikit-learn's
            KNNImputer); model: a least-squares regression on the other numeric columns.
            The value is learned from the dataset's rows (a fitted column step): 'recipe' shows it,
            and new rows are filled with the same value.
            """,
        parameters: [
            Parameter("DS", .dataset, "the dataset (default: the current one)", optional: true),
            Parameter("COL", .value, "the column, or a list [a, b]"),
            Parameter("HOW", .word(strategies), "how to fill (or value=X)", optional: true),
        ],
        options: [
            OptionSpec("value", .value, "fill with this value instead"),
            OptionSpec("k", .integer, "neighbours for knn", default: "5"),
        ],
        binds: ["NAME"],
        examples: [
            Example("load \"tutorials/data/airquality.csv\""),
            Example("fill airquality Ozone median"),
            Example("fill airquality [Ozone, Solar.R] mean as filled"),
            Example("fill airquality Solar.R knn k=5"),
            Example("load \"tutorials/data/penguins.csv\""),
            Example("fill penguins sex mode"),
            Example("fill penguins bill_length_mm value=0"),
        ])

    static func run(_ call: CommandCall, in session: Session) throws {
        let d = try call.dataset(session)
        let columns = try call.columnNames(call.exprs("COL"), in: d)
        let how: FillHow
        if let v = try call.value("value") {
            if call.word("HOW") != nil { throw call.error(at: "value", "give either a way to fill or value=, not both") }
            switch v {
            case .number(let x): how = .number(x)
            case .string(let s): how = .text(s)
            case .bool(let b): how = .number(b ? 1 : 0)  // a bool column stays bool (see Fill.apply)
            default: throw call.error(at: "value", "value= takes a number or a text in quotes, got \(v.literal)")
            }
        } else {
            guard let word = call.word("HOW") else {
                throw call.error("'fill' needs how: " + strategies.joined(separator: ", ") + ", or value=X",
                                 hint: "e.g. fill \(d.name) \(columns[0]) median", id: .missingArgument)
            }
            switch word {
            case "mean": how = .mean
            case "median": how = .median
            case "mode": how = .mode
            case "min": how = .min
            case "max": how = .max
            case "knn": how = .knn(k: try call.integer("k") ?? 5)
            default: how = .model
            }
        }
        if call.has("k"), case .knn = how {} else if call.has("k") {
            throw call.error(at: "k", "k= goes with knn")
        }
        try call.runStep(.fill(columns: columns, how: how), on: d, in: session)
    }
}
