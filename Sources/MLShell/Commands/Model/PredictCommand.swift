import MLDiagnostics
import MLFrame
import MLLearn
import MLPrep
import MLRender

/// `predict MODEL on DS [as NAME]` or `predict MODEL col=value ...`
struct PredictCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "predict", stage: .model,
        abstract: "Predict with a model: for a dataset's rows (adds columns), or for one row typed in",
        discussion: """
            The rows go through the model's own recipe, so they are given raw, as loaded (text,
            missing values and all). Adds 'prediction', and for classifiers one 'p_CLASS' column per class.
            Without 'as', the dataset gets a new version with these columns.
            """,
        parameters: [
            Parameter("MODEL", .name, "the model"),
            Parameter("DS", .dataset, "the dataset", optional: true, keyword: "on"),
        ],
        freeOptions: ("COL=VALUE", "one row's raw values, instead of a dataset"),
        binds: ["NAME"],
        examples: [
            Example("load \"tutorials/data/mtcars.csv\""),
            Example("fit linear mpg ~ wt + hp on mtcars as m"),
            Example("predict m wt=3 hp=120"),
            Example("predict m on mtcars as predicted"),
        ])

    static func run(_ call: CommandCall, in session: Session) throws {
        let m = try call.model(session)
        if !call.freeOptions.isEmpty {
            guard !call.has("DS") else { throw call.error("give either 'on DS' or COL=VALUE, not both") }
            try predictOne(m, call, session)
            return
        }
        let d = try call.dataset(session, parameter: "DS")
        let (design, _) = try m.design(for: d, session: session, call: call, needTarget: false)
        let (values, probabilities) = m.predict(design.x, interrupt: session.interrupt)
        try session.interrupt.check()
        var frame = d.frame
        let n = frame.rowCount
        // Rows left out (a missing feature) get a missing prediction.
        var prediction = [Double](repeating: .nan, count: n)
        for (k, r) in design.rows.enumerated() { prediction[r] = values[k] }
        if let classes = m.classes ?? (m.task == .clustering ? nil : nil) {
            var codes = [UInt32](repeating: 0, count: n)
            var valid = [Bool](repeating: false, count: n)
            for r in 0..<n where !prediction[r].isNaN { codes[r] = UInt32(prediction[r]); valid[r] = true }
            // The predicted class in the target's own type, so that `prediction == am` compares.
            let storage: ColumnStorage
            switch m.inputs.first(where: { $0.name == m.target })?.type {
            case .int64? where classes.allSatisfy({ Int64($0) != nil }):
                storage = .int(codes.map { Int64(classes[Int($0)])! })
            case .float64? where classes.allSatisfy({ Double($0) != nil }):
                storage = .float(codes.map { Double(classes[Int($0)])! })
            case .bool? where classes.allSatisfy({ $0 == "true" || $0 == "false" }):
                storage = .bool(codes.map { classes[Int($0)] == "true" })
            default:
                storage = .string(codes: codes, dictionary: classes)
            }
            frame.setColumn(Column(name: "prediction", storage: storage, validity: Bitmap(valid)))
            for (j, c) in classes.enumerated() {
                var p = [Double](repeating: .nan, count: n)
                for (k, r) in design.rows.enumerated() { p[r] = probabilities![k][j] }
                frame.setColumn(Column(name: "p_\(c)", storage: .float(p), validity: Bitmap(p.map { !$0.isNaN })))
            }
        } else if m.task == .clustering {
            frame.setColumn(Column(name: "cluster", storage: .int(prediction.map { $0.isNaN ? 0 : Int64($0) }), validity: Bitmap(prediction.map { !$0.isNaN })))
        } else {
            frame.setColumn(Column(name: "prediction", storage: .float(prediction), validity: Bitmap(prediction.map { !$0.isNaN })))
        }
        let added = frame.columns.count - d.frame.columns.count
        let replaced = frame.columns.filter { c in d.frame.index(of: c.name) != nil && (c.name == "prediction" || c.name == "cluster" || c.name.hasPrefix("p_")) }.count
        if let name = call.binding.first {
            try session.checkBindable(name, in: call.file)
            session.bindDataset(d.summary(name: name.text, frame: frame, command: call.command.sourceText))
        } else {
            d.push(frame, step: call.command.sourceText)
            session.makeCurrent(d)
        }
        let missing = n - design.rows.count
        let what = [added > 0 ? "added \(plural(added, "column"))" : nil, replaced > 0 ? "replaced \(plural(replaced, "column"))" : nil].compactMap { $0 }
        session.print("\(call.binding.first?.text ?? d.name): " + what.joined(separator: " and ") + " of predictions by \(m.name)" + (missing > 0 ? " (\(missing) rows with a missing feature have none)" : ""))
    }

    /// One row typed at the prompt, raw: through the recipe, then the model.
    static func predictOne(_ m: TrainedModel, _ call: CommandCall, _ session: Session) throws {
        var columns: [Column] = []
        for (name, e) in call.freeOptions {
            let input = m.inputs.first { $0.name == name.text }
            let v = try Evaluator(session: session, file: call.file).evaluate(e)
            switch v {
            case .number(let d) where input?.type == .int64 && d == d.rounded() && abs(d) < 9e18: columns.append(Column(name: name.text, storage: .int([Int64(d)])))
            case .number(let d): columns.append(Column(name: name.text, storage: .float([d])))
            case .string(let s) where input.map({ $0.type.isNumeric }) ?? false:
                throw Diagnostic(.wrongArgumentType, .error, "\(name.text)= takes a number: \(m.name) learned it from \(input!.type.rawValue) values, not text like \"\(s)\"",
                                 file: call.file, range: e.range, hint: "write it without quotes, e.g. \(name.text)=17.5, or leave it out to make it missing")
            case .string(let s): columns.append(Column(name: name.text, storage: .string(codes: [0], dictionary: [s])))
            case .bool(let b): columns.append(Column(name: name.text, storage: .bool([b])))
            case .missing: columns.append(Column(name: name.text, storage: .float([.nan]), validity: Bitmap(count: 1, allValid: false)))
            default: throw Diagnostic(.wrongArgumentType, .error, "\(name.text)= takes a number or a text, got \(v.kindName)", file: call.file, range: e.range)
            }
        }
        // The raw columns not typed in are missing, as a served model takes them.
        let typed = Set(columns.map(\.name))
        for input in m.inputs where !typed.contains(input.name) {
            let storage: ColumnStorage
            switch input.type {
            case .string: storage = .string(codes: [0], dictionary: [""])
            case .int64: storage = .int([0])
            case .bool: storage = .bool([false])
            case .date: storage = .date([0])
            case .float64: storage = .float([.nan])
            }
            columns.append(Column(name: input.name, storage: storage, validity: Bitmap(count: 1, allValid: false)))
        }
        for c in columns where !m.inputs.contains(where: { $0.name == c.name }) {
            throw call.error("\(m.name) takes no input '\(c.name)'", hint: Suggest.didYouMean(c.name, in: m.inputs.map(\.name))
                             ?? "its inputs: " + m.inputs.map(\.name).joined(separator: ", "))
        }
        let engine = SessionExpressionEngine(session: session, datasetName: m.trainedOn)
        let frame: Frame
        do { frame = try m.recipe.apply(Frame(columns: columns), engine: engine) } catch let e as Diagnostic {
            throw e.located(in: call.file, call.command.range)
        }
        let design = try Design.build(frame, features: m.features, target: nil, classes: m.classes, classification: false,
                                      file: call.file, range: call.command.range)
        guard design.x.rows == 1 else {
            let absent = m.features.filter { f in frame.column(f).map { !$0.isValid(0) } ?? true }
            // A value given but unknown to the recipe (an ordinal category never seen) is missing after it.
            if let given = absent.first(where: { typed.contains($0) }) {
                throw call.error("no prediction: the value given for \(given) is one the model's recipe never saw, so it has no value for it",
                                 hint: "the recipe lists the values it knows: recipe \(m.trainedOn)", id: .missingArgument)
            }
            throw call.error("no prediction: after the recipe, this row has no value for " + absent.joined(separator: ", "),
                             hint: "give the raw values it comes from, e.g. " + absent.prefix(3).map { "\($0)=…" }.joined(separator: " "), id: .missingArgument)
        }
        let (values, probabilities) = m.predict(design.x, interrupt: session.interrupt)
        try session.interrupt.check()
        // `as NAME` binds the answer: the class as text, else the number.
        var answer: Value = .number(values[0])
        if let classes = m.classes, let p = probabilities?.first {
            answer = .string(classes[Int(values[0])])
            session.print("\(classes[Int(values[0])])  (" + zip(classes, p).map { "\($0) \(NumberFormat.compact($1, significant: 3))" }.joined(separator: ", ") + ")")
        } else if m.task == .clustering {
            session.print("cluster \(Int(values[0]))")
        } else {
            session.print(NumberFormat.cell(values[0]))
        }
        if let name = call.binding.first {
            try session.checkBindable(name, in: call.file)
            session.bind(name.text, answer)
        }
    }
}
