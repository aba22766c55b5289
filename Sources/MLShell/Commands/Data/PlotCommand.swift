import MLDiagnostics
import MLFrame
import MLLanguage
import MLRender

/// `plot KIND [DS] COLUMNS... [options] [to "FILE.svg"]`
struct PlotCommand: ShellCommand {
    static let kinds = ["hist", "bar", "scatter", "line", "box", "heatmap"]

    static let spec = CommandSpec(
        name: "plot", stage: .data,
        abstract: "Draw a plot in the terminal (or to an SVG file): hist, bar, scatter, line, box, heatmap",
        discussion: """
            plot hist DS COL [bins=N] [by=COL]      bins by Sturges' rule (ceil(log2 n) + 1) unless bins= is given
            plot bar DS COL | plot bar DS X Y       counts of a column's values, or Y per X (the mean when X repeats)
            plot scatter DS X Y [by=COL]            one marker or colour per group, legend below
            plot line DS X Y[, Y2 ...]              one series per Y, points joined in order of X
            plot box DS COL [by=COL]                quartiles, whiskers at 1.5 IQR, outliers as dots
            plot heatmap DS [COL, ...]              the correlation matrix of numeric columns
            plot drift REF vs CUR [COL, ...]        each column's bins, REF's share beside CUR's (see drift)
            plot roc|pr M1, M2, ... on DS           several models' curves on one plot, their AUCs in the legend
            Rows with missing values are left out and counted in a note; nothing is dropped silently.
            The style is block on a UTF-8 terminal and ascii otherwise; braille packs 2×4 dots per character.
            """,
        parameters: [
            Parameter("KIND", .name, "the kind of plot: " + kinds.joined(separator: ", ") + "; or a model's name, then " + ModelPlots.kinds.joined(separator: ", ")),
            Parameter("DS", .dataset, "the dataset (default: the current one)", optional: true),
            Parameter("COL", .value, "the columns the kind needs", optional: true, variadic: true),
            Parameter("FILE", .string, "write an SVG file instead of drawing in the terminal", optional: true, keyword: "to"),
        ],
        options: [
            OptionSpec("by", .name, "a column whose values make the groups (hist, scatter, box)"),
            OptionSpec("bins", .integer, "the number of bins (hist)", default: "Sturges"),
            OptionSpec("width", .integer, "the width in characters", default: "the terminal's, at most 100"),
            OptionSpec("height", .integer, "the height of the plot area in rows", default: "15"),
            OptionSpec("title", .string, "a title above the plot"),
            OptionSpec("logx", .word(["true", "false"]), "a log scale on x (scatter, line, box)", default: "false"),
            OptionSpec("logy", .word(["true", "false"]), "a log scale on y (scatter, line)", default: "false"),
            OptionSpec("style", .word(PlotStyle.allCases.map(\.rawValue)), "braille, block or ascii", default: "block"),
            OptionSpec("positive", .value, "the class of interest of a two-class model (roc, pr, threshold)", default: "the model's, or the second class"),
        ],
        examples: [
            Example("load \"tutorials/data/penguins.csv\""),
            Example("plot hist penguins body_mass_g bins=10"),
            Example("plot bar penguins species"),
            Example("plot scatter penguins bill_length_mm bill_depth_mm by=species"),
            Example("plot box penguins body_mass_g by=species"),
            Example("plot heatmap penguins"),
            Example("plot scatter penguins flipper_length_mm body_mass_g to \"/tmp/penguins.svg\""),
            Example("encode penguins onehot [island, sex]"),
            Example("fit logistic species ~ bill_length_mm + bill_depth_mm on penguins as clf"),
            Example("plot clf confusion on penguins"),
            Example("plot clf roc on penguins"),
            Example("fit logistic sex_male ~ bill_length_mm + body_mass_g on penguins as bysex"),
            Example("plot bysex threshold on penguins positive=false"),
            Example("where penguins bill_length_mm > 45 as long_bills"),
            Example("plot drift penguins vs long_bills bill_depth_mm"),
        ])

