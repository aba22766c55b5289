import MLDiagnostics
import MLFrame
import MLLanguage
import MLRender
import MLPrep

extension CommandCall {
    /// The dataset the DS parameter names, or the current one when it is left out.
    func dataset(_ session: Session, parameter: String = "DS") throws(Diagnostic) -> Dataset {
        if let e = expr(parameter) {
            guard let name = e.asName else {
                throw error(at: parameter, "expected a dataset's name here", id: .unknownName)
            }
            if let d = session.dataset(named: name.text) { return d }
            var hint = Suggest.didYouMean(name.text, in: session.datasetNames)
            if hint == nil, let current = session.currentDataset, current.frame.index(of: name.text) != nil {
                hint = "'\(name.text)' is a column of \(current.name); name the dataset first: \(spec.name) \(current.name) …"
            }
            // A misspelt column of the current dataset, where the dataset may be left out.
            if hint == nil, let current = session.currentDataset,
               let close = Suggest.nearest(name.text, in: current.frame.columnNames, limit: 1).first {
                hint = "no dataset or column of that name; did you mean the column '\(close)' of \(current.name)?"
            }
            if hint == nil {
                hint = session.datasetNames.isEmpty ? "load one first: load \"FILE.csv\""
                    : "the datasets are: " + session.datasetNames.joined(separator: ", ")
            }
            throw Diagnostic(.unknownName, .error, "no dataset named '\(name.text)'", file: file, range: name.range, hint: hint)
        }
        guard let d = session.currentDataset else {
            throw error("'\(spec.name)' needs a dataset, and none is loaded yet", hint: "load one first: load \"tutorials/data/penguins.csv\"",
                        id: .missingArgument)
        }
        return d
    }

    /// Column names written as bare names, backtick names or a list `[a, b]`, each checked.
    func columnNames(_ exprs: [Expr], in d: Dataset) throws(Diagnostic) -> [String] {
        var names: [String] = []
        for e in exprs {
            let items: [Expr]
            if case .list(let l) = e.kind { items = l } else { items = [e] }
            for item in items {
                let name: String
                if let n = item.asName { name = n.text }
                else if case .string(let s) = item.kind { name = s }
                else { throw Diagnostic(.badArgument, .error, "expected a column name, got \(ExprPrinter.print(item))", file: file, range: item.range) }
                try checkColumn(name, item.range, in: d)
                // A column named twice (count by a, a; fill [x, x]) would be made or changed twice.
                if names.contains(name) {
                    throw Diagnostic(.badArgument, .error, "'\(name)' is named twice", file: file, range: item.range,
                                     hint: "name each column once; derive makes a copy under another name")
                }
                names.append(name)
            }
        }
        return names
    }

    func checkColumn(_ name: String, _ range: SourceRange, in d: Dataset) throws(Diagnostic) {
        guard d.frame.index(of: name) == nil else { return }
        let all = d.frame.columnNames
        throw Diagnostic(.unknownName, .error, "no column '\(name)' in \(d.name)", file: file, range: range,
                         hint: Suggest.didYouMean(name, in: all) ?? "the columns are: " + all.prefix(12).joined(separator: ", ") + (all.count > 12 ? ", …" : ""))
    }

    /// Runs a recipe step on the dataset and keeps the result: as a new dataset with `as NAME`,
    /// else as the next version of `d`. Step errors point at the command.
    @discardableResult
    func apply(_ step: RecipeStep, to d: Dataset, in session: Session) throws -> (Dataset, StepResult) {
        let engine = SessionExpressionEngine(session: session, datasetName: d.name, file: file, range: command.range)
        let result: StepResult
        do {
            result = try StepRunner.run(step, on: d.frame, engine: engine)
        } catch let e as Diagnostic {
            throw e.located(in: file, command.range)
        }
        return (try record([(result, step)], to: d, in: session), result)
    }

    /// Keeps steps this command ran itself: a new dataset with `as NAME`, else the next version.
    @discardableResult
    func record(_ steps: [(StepResult, RecipeStep)], to d: Dataset, in session: Session) throws -> Dataset {
        let text = command.sourceText
        if let name = binding.first {
            try session.checkBindable(name, in: file)
            let new = d.derived(name: name.text, steps: steps, command: text)
            session.bindDataset(new)
            return new
        }
        d.push(steps, command: text)
        session.makeCurrent(d)
        return d
    }

    /// The source text of an argument, as written.
    func text(of e: Expr) -> String {
        let utf8 = Array(file.text.utf8)
        return String(decoding: utf8[e.range.start..<min(e.range.end, utf8.count)], as: UTF8.self)
    }

    /// The name the result goes by: the `as` name, or the dataset's own.
    func resultName(_ d: Dataset) -> String { binding.first?.text ?? d.name }
}

extension Diagnostic {
    /// The same diagnostic as a warning.
    var asWarning: Diagnostic {
        var copy = self
        copy.severity = .warning
        return copy
    }

    /// The same diagnostic as a note.
    var asNote: Diagnostic {
        var copy = self
        copy.severity = .note
        return copy
    }
}

extension Session {
    var tableRenderer: TableRenderer {
        var r = TableRenderer(width: width, unicode: terminal.utf8 || recording)
        if colorEnabled { r.dim = { "\u{1B}[2m\($0)\u{1B}[0m" } }
        return r
    }

    /// Prints a table in the session's table mode.
    func printTable(_ table: TextTable) {
        let text = tableRenderer.render(table, mode: settings.table)
        if let recorder = output as? ReportRecorder, settings.table == .box { recorder.table(table, text: text) } else { output.write(text) }
    }

    /// A frame as a table, head and tail when longer than `maxRows`.
    func printFrame(_ frame: Frame, maxRows: Int? = nil) {
        printTable(frameTable(frame, maxRows: maxRows))
    }

    /// A frame as the current table mode shows it. Box mode shows head and tail when the frame is
    /// longer than `maxRows` (or the maxrows setting); the data modes, which programs read, give
    /// the first `maxRows` rows when a number was asked for, and every row otherwise.
    func frameTable(_ frame: Frame, maxRows: Int? = nil) -> TextTable {
        guard settings.table.isData else { return TextTable(frame: frame, maxRows: max(maxRows ?? settings.maxrows, 1)) }
        let n = min(frame.rowCount, maxRows ?? frame.rowCount)
        var table = TextTable(frame: n == frame.rowCount ? frame : frame.take(Array(0..<n)), maxRows: max(n, 1))
        table.totalRows = frame.rowCount
        return table
    }
}

