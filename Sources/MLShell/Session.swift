import MLModel
import MLDiagnostics
import MLLanguage
import MLMonitor

/// Everything one run of mlsh holds: settings, bound names, history, and where output goes.
public final class Session {
    public let registry: CommandRegistry
    public var settings = Settings()
    public var terminal: TerminalInfo
    public var output: OutputSink
    /// Names bound with `as`, in the order first bound.
    private var values: [String: Value] = [:]
    public private(set) var variableNames: [String] = []
    /// The commands entered in this session (and, at the REPL, loaded from the history file).
    public var history: [String] = []
    /// Scripts being run, outermost first, so that `run` can refuse to run one inside itself.
    var runStack: [String] = []
    /// The words after a script's name on the command line; expressions see them as the list `args`.
    public var scriptArguments: [String] = []
    /// Set by `quit`; the caller ends the session with this code.
    public var quitRequested: Int32?
    /// True under `mlsh check`: no timings that change from run to run.
    public var recording = false
    /// The servers started with `serve`, running in the background.
    let servers = ServerList()
    /// The tutorial being walked through with `step`, if any.
    public var walk: TutorialWalk?
    /// What was done at the prompt, for `record` (kept only when the REPL turns it on).
    public var journal = SessionJournal()
    /// Counts bindings, so that the journal can tell a command that changed the session.
    private(set) var bindings = 0
    /// Time for `watch` (a hand-driven clock in tests).
    public var clock: any MonitorClock = SystemClock()
    /// Set by Ctrl-C; commands that take a while check it.
    public var interrupt: InterruptFlag = .process
    /// Ctrl-C as a check that engine code (which knows no session) can call from any thread.
    var interruptCheck: @Sendable () -> Bool {
        let flag = interrupt
        return { flag.isSet }
    }

    public init(registry: CommandRegistry = .standard, terminal: TerminalInfo = .detect(), output: OutputSink = StandardOutput()) {
        self.registry = registry
        self.terminal = terminal
        self.output = output
    }

    // MARK: - Output

    public var colorEnabled: Bool {
        switch settings.color {
        case .on: return true
        case .off: return false
        case .auto: return terminal.stdoutIsTTY && !terminal.noColorEnv
        }
    }

    /// The width for tables, plots and help.
    public var width: Int {
        if settings.maxwidth > 0 { return settings.maxwidth }
        return max(40, terminal.currentColumns ?? 80)
    }

    /// Prints prose: a line wider than the width wraps at spaces (tables and plots, which lay
    /// themselves out to the width, and values, which must stay whole, write to `output` directly).
    public func print(_ text: String = "") {
        output.write(TextWidth.wrap(text, width: width) + "\n")
    }

    /// Shows a diagnostic on standard error, its message wrapped and its source line cut to the width.
    public func report(_ d: Diagnostic) {
        var renderer = DiagnosticRenderer(color: colorEnabled && (terminal.stderrIsTTY || settings.color == .on))
        renderer.width = width
        output.writeError(renderer.render(d))
    }

    /// A text in a terminal style (bold, dim, a colour), or plain when colour is off.
    public func styled(_ text: String, _ code: String) -> String {
        colorEnabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    // MARK: - Names

    public func variable(_ name: String) -> Value? { values[name] }

    /// Names the language gives a meaning of its own cannot be bound.
    public func checkBindable(_ name: Name, in file: SourceFile) throws(Diagnostic) {
        if ["missing", "args"].contains(name.text) {
            throw Diagnostic(.badArgument, .error, "'\(name.text)' is a built-in name and cannot be bound", file: file, range: name.range,
                             hint: "choose another name")
        }
    }

    public func bind(_ name: String, _ value: Value) {
        if values[name] == nil { variableNames.append(name) }
        values[name] = value
        bindings += 1
    }

    /// What a command changes when it changes the session: a binding, or a dataset's versions
    /// (prep verbs and undo change a dataset in place).
    var stateMark: [Int] {
        [bindings] + datasetNames.compactMap { dataset(named: $0)?.versions.count }
    }

    // MARK: - Datasets

    /// The dataset commands use when none is named: the last one loaded or changed.
    public private(set) var currentName: String?

    public func dataset(named name: String) -> Dataset? {
        if case .dataset(let d)? = values[name] { return d }
        return nil
    }

    public var currentDataset: Dataset? { currentName.flatMap { dataset(named: $0) } }

    public func model(named name: String) -> Model? {
        if case .model(let m)? = values[name] { return m }
        return nil
    }

    public var modelNames: [String] { variableNames.filter { model(named: $0) != nil } }

    public var datasetNames: [String] { variableNames.filter { dataset(named: $0) != nil } }

    /// Binds a dataset under its name and makes it current.
    public func bindDataset(_ d: Dataset) {
        bind(d.name, .dataset(d))
        currentName = d.name
    }

    public func makeCurrent(_ d: Dataset) { currentName = d.name }

    /// The label the prompt shows: the current dataset, once there is one.
    public var promptLabel: String? {
        guard let d = currentDataset else { return nil }
        return "\(d.name) \(d.frame.rowCount)×\(d.frame.columns.count)"
    }

    /// The prompt: `mlsh> `, or `mlsh [penguins 344×8]> ` with a current dataset.
    public var prompt: String {
        if let label = promptLabel { return "mlsh [\(label)]> " }
        return "mlsh> "
    }

    public static let continuationPrompt = "  ...> "
}