    static func run(_ call: CommandCall, in session: Session) throws {
        let kind = call.word("KIND")!
        if kind == "drift", session.model(named: kind) == nil, session.dataset(named: kind) == nil {
            try DriftPlot.run(call, session)
            return
        }
        // plot roc m1, m2 on DS: several models' curves on one plot.
        if (kind == "roc" || kind == "pr"), session.model(named: kind) == nil {
            try ModelPlots.curves(kind, call, session)
            return
        }
        if let model = session.model(named: kind) {
            try ModelPlots.run(model, call, session)
            return
        }
        guard kinds.contains(kind) else {
            throw call.error(at: "KIND", "'plot' draws " + kinds.joined(separator: ", ") + ", or a model's plots; '\(kind)' is neither",
                             hint: Suggest.didYouMean(kind, in: kinds + session.modelNames) ?? "e.g. plot hist DS COL, or plot MODEL confusion on DS")
        }
        try checkOptionsApply(kind, call, session)
        if call.expr("positive") != nil { throw call.error(at: "positive", "positive= is for a model's roc, pr and threshold plots", hint: "plot MODEL roc on DS positive=CLASS") }
        let d = try call.dataset(session)
        var o = try options(call, session)
        let columns = call.exprs("COL")
        var builder = PlotBuilder(call: call, dataset: d, frame: d.frame)
        if let by = call.word("by") { try call.checkColumn(by, call.expr("by")!.range, in: d) }
        let figure = try builder.build(kind: kind, columns: columns, by: call.word("by"), bins: try call.integer("bins"), options: &o)
        if let path = try call.string("FILE") {
            guard path.lowercased().hasSuffix(".svg") else {
                throw call.error(at: "FILE", "plots are written as SVG; end the file name in .svg", hint: "e.g. to \"plot.svg\"")
            }
            let svg = figure.svg(o)
            do {
                try FileText.writeAtomically(path, Array(svg.utf8))
            } catch let e {
                throw Diagnostic(e.id, .error, e.message, file: call.file, range: call.expr("FILE")!.range, hint: e.hint)
            }
            session.print("wrote \(kind) plot of \(d.name) to \(path) (\(formatBytes(svg.utf8.count)))")
            return
        }
        session.show(figure, o)
    }

    /// The options each kind takes besides the common ones (width, height, title, style, to).
    static let kindOptions: [String: [String]] = [
        "hist": ["bins", "by"], "bar": [], "scatter": ["by", "logx", "logy"], "line": ["logx", "logy"],
        "box": ["by", "logx"], "heatmap": [],
    ]

    /// An option the kind would ignore is refused (in a script) or warned about (at the prompt).
    static func checkOptionsApply(_ kind: String, _ call: CommandCall, _ session: Session) throws {
        for name in ["by", "bins", "logx", "logy"] where call.expr(name) != nil && !(kindOptions[kind] ?? []).contains(name) {
            let takers = kinds.filter { kindOptions[$0]?.contains(name) == true }
            let own = kindOptions[kind] ?? []
            try call.notApplicable(name, "\(name)= does not apply to a \(kind) plot; \(takers.joined(separator: ", ")) plots take it",
                                   hint: own.isEmpty ? "a \(kind) plot takes width=, height=, title= and style=" : "a \(kind) plot also takes " + own.map { $0 + "=" }.joined(separator: ", "),
                                   in: session)
        }
    }

    static func options(_ call: CommandCall, _ session: Session) throws -> PlotOptions {
        let unicode = session.terminal.utf8 || session.recording
        let style = call.word("style").flatMap(PlotStyle.init) ?? (unicode ? .block : .ascii)
        let width = try call.integer("width") ?? min(100, session.width)
        let height = try call.integer("height") ?? 15
        if width < PlotOptions.minimumWidth || width > 1000 {
            throw call.error(at: "width", width > 1000 ? "width=\(width) is wider than a plot can be (1000 columns)"
                                : "width=\(width) does not fit a plot: the axes and labels need at least \(PlotOptions.minimumWidth) columns",
                             hint: "give width= from \(PlotOptions.minimumWidth) to 1000")
        }
        if height < PlotOptions.minimumHeight || height > 200 {
            throw call.error(at: "height", "height=\(height) does not fit a plot", hint: "give height= from \(PlotOptions.minimumHeight) to 200")
        }
        var o = PlotOptions(width: width, height: height, title: try call.string("title"), style: style,
                            color: session.colorEnabled, unicode: unicode && style != .ascii)
        o.logX = call.word("logx") == "true"
        o.logY = call.word("logy") == "true"
        return o
    }
}

/// A plot ready to draw as text or as SVG.
enum Figure {
    case xy(XYPlot), bars(BarPlot), boxes(BoxPlot), heat(HeatmapPlot)

    func text(_ o: PlotOptions) -> String {
        switch self {
        case .xy(let p): return p.text(o)
        case .bars(let p): return p.text(o)
        case .boxes(let p): return p.text(o)
        case .heat(let p): return p.text(o)
        }
    }

    func svg(_ o: PlotOptions) -> String {
        switch self {
        case .xy(let p): return SVG.render(p, o)
        case .bars(let p): return SVG.render(p, o)
        case .boxes(let p): return SVG.render(p, o)
        case .heat(let p): return SVG.render(p, o)
        }
    }
}
