import MLDiagnostics

/// A name as written: a word or a `backtick name`, with where it stands.
public struct Name: Sendable, Equatable {
    public let text: String
    public let range: SourceRange
    public let quoted: Bool
    public init(_ text: String, range: SourceRange, quoted: Bool = false) {
        self.text = text
        self.range = range
        self.quoted = quoted
    }
}

/// An expression, as in `where`, `derive`, `check`, `print`, option values and formulas.
public indirect enum ExprKind: Sendable, Equatable {
    case number(Double, literal: String)
    case string(String)
    case duration(seconds: Double, literal: String)
    case bool(Bool)
    case name(Name)
    /// `.` in a formula: every other column.
    case dot
    case list([Expr])
    case map([(key: Name, value: Expr)])
    case unary(op: String, Expr)
    case binary(op: String, Expr, Expr)
    case call(Name, args: [Expr], named: [(name: Name, value: Expr)])
    /// `x is missing`, `x is not missing`, `x is int` …
    case isCheck(Expr, what: Name, negated: Bool)
    case inList(Expr, Expr, negated: Bool)
    case between(Expr, low: Expr, high: Expr, negated: Bool)
    /// `y ~ a + b`, or `~ a + b` (no target).
    case formula(lhs: Expr?, rhs: Expr)

    public static func == (a: ExprKind, b: ExprKind) -> Bool {
        ExprPrinter.print(a) == ExprPrinter.print(b)
    }
}

public struct Expr: Sendable, Equatable {
    public let kind: ExprKind
    public let range: SourceRange
    /// The tree's height; the parser bounds it so that walking the tree cannot overflow the stack.
    public let height: Int

    public init(_ kind: ExprKind, _ range: SourceRange) {
        self.kind = kind
        self.range = range
        let children: [Expr]
        switch kind {
        case .number, .string, .duration, .bool, .name, .dot: children = []
        case .list(let items): children = items
        case .map(let pairs): children = pairs.map(\.value)
        case .unary(_, let e): children = [e]
        case .binary(_, let a, let b): children = [a, b]
        case .call(_, let args, let named): children = args + named.map(\.value)
        case .isCheck(let e, _, _): children = [e]
        case .inList(let a, let b, _): children = [a, b]
        case .between(let a, let lo, let hi, _): children = [a, lo, hi]
        case .formula(let lhs, let rhs): children = (lhs.map { [$0] } ?? []) + [rhs]
        }
        self.height = 1 + (children.map(\.height).max() ?? 0)
    }

    public static func == (a: Expr, b: Expr) -> Bool { a.kind == b.kind && a.range == b.range }

    /// The name, when the expression is a bare word or backtick name.
    public var asName: Name? {
        if case .name(let n) = kind { return n }
        return nil
    }
}

/// One argument of a command, in the order written.
public enum Argument: Sendable, Equatable {
    case positional(Expr)
    case option(name: Name, value: Expr)
    /// A `,` between arguments: `count penguins by island, sex`.
    case comma(SourceRange)

    public var range: SourceRange {
        switch self {
        case .positional(let e): return e.range
        case .option(let n, let v): return n.range.union(v.range)
        case .comma(let r): return r
        }
    }
}

/// `VERB arguments... [as NAME...]`
public struct Command: Sendable {
    public let verb: Name
    public let arguments: [Argument]
    /// The names after `as`, if any.
    public let binding: [Name]
    public let bindingRange: SourceRange?
    public let range: SourceRange
    public let file: SourceFile

    public init(verb: Name, arguments: [Argument], binding: [Name], bindingRange: SourceRange?, range: SourceRange, file: SourceFile) {
        self.verb = verb
        self.arguments = arguments
        self.binding = binding
        self.bindingRange = bindingRange
        self.range = range
        self.file = file
    }

    /// The command exactly as written.
    public var sourceText: String {
        let utf8 = Array(file.text.utf8)
        return String(decoding: utf8[range.start..<min(range.end, utf8.count)], as: UTF8.self)
    }
}

/// A parsed script: its commands, and every syntax error found (the parser recovers and goes on).
public struct Script: Sendable {
    public let file: SourceFile
    public let commands: [Command]
    public let diagnostics: [Diagnostic]

    /// True when the only problem is that the input stops too early (an open bracket, quote or `\`).
    public var isIncomplete: Bool {
        diagnostics.contains { $0.id == .incompleteInput }
    }
}
