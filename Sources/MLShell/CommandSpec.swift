import MLDiagnostics
import MLLanguage

/// The lifecycle stage a command belongs to; `help` groups commands by it, in this order.
public enum Stage: String, CaseIterable, Sendable {
    case session, data, clean, model, lifecycle
}

/// What kind of argument a parameter takes; the binder checks it before the command runs.
public enum ParameterKind: Sendable, Equatable {
    /// Any expression, left unevaluated (the command evaluates it: `print`, `where`).
    case expression
    /// Any value, evaluated.
    case value
    case number
    /// A whole number.
    case integer
    case string
    case duration
    /// A bare word, one of these when the list is not empty (`set color on`).
    case word([String])
    /// A bare name: a column, a setting.
    case name
    /// The name of a dataset; when optional and left out, the current dataset.
    case dataset
    /// A keyword that stands alone (`summarize`, `desc`): present or not.
    case flag
}

/// One positional parameter. `keyword` introduces it (`by COL`); `variadic` takes a comma list.
public struct Parameter: Sendable {
    public let name: String
    public let kind: ParameterKind
    public let help: String
    public let optional: Bool
    public let keyword: String?
    public let variadic: Bool

    public init(_ name: String, _ kind: ParameterKind, _ help: String, optional: Bool = false, keyword: String? = nil, variadic: Bool = false) {
        self.name = name
        self.kind = kind
        self.help = help
        self.optional = optional
        self.keyword = keyword
        self.variadic = variadic
    }
}

/// A `key=value` option, with its default as shown in help.
public struct OptionSpec: Sendable {
    public let name: String
    public let kind: ParameterKind
    public let help: String
    public let defaultText: String?
    /// How usage writes the value, when the kind's own word would mislead (a name taken as an expression).
    public let placeholder: String?

    public init(_ name: String, _ kind: ParameterKind, _ help: String, default defaultText: String? = nil, placeholder: String? = nil) {
        self.name = name
        self.kind = kind
        self.help = help
        self.defaultText = defaultText
        self.placeholder = placeholder
    }
}

/// An example in help; a test runs every one.
public struct Example: Sendable {
    public let command: String
    public let comment: String?
    public init(_ command: String, _ comment: String? = nil) {
        self.command = command
        self.comment = comment
    }
}

/// Everything known about a command before it runs: help, usage, completion and the docs page come from it.
public struct CommandSpec: Sendable {
    public let name: String
    public let aliases: [String]
    public let stage: Stage
    public let abstract: String
    public let discussion: String?
    public let parameters: [Parameter]
    public let options: [OptionSpec]
    /// The names `as` binds (`["NAME"]`, `["TRAIN", "TEST"]`); empty when `as` is not allowed.
    public let binds: [String]
    public let examples: [Example]
    /// `NAME=EXPR` options of the user's own naming (derive, rename, summarize), with their help.
    public let freeOptions: (usage: String, help: String)?

    public init(
        name: String, aliases: [String] = [], stage: Stage, abstract: String, discussion: String? = nil,
        parameters: [Parameter] = [], options: [OptionSpec] = [], freeOptions: (usage: String, help: String)? = nil,
        binds: [String] = [], examples: [Example] = []
    ) {
        self.freeOptions = freeOptions
        self.name = name
        self.aliases = aliases
        self.stage = stage
        self.abstract = abstract
        self.discussion = discussion
        self.parameters = parameters
        self.options = options
        self.binds = binds
        self.examples = examples
    }

    /// `set [OPTION VALUE]`, `count [DS] by COL, ... [as NAME]`
    public var usage: String {
        var parts = [name]
        for p in parameters {
            var s = p.kind == .flag ? (p.keyword ?? p.name) : (p.keyword.map { "\($0) \(p.name)" } ?? p.name)
            if p.variadic { s += ", ..." }
            parts.append(p.optional ? "[\(s)]" : s)
            if p.keyword == "summarize", let free = freeOptions { parts.append(free.usage + ", ...") }
        }
        if let free = freeOptions, !parameters.contains(where: { $0.keyword == "summarize" }) {
            parts.append(free.usage + " ...")
        }
        for o in options {
            parts.append("[\(o.name)=\(o.placeholder ?? o.kind.placeholder)]")
        }
        if !binds.isEmpty { parts.append("[as \(binds.joined(separator: " "))]") }
        return parts.joined(separator: " ")
    }
}

extension ParameterKind {
    /// How help writes a value of this kind.
    public var placeholder: String {
        switch self {
        case .expression: return "EXPR"
        case .value: return "VALUE"
        case .number: return "N"
        case .integer: return "N"
        case .string: return "TEXT"
        case .duration: return "DURATION"
        case .word(let choices): return choices.isEmpty ? "WORD" : choices.joined(separator: "|")
        case .name: return "NAME"
        case .dataset: return "DS"
        case .flag: return ""
        }
    }

    /// How an error names what was expected.
    public var expectation: String {
        switch self {
        case .expression: return "an expression"
        case .value: return "a value"
        case .number: return "a number"
        case .integer: return "a whole number"
        case .string: return "a string in quotes"
        case .duration: return "a duration such as 500ms, 2s or 1m"
        case .word(let choices): return choices.isEmpty ? "a word" : "one of " + choices.joined(separator: ", ")
        case .name: return "a name"
        case .dataset: return "a dataset's name"
        case .flag: return "nothing"
        }
    }
}

/// A command: a spec and what it does.
public protocol ShellCommand {
    static var spec: CommandSpec { get }
    static func run(_ call: CommandCall, in session: Session) throws
    /// Words Tab offers at argument position `index`; see `Completer`.
    static func completions(at index: Int, previous: [String], in session: Session) -> [String]
}
