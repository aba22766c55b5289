import MLDiagnostics
import MLFrame
import MLLanguage

/// `join A B on KEY, ... | on A_KEY = B_KEY [how=…] [suffix="…"] [validate=…] [as NAME]`
struct JoinCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "join", stage: .data,
        abstract: "Combine two datasets' rows on key columns: inner, left, right, outer, semi or anti",
        discussion: """
            on KEY joins on a column both have; on a_id = b_id on columns named differently; \
            several keys with commas. A missing key matches a missing key (as pandas' merge). \
            Rows come in the left dataset's order, each with its matches in the right's order \
            (how=right: the right's order; outer: then the right's rows no left row matched). \
            The right's columns follow the left's; a key both have is kept once, and another \
            column both have gets suffix= (default "_" and the right dataset's name). Keys of \
            different kinds (text and numbers) are an error; keys repeated on the right are \
            reported before they repeat left rows. validate= checks one_to_one, one_to_many or \
            many_to_one as pandas names them. The result is a new dataset (A_B unless as NAME) \
            whose history starts at the join.
            """,
        parameters: [
            Parameter("A", .dataset, "the left dataset"),
            Parameter("B", .dataset, "the right dataset"),
            Parameter("KEY", .expression, "the key columns", optional: true, keyword: "on", variadic: true),
        ],
        options: [
            OptionSpec("how", .word(JoinKind.allCases.map(\.rawValue)), "which rows to keep", default: "inner"),
            OptionSpec("suffix", .string, "added to a right column whose name the left has", default: "\"_\" + B"),
            OptionSpec("validate", .word(["one_to_one", "one_to_many", "many_to_one"]), "check how keys may repeat", default: "none"),
        ],
        freeOptions: ("A_KEY=B_KEY", "a key pair named differently on each side"),
        binds: ["NAME"],
        examples: [
            Example("load \"tutorials/data/penguins.csv\""),
            Example("group penguins by island summarize mean_mass=mean(body_mass_g) as islands"),
            Example("join penguins islands on island how=left as with_means"),
        ])

    static func run(_ call: CommandCall, in session: Session) throws {
        let a = try call.dataset(session, parameter: "A"), b = try call.dataset(session, parameter: "B")
        // Keys: `on k` (the same name on both sides) or `on a_id = b_id` (read as an option).
        var pairs: [(String, String, SourceRange)] = []
        for e in call.exprs("KEY") {
            guard let n = e.asName else { throw Diagnostic(.badArgument, .error, "a join key is a column name, or a_id = b_id", file: call.file, range: e.range) }
            pairs.append((n.text, n.text, e.range))
        }
        for (name, value) in call.freeOptions {
            // `hw=left` is a mistyped option more likely than a key pair of a column 'hw'.
            if a.frame.index(of: name.text) == nil, let typo = Suggest.didYouMean(name.text, in: ["how", "suffix", "validate"]) {
                throw Diagnostic(.unknownOption, .error, "'\(name.text)' is neither an option of join nor a column of \(a.name)", file: call.file,
                                 range: name.range, hint: typo)
            }
            guard let other = value.asName else {
                throw Diagnostic(.badArgument, .error, "'\(name.text)=' is not an option of join; a key pair is a_id = b_id", file: call.file,
                                 range: name.range.union(value.range), hint: "the options are: how, suffix, validate")
            }
            pairs.append((name.text, other.text, name.range.union(value.range)))
        }
        guard !pairs.isEmpty else {
            throw call.error("join needs its keys: on KEY, or on a_id = b_id", hint: "e.g. join \(a.name) \(b.name) on id", id: .missingArgument)
        }
        for (l, r, range) in pairs {
            try call.checkColumn(l, range, in: a)
            try call.checkColumn(r, range, in: b)
            let lt = a.frame.column(l)!.type, rt = b.frame.column(r)!.type
            guard Self.comparable(lt, rt) else {
                throw Diagnostic(.wrongArgumentType, .error, "the keys differ in kind: \(a.name).\(l) is \(lt.rawValue), \(b.name).\(r) is \(rt.rawValue)",
                                 file: call.file, range: range, hint: "cast one to the other's type first, e.g. cast \(b.name) \(r) \(lt.castWord)")
            }
        }
        let how = JoinKind(rawValue: call.word("how") ?? "inner")!
        let suffix = try call.string("suffix") ?? "_" + b.name
        let left = pairs.map { a.frame.column($0.0)! }, right = pairs.map { b.frame.column($0.1)! }
        var notes: [String] = []
        // Repeated keys, counted before they repeat rows; validate= makes them errors.
        let keys = FrameJoin.keys(left, right)
        let repeatsLeft = keys.repeats(left: true), repeatsRight = keys.repeats(left: false)
        if let v = call.word("validate") {
            let side = (v == "one_to_one" || v == "one_to_many") && repeatsLeft.keys > 0 ? (a.name, repeatsLeft)
                : (v == "one_to_one" || v == "many_to_one") && repeatsRight.keys > 0 ? (b.name, repeatsRight) : nil
            if let (name, r) = side {
                throw call.error(at: "validate", "validate=\(v): \(plural(r.keys, "key")) \(r.keys == 1 ? "appears" : "appear") more than once in \(name) (\(r.rows) rows)",
                                 hint: "the keys of \(name) must be unique for \(v); count \(name) by \(pairs.map { name == a.name ? $0.0 : $0.1 }.joined(separator: ", ")) shows them")
            }
        } else if repeatsRight.keys > 0 && how != .semi && how != .anti {
            notes.append("note: \(plural(repeatsRight.keys, "key")) \(repeatsRight.keys == 1 ? "appears" : "appear") more than once in \(b.name) (\(repeatsRight.rows) rows): each match repeats a row of \(a.name)")
        }
        // Keys repeated on both sides multiply: the rows are counted before any is made.
        let size = FrameJoin.size(keys, how: how)
        guard size <= 200_000_000 else {
            throw call.error("the join would make \(size == Int.max ? "more rows than can be counted" : plural(size, "row")): keys repeat on both sides (\(plural(repeatsLeft.keys, "key")) in \(a.name), \(plural(repeatsRight.keys, "key")) in \(b.name))",
                             hint: "join on more keys, or make one side's keys unique first (group it by the keys)")
        }
        let (li, ri) = FrameJoin.match(keys, how: how)
        let frame = try Self.assemble(a, b, pairs.map { ($0.0, $0.1) }, li, ri, how: how, suffix: suffix, call: call)
        let name = call.binding.first?.text ?? "\(a.name)_\(b.name)"
        let source = DataSource(path: "join of \(a.source.path) and \(b.source.path)", bytes: 0, rows: frame.rowCount,
                                options: "on " + pairs.map { $0.0 == $0.1 ? $0.0 : "\($0.0) = \($0.1)" }.joined(separator: ", ") + " how=\(how.rawValue)")
        let joined = Dataset(name: name, frame: frame, source: source, step: call.command.sourceText)
        joined.summaryOf = call.command.sourceText
        session.bindDataset(joined)
        let unmatched = how == .left || how == .outer ? li.indices.filter { ri[$0] < 0 && li[$0] >= 0 }.count : 0
        var line = "\(name): joined \(a.name) and \(b.name) (\(how.rawValue)): \(plural(frame.rowCount, "row")) × \(plural(frame.columns.count, "column"))"
        if unmatched > 0 { line += "; \(plural(unmatched, "row")) of \(a.name) found no match" }
        if how == .right || how == .outer {
            let fromRight = li.filter { $0 < 0 }.count
            if fromRight > 0 { line += "; \(plural(fromRight, "row")) of \(b.name) matched no row of \(a.name)" }
        }
        session.print(line)
        let missingKeys = left.contains { $0.validity != nil } ? (0..<a.frame.rowCount).filter { r in left.contains { !$0.isValid(r) } }.count : 0
        if missingKeys > 0 { notes.append("note: \(plural(missingKeys, "row")) of \(a.name) \(missingKeys == 1 ? "has" : "have") a missing key; a missing key matches a missing key") }
        notes += Self.frozenSteps([a, b])
        for n in notes { session.print(n) }
    }

    /// The steps that learned from rows (fill, scale, encode…) in the inputs' recipes: their
    /// results are in the combined rows, but a model fitted on them does not carry the steps.
    static func frozenSteps(_ inputs: [Dataset]) -> [String] {
        inputs.compactMap { d in
            let fitted = d.recipe.entries.filter { !$0.step.isRowStep }
            guard !fitted.isEmpty else { return nil }
            return "note: the column \(fitted.count == 1 ? "step" : "steps") of \(d.name) (\(fitted.map(\.command).joined(separator: "; "))) \(fitted.count == 1 ? "is" : "are") applied in these rows, "
                + "not carried: a model fitted on them takes their output as its input. Prepare after combining, so that fit re-fits the steps"
        }
    }

    static func comparable(_ a: ColumnType, _ b: ColumnType) -> Bool {
        a == b || (a.isNumeric && b.isNumeric)
    }

    /// The joined frame: the left's columns, then the right's (a key of the same name once, taken
    /// from the right where the left has no row; another shared name with the suffix).
    static func assemble(_ a: Dataset, _ b: Dataset, _ keys: [(String, String)], _ li: [Int], _ ri: [Int], how: JoinKind,
                         suffix: String, call: CommandCall) throws -> Frame {
        let fromRight = li.map { $0 < 0 }
        // Both sides' columns gathered at once, on both cores (gathers and page faults are the cost).
        let gathered = Column.taking(a.frame.columns.map { ($0, li) } + b.frame.columns.map { ($0, ri) })
        let leftTaken = Array(gathered[0..<a.frame.columns.count]), rightTaken = Array(gathered[a.frame.columns.count...])
        var columns: [Column] = zip(a.frame.columns, leftTaken).map { c, taken in
            var taken = taken
            if let key = keys.first(where: { $0.0 == c.name && $0.1 == c.name }), fromRight.contains(true) {
                taken = taken.coalesced(with: rightTaken[b.frame.index(of: key.1)!], useOther: fromRight)
            }
            return taken
        }
        guard how != .semi && how != .anti else { return Frame(columns: columns) }
        let sharedKeys = Set(keys.filter { $0.0 == $0.1 }.map(\.1))
        var names = Set(a.frame.columnNames)
        for (c, taken) in zip(b.frame.columns, rightTaken) where !sharedKeys.contains(c.name) {
            var taken = taken
            if names.contains(c.name) {
                taken.name = c.name + suffix
                guard !names.contains(taken.name), b.frame.index(of: taken.name) == nil else {
                    throw call.error("\(a.name) and \(b.name) both have '\(c.name)', and '\(taken.name)' is taken too",
                                     hint: "give another suffix=, e.g. suffix=\"_\(b.name)2\"")
                }
            }
            names.insert(taken.name)
            columns.append(taken)
        }
        return Frame(columns: columns)
    }
}
