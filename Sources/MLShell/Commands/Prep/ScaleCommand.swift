import MLFrame
import MLPrep

/// `scale [DS] zscore|minmax|robust [cols]`
struct ScaleCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "scale", stage: .clean,
        abstract: "Put numeric columns on a common scale: zscore, minmax or robust",
        discussion: """
            zscore: (x − mean) / std, with the population std (ddof=0), as scikit-learn's StandardScaler;
            minmax: (x − min) / (max − min); robust: (x − median) / IQR. The centre and scale are learned
            from the rows (a fitted column step). A constant column scales to 0, with a note. Missing
            values stay missing. Without columns: every numeric column.
            """,
        parameters: [
            Parameter("DS", .dataset, "the dataset (default: the current one)", optional: true),
            Parameter("METHOD", .word(["zscore", "minmax", "robust"]), "how to scale"),
            Parameter("COL", .value, "the columns (default: every numeric column)", optional: true, variadic: true),
        ],
        binds: ["NAME"],
        examples: [
            Example("load \"tutorials/data/penguins.csv\""),
            Example("scale penguins zscore [bill_length_mm, body_mass_g]"),
            Example("scale penguins minmax as scaled"),
        ])

    static func run(_ call: CommandCall, in session: Session) throws {
        let d = try call.dataset(session)
        let columns = try call.columnsOrAll("COL", in: d, where: { $0.type.isNumeric }, kind: "numeric")
        try call.runStep(.scale(columns: columns, method: ScaleMethod(rawValue: call.word("METHOD")!)!), on: d, in: session)
    }
}

/// `normalize [DS] l1|l2|max [cols]`
struct NormalizeCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "normalize", stage: .clean,
        abstract: "Scale each row to unit norm over some columns (l1, l2 or max), as scikit-learn's Normalizer",
        parameters: [
            Parameter("DS", .dataset, "the dataset (default: the current one)", optional: true),
            Parameter("NORM", .word(["l1", "l2", "max"]), "the norm"),
            Parameter("COL", .value, "the columns (default: every numeric column)", optional: true, variadic: true),
        ],
        binds: ["NAME"],
        examples: [Example("load \"tutorials/data/iris.csv\""), Example("normalize iris l2 [Sepal.Length, Sepal.Width]")])

    static func run(_ call: CommandCall, in session: Session) throws {
        let d = try call.dataset(session)
        let columns = try call.columnsOrAll("COL", in: d, where: { $0.type.isNumeric }, kind: "numeric")
        try call.runStep(.normalize(columns: columns, norm: Norm(rawValue: call.word("NORM")!)!), on: d, in: session)
    }
}

/// `cast [DS] COL TYPE`
struct CastCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "cast", stage: .clean,
        abstract: "Change a column's type: int, float, bool, string or date",
        discussion: "Values that do not convert become missing, and a note says how many (with the first of them).",
        parameters: [
            Parameter("DS", .dataset, "the dataset (default: the current one)", optional: true),
            Parameter("COL", .name, "the column"),
            Parameter("TYPE", .word(["int", "float", "bool", "string", "date"]), "the new type"),
        ],
        binds: ["NAME"],
        examples: [Example("load \"tutorials/data/penguins.csv\""), Example("cast penguins year string"), Example("cast penguins year int")])

    static func run(_ call: CommandCall, in session: Session) throws {
        let d = try call.dataset(session)
        let column = try call.columnNames([call.expr("COL")!], in: d)[0]
        try call.runStep(.cast(column: column, type: ColumnType.named(call.word("TYPE")!)!), on: d, in: session)
    }
}
