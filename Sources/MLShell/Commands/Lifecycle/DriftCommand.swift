import MLDiagnostics
import MLLanguage
import MLFrame
import MLMonitor
import MLModel

/// `drift REF vs CUR [model=M] [cols=[…]]`
struct DriftCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "drift", stage: .lifecycle,
        abstract: "Test two datasets, or a model's training reference and a dataset, for drift, column by column",
        discussion: """
            The tests are Evidently's defaults for tabular data. With at most 1000 reference rows: \
            Kolmogorov-Smirnov for numeric columns with more than 5 distinct values, chi-square for \
            other categorical ones, a Z-test for columns of at most 2 values (a column drifts at \
            p <= 0.05). With more: the Wasserstein distance over the reference's std for numeric \
            columns and Jensen-Shannon for categorical ones (a column drifts at 0.1 or more). The \
            dataset drifts when half its columns or more do. PSI over the reference's 10 quantile bins \
            is shown beside it (under 0.1 \
            stable, up to 0.25 watch, above that act). Whole-number columns with at most 10 values \
            are categorical; missing values are left out. \
            A model as REF compares with its training reference, kept in the model (the raw inputs \
            it reads and its predictions): up to 1000 values of each numeric input, and 1000 \
            evenly spaced order statistics past that.
            """,
        parameters: [
            Parameter("REF", .name, "the reference: a dataset, or a model (its training reference)"),
            Parameter("CUR", .dataset, "the rows to test against it", keyword: "vs"),
        ],
        options: [
            OptionSpec("model", .name, "only this model's inputs, and its predictions on both datasets"),
            OptionSpec("cols", .value, "only these columns, e.g. cols=[bill_length_mm, sex]", default: "all"),
        ],
        examples: [
            Example("load \"tutorials/data/penguins.csv\""),
            Example("where penguins island == \"Biscoe\" as biscoe"),
            Example("where penguins island != \"Biscoe\" as others"),
            Example("drift biscoe vs others cols=[bill_length_mm, flipper_length_mm, sex]"),
            Example("fit logistic sex ~ bill_length_mm + body_mass_g on biscoe as m"),
            Example("drift m vs others", "against the model's training reference"),
        ])

    static func run(_ call: CommandCall, in session: Session) throws {
        let current = try call.dataset(session, parameter: "CUR")
        guard let refExpr = call.expr("REF"), let refName = refExpr.asName?.text else { throw call.error(at: "REF", "expected a dataset's or a model's name") }
        var (reference, compared) = try DriftSides.columns(call, session, reference: refName, at: refExpr.range, current: current,
                                                           model: call.has("model") ? try call.model(session, parameter: "model") : nil)
        if let cols = call.expr("cols") {
            let items: [Expr]
            if case .list(let l) = cols.kind { items = l } else { items = [cols] }
            guard !items.isEmpty else { throw call.error(at: "cols", "cols= is empty", hint: "leave it out to compare every column") }
            var wanted: [String] = []
            for item in items {
                guard let name = item.asName?.text else { throw Diagnostic(.badArgument, .error, "expected a column name", file: call.file, range: item.range) }
                if !compared.contains(where: { $0.name == name }) {
                    let why = current.frame.index(of: name) == nil ? "\(current.name) has no column '\(name)'"
                        : "'\(name)' is not compared: " + (session.model(named: refName).map { "\($0.name) does not read it" } ?? "\(refName) has no such column")
                    let typo = current.frame.index(of: name) == nil ? Suggest.didYouMean(name, in: compared.map(\.name)) : nil
                    throw Diagnostic(.unknownColumn, .error, why, file: call.file, range: item.range,
                                     hint: typo ?? "the columns compared: " + compared.map(\.name).joined(separator: ", "))
                }
                wanted.append(name)
            }
            compared = compared.filter { wanted.contains($0.name) }
        }
        let report = Drift.report(reference: reference, current: compared)
        let empty = compared.filter { c in !report.columns.contains { $0.column == c.name } }.map(\.name)
        if !empty.isEmpty && !report.columns.isEmpty {
            session.report(Diagnostic(.learnError, .note, "left out, with no values on one side: " + empty.joined(separator: ", ")))
        }
        guard !report.columns.isEmpty else {
            if current.frame.rowCount == 0 { throw call.error(at: "CUR", "\(current.name) has no rows", hint: "drift needs rows on both sides") }
            if let d = session.dataset(named: refName), d.frame.rowCount == 0 { throw call.error(at: "REF", "\(refName) has no rows", hint: "drift needs rows on both sides") }
            throw call.error(empty.isEmpty ? "\(refName) and \(current.name) have no column in common" : "no column has values on both sides: " + empty.joined(separator: ", "),
                             hint: empty.isEmpty ? "compare datasets with the same columns" : "missing values are left out; pick columns that have some")
        }
        session.print("\(refName) (reference) vs \(current.name): \(plural(report.columns.count, "column"))")
        session.printTable(DriftTable.table(report))
    }
}

