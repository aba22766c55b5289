import MLDiagnostics
import MLFrame
import MLModel
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
        options: [OptionSpec("threshold", .number, "two classes: the positive class from this probability up", default: "0.5"),
                  OptionSpec("positive", .value, "two classes: the class threshold= is for", default: "the model's, or the second class")],
        freeOptions: ("COL=VALUE", "one row's raw values, instead of a dataset"),
        binds: ["NAME"],
        examples: [
            Example("load \"tutorials/data/mtcars.csv\""),
            Example("fit linear mpg ~ wt + hp on mtcars as m"),
            Example("predict m wt=3 hp=120"),
            Example("predict m on mtcars as predicted"),
            Example("load \"tutorials/data/titanic.csv\""),
            Example("fit logistic survived ~ age on titanic as older"),
            Example("predict older age=30 threshold=0.35 positive=yes"),
        ])

    static func run(_ call: CommandCall, in session: Session) throws {
        let m = try call.model(session)
        // positive= and threshold= are checked against the model before anything is predicted.
        let choice = try BinaryChoice.read(call, m)
        if !call.freeOptions.isEmpty {
            guard !call.has("DS") else { throw call.error("give either 'on DS' or COL=VALUE, not both") }
            try predictOne(m, choice, call, session)
            return
        }
        let d = try call.dataset(session, parameter: "DS")
        let (design, _) = try m.design(for: d, session: session, call: call, needTarget: false)
        var (values, probabilities) = m.predict(design, interrupted: session.interruptCheck)
        try session.interrupt.check()
        if let choice, let p = probabilities { values = p.map { Double(choice.classify($0)) } }
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
            switch m.targetType {
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

    /// One row typed at the prompt, raw: the model's own path from raw values to an answer.
    static func predictOne(_ m: Model, _ choice: BinaryChoice?, _ call: CommandCall, _ session: Session) throws {
        var row: [String: RawValue] = [:]
        for (name, e) in call.freeOptions {
            let input = m.inputs.first { $0.name == name.text }
            guard input != nil else {
                throw Diagnostic(.unknownName, .error, "\(m.name) takes no input '\(name.text)'", file: call.file, range: name.range,
                                 hint: Suggest.didYouMean(name.text, in: m.inputs.map(\.name)) ?? "its inputs: " + m.usedInputs.map(\.name).joined(separator: ", "))
            }
            let v = try Evaluator(session: session, file: call.file).evaluate(e)
            switch v {
            case .number(let d): row[name.text] = .number(d)
            case .string(let s) where input!.type.isNumeric:
                throw Diagnostic(.wrongArgumentType, .error, "\(name.text)= takes a number: \(m.name) learned it from \(input!.type.rawValue) values, not text like \"\(s)\"",
                                 file: call.file, range: e.range, hint: "write it without quotes, e.g. \(name.text)=17.5, or leave it out to make it missing")
            case .string(let s): row[name.text] = .text(s)
            case .bool(let b): row[name.text] = .bool(b)
            case .missing: row[name.text] = .missing
            default: throw Diagnostic(.wrongArgumentType, .error, "\(name.text)= takes a number or a text, got \(v.kindName)", file: call.file, range: e.range)
            }
        }
        let engine = SessionExpressionEngine(session: session, datasetName: m.trainedOn)
        let answer: Prediction
        do {
            answer = try m.predict(rows: [row], engine: engine, interrupted: session.interruptCheck)[0]
        } catch let e as Diagnostic {
            throw e.located(in: call.file, call.command.range)
        }
        try session.interrupt.check()
        guard let value = answer.value else {
            let absent = answer.missingFeatures
            // A value given but unknown to the recipe (an ordinal category never seen) is missing after it.
            if let given = absent.first(where: { row[$0] != nil && row[$0] != .missing }) {
                throw call.error("no prediction: the value given for \(given) is one the model's recipe never saw, so it has no value for it",
                                 hint: session.dataset(named: m.trainedOn) != nil ? "the recipe lists the values it knows: recipe \(m.trainedOn)" : "show \(m.name) lists the values its recipe knows", id: .missingArgument)
            }
            throw call.error("no prediction: after the recipe, this row has no value for " + absent.joined(separator: ", "),
                             hint: "give the raw values it comes from, e.g. " + absent.prefix(3).map { "\($0)=…" }.joined(separator: " "), id: .missingArgument)
        }
        // `as NAME` binds the answer: the class as text, else the number.
        var bound: Value
        if let classes = m.classes, let p = answer.probabilities, var k = answer.classIndex {
            if let choice { k = choice.classify(p) }
            bound = .string(classes[k])
            session.print("\(classes[k])  (" + zip(classes, p).map { "\($0) \(NumberFormat.compact($1, significant: 3))" }.joined(separator: ", ") + ")")
        } else if m.task == .clustering, let k = answer.classIndex {
            bound = .number(Double(k))
            session.print("cluster \(k)")
        } else {
            guard case .number(let d) = value else { return }
            bound = .number(d)
            session.print(NumberFormat.cell(d))
        }
        // A text the model never saw in training still gets an answer (one-hot: all zeros): say so,
        // since the answer then rests on the other inputs alone.
        for input in m.inputs {
            guard case .text(let t)? = row[input.name], let seen = input.categories, !seen.contains(t) else { continue }
            let known = seen.prefix(6).map { "\"\($0)\"" }.joined(separator: ", ") + (seen.count > 6 ? ", …" : "")
            session.print("note: \(input.name)=\"\(t)\" was never seen in training (it saw \(known)); the answer rests on the other inputs")
        }
        if let name = call.binding.first {
            try session.checkBindable(name, in: call.file)
            session.bind(name.text, bound)
        }
    }
}
