import MLDiagnostics

/// The commands mlsh knows. Adding a verb is adding one file and one line here.
public struct CommandRegistry {
    public let commands: [any ShellCommand.Type]

    public init(_ commands: [any ShellCommand.Type]) {
        self.commands = commands
    }

    nonisolated(unsafe) public static let standard = CommandRegistry([
        HelpCommand.self, HistoryCommand.self, SetCommand.self, VarsCommand.self, RunCommand.self,
        PrintCommand.self, SleepCommand.self, QuitCommand.self, RecordCommand.self, StepCommand.self,
        LoadCommand.self, WriteCommand.self, ShowCommand.self, HeadCommand.self, TailCommand.self,
        SchemaCommand.self, DescribeCommand.self, CountCommand.self, WhereCommand.self,
        SelectCommand.self, DropCommand.self, RenameCommand.self, DeriveCommand.self,
        SortCommand.self, SampleCommand.self, GroupCommand.self, JoinCommand.self, ConcatCommand.self, PivotCommand.self, UnpivotCommand.self, PlotCommand.self,
        CleanCommand.self, FillCommand.self, EncodeCommand.self, ScaleCommand.self, NormalizeCommand.self,
        CastCommand.self, CheckRulesCommand.self, RecipeCommand.self, UndoCommand.self,
        SplitCommand.self, FitCommand.self, EvaluateCommand.self, PredictCommand.self, CVCommand.self, SearchCommand.self, CompareCommand.self,
        SaveCommand.self, ExportCommand.self, InspectCommand.self, KeygenCommand.self,
        ServeCommand.self, ServersCommand.self, StopCommand.self, RequestCommand.self, DriftCommand.self, WatchCommand.self, AlertCommand.self,
    ])

    public func lookup(_ name: String) -> (any ShellCommand.Type)? {
        commands.first { $0.spec.name == name || $0.spec.aliases.contains(name) }
    }

    /// Every verb and alias, for completion and did-you-mean.
    public var allNames: [String] {
        commands.flatMap { [$0.spec.name] + $0.spec.aliases }
    }
}