/// The two sides of a drift comparison, as `drift` and `plot drift` take them: a dataset or a
/// model's training reference, against a dataset's rows as they are now.
enum DriftSides {
    static func columns(_ call: CommandCall, _ session: Session, reference refName: String, at range: SourceRange?, current: Dataset,
                        model restrict: Model?) throws -> (reference: [DriftColumn], current: [DriftColumn]) {
        var reference: [DriftColumn]
        var compared: [DriftColumn]
        if let model = session.model(named: refName) {
            if restrict != nil { throw call.error(at: "model", "the reference is already the model \(refName)", hint: "drift \(refName) vs \(current.name)") }
            guard let ref = ModelDrift.reference(model) else {
                throw Diagnostic(.badArgument, .error, "\(refName) carries no training reference", file: call.file, range: range,
                                 hint: "fit it again (models fitted now keep one), or compare two datasets")
            }
            let raw = rawRows(current, for: model)
            let missing = model.usedInputs.map(\.name).filter { raw.index(of: $0) == nil }
            if !missing.isEmpty {
                throw call.error("\(current.name) lacks \(missing.count == 1 ? "the input" : "the inputs") \(missing.joined(separator: ", ")) that \(refName) reads",
                                 hint: "compare rows with the columns \(refName) was fitted on: " + model.usedInputs.map(\.name).joined(separator: ", "))
            }
            reference = ref
            compared = ModelDrift.current(model, raw: raw, engine: SessionExpressionEngine(session: session, datasetName: current.name))
            if compared.count < reference.count { note(session, model.name, current.name) }
        } else if let d = session.dataset(named: refName) {
            reference = d.frame.columns.map { DriftColumn($0) }
            compared = current.frame.columns.filter { d.frame.index(of: $0.name) != nil }.map { DriftColumn($0) }
            if let model = restrict {
                let inputs = Set(model.usedInputs.map(\.name))
                reference = reference.filter { inputs.contains($0.name) }
                compared = compared.filter { inputs.contains($0.name) }
                // The model's answers on each side, as one more column.
                func predictions(_ side: Dataset) -> DriftColumn? {
                    ModelDrift.predictions(model, raw: rawRows(side, for: model),
                                           engine: SessionExpressionEngine(session: session, datasetName: side.name))
                }
                if let r = predictions(d), let c = predictions(current) {
                    reference.append(r)
                    compared.append(c)
                } else {
                    note(session, model.name, predictions(d) == nil ? d.name : current.name)
                }
            }
        } else {
            let names = session.datasetNames + session.modelNames
            throw Diagnostic(.unknownName, .error, "no dataset or model named '\(refName)'", file: call.file, range: range,
                             hint: Suggest.didYouMean(refName, in: names) ?? (names.isEmpty ? "load a dataset first: load \"FILE.csv\"" : "the datasets and models: " + names.joined(separator: ", ")))
        }
        // Columns of different kinds (numbers on one side, texts or dates on the other) are not comparable.
        if let d = session.dataset(named: refName) {
            compared = compared.filter { c in
                guard let a = d.frame.column(c.name)?.type, let b = current.frame.column(c.name)?.type else { return true }
                let numeric: Set<ColumnType> = [.int64, .float64]
                if a == b || (numeric.contains(a) && numeric.contains(b)) { return true }
                session.report(Diagnostic(.learnError, .note, "'\(c.name)' is \(a.rawValue) in \(d.name) but \(b.rawValue) in \(current.name): left out",
                                          hint: "cast one side first: cast \(current.name) \(c.name) \(a.rawValue)"))
                return false
            }
        }
        return (reference, compared)
    }

    /// A dataset's rows for a model: as loaded (the model applies its own recipe), except the
    /// columns the dataset itself rewrote with a step the model does not have (a derive, cast or
    /// clip over an input: what a client would now send), taken as they are now.
    static func rawRows(_ d: Dataset, for model: Model) -> Frame {
        let raw = d.loaded.take(d.rowIDs)
        guard d.frame.rowCount == raw.rowCount else { return raw }
        let own = Set(model.recipe.entries.map(\.command))
        var rewritten = Set<String>()
        for e in d.recipe.entries where !own.contains(e.command) {
            switch e.step {
            case .derive(let name, _): rewritten.insert(name)
            case .cast(let column, _), .clip(let column, _, _): rewritten.insert(column)
            default: break
            }
        }
        return Frame(columns: raw.columns.map { rewritten.contains($0.name) ? (d.frame.column($0.name) ?? $0) : $0 })
    }

    static func note(_ session: Session, _ model: String, _ rows: String) {
        session.report(Diagnostic(.learnError, .note, "\(model) gives no predictions for \(rows)'s rows: the prediction row is left out",
                                  hint: "predict \(model) on \(rows) says why"))
    }
}
