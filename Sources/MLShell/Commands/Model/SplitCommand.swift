import MLDiagnostics
import MLFrame
import MLPrep

/// `split [DS] FRACTION [seed=] [stratify=COL] as TRAIN TEST`
struct SplitCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "split", stage: .model,
        abstract: "Split a dataset's rows at random into a training and a test dataset",
        discussion: """
            FRACTION of the rows go to the first name, the rest to the second; each keeps the rows'
            order. stratify=COL keeps each value's share of COL on both sides. Both datasets carry the
            recipe so far. A fitted step (fill, scale, encode, clip…) that learned from rows now on the
            test side leaks test data into training: the shell says so once. Split first, then
            prepare — or let fit re-fit the recipe on the training rows only, which it does.
            """,
        parameters: [
            Parameter("DS", .dataset, "the dataset (default: the current one)", optional: true),
            Parameter("FRACTION", .number, "the share of rows for training, e.g. 0.8"),
        ],
        options: [
            OptionSpec("seed", .integer, "the random seed", default: "set seed"),
            OptionSpec("stratify", .name, "keep the shares of this column's values on both sides"),
        ],
        binds: ["TRAIN", "TEST"],
        examples: [
            Example("load \"tutorials/data/penguins.csv\""),
            Example("split penguins 0.8 seed=7 stratify=species as train test"),
        ])

    static func run(_ call: CommandCall, in session: Session) throws {
        let d = try call.dataset(session)
        guard call.binding.count == 2 else {
            throw call.error("'split' needs two names: split \(d.name) 0.8 as train test", id: .missingArgument)
        }
        let fraction = try call.number("FRACTION")!
        guard fraction > 0 && fraction < 1 else {
            throw call.error(at: "FRACTION", "the training share must be between 0 and 1, got \(Value.formatNumber(fraction))", hint: "e.g. 0.8 for 80% training rows")
        }
        let n = d.frame.rowCount
        guard n >= 2 else { throw call.error("\(d.name) has \(plural(n, "row")): too few to split") }
        if let s = try call.integer("seed"), s < 0 { throw call.error(at: "seed", "seed= takes a whole number ≥ 0") }
        let seed = try call.integer("seed").map { UInt64($0) } ?? session.settings.seed
        var rng = SeededRandom(seed: seed)
        var train: [Int] = []
        var strata = ""
        if let column = call.word("stratify") {
            try call.checkColumn(column, call.expr("stratify")!.range, in: d)
            let groups = Grouping(frame: d.frame, keys: [column])
            for rows in groups.rows() {
                let k = Int((Double(rows.count) * fraction).rounded())
                train += rng.sampleIndices(rows.count, k).map { rows[$0] }
            }
            train.sort()
            strata = ", stratified by \(column)"
        } else {
            train = rng.sampleIndices(n, Int((Double(n) * fraction).rounded()))
        }
        var inTrain = [Bool](repeating: false, count: n)
        for r in train { inTrain[r] = true }
        let test = (0..<n).filter { !inTrain[$0] }
        guard !train.isEmpty, !test.isEmpty else {
            throw call.error(at: "FRACTION", "a share of \(Value.formatNumber(fraction)) of \(plural(n, "row")) leaves one side empty")
        }
        let names = call.binding
        for name in names { try session.checkBindable(name, in: call.file) }
        if names[0].text == names[1].text {
            throw call.error("the two sides need two names, got '\(names[0].text)' twice", hint: "split \(d.name) \(Value.formatNumber(fraction)) as train test")
        }
        let command = call.command.sourceText
        session.bindDataset(d.subset(name: names[1].text, rows: test, command: command))
        session.bindDataset(d.subset(name: names[0].text, rows: train, command: command))
        // The shares as drawn: stratifying rounds each group, so they can differ from FRACTION.
        let percent = Int((Double(train.count) / Double(n) * 100).rounded())
        session.print("split \(d.name): \(train.count) rows to \(names[0].text), \(test.count) to \(names[1].text) (\(percent)/\(100 - percent), seed \(seed)\(strata))")
        warnAboutLeakage(d, testRows: test, session: session)
    }

    /// Says once which fitted steps learned from rows that are now test rows.
    static func warnAboutLeakage(_ d: Dataset, testRows: [Int], session: Session) {
        let ids = d.rowIDs
        var isTest = [Bool](repeating: false, count: (ids.max() ?? -1) + 1)
        for r in testRows { isTest[ids[r]] = true }
        let leaks = d.recipe.leaks { $0 < isTest.count && isTest[$0] }
        guard !leaks.isEmpty, !d.leakageWarned else { return }
        d.leakageWarned = true
        let steps = leaks.map { "'\($0.command)'" }.joined(separator: ", ")
        session.report(Diagnostic(.leakage, .warning,
            "\(steps) learned from rows that are now on the test side: that leaks test data into training (data leakage)",
            notes: ["the datasets show the values fitted on all rows; fit re-fits every step on the training rows only, so the model does not leak"],
            hint: "split first, then fill, scale or encode — or rely on fit's re-fit"))
    }
}

extension Diagnostic.ID {
    public static let leakage = Diagnostic.ID("leakage")
}
