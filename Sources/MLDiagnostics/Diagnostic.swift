/// One user-facing problem: a syntax error, a bad argument, a bad CSV cell, a failed HTTP request.
///
/// Every error the user can cause becomes a `Diagnostic`; one renderer turns it into text.
public struct Diagnostic: Error, Sendable {
    public enum Severity: String, Sendable { case error, warning, note }

    /// A stable identifier that code (never message text) can match on.
    public struct ID: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(_ raw: String) { self.rawValue = raw }
        public var description: String { rawValue }
    }

    public var id: ID
    public var severity: Severity
    public var message: String
    /// Where it happened, when it happened in source text.
    public var file: SourceFile?
    public var range: SourceRange?
    /// A place outside source text: "data.csv:12:3" for a CSV cell, say.
    public var externalLocation: String?
    public var notes: [String]
    /// What the user can do about it.
    public var hint: String?

    public init(
        _ id: ID, _ severity: Severity = .error, _ message: String,
        file: SourceFile? = nil, range: SourceRange? = nil, externalLocation: String? = nil,
        notes: [String] = [], hint: String? = nil
    ) {
        self.id = id
        self.severity = severity
        self.message = message
        self.file = file
        self.range = range
        self.externalLocation = externalLocation
        self.notes = notes
        self.hint = hint
    }

    /// Attaches a source position unless the diagnostic already has one.
    public func located(in file: SourceFile, _ range: SourceRange) -> Diagnostic {
        guard self.file == nil, externalLocation == nil else { return self }
        var copy = self
        copy.file = file
        copy.range = range
        return copy
    }

    public func withHint(_ hint: String?) -> Diagnostic {
        var copy = self
        copy.hint = hint
        return copy
    }

    /// The start of the diagnostic's range, when it has one.
    public var location: SourceLocation? {
        guard let file, let range else { return nil }
        return file.location(of: range.start)
    }
}

extension Diagnostic.ID {
    /// Input ended inside a bracket, a string or after a `\`: the REPL asks for more lines.
    public static let incompleteInput = Diagnostic.ID("incomplete-input")
    /// A value of the wrong type: an argument, a model feature, a value sent to a model.
    public static let wrongArgumentType = Diagnostic.ID("wrong-argument-type")
}
