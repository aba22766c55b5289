import MLDiagnostics

/// One lexical token with its byte range in the source.
public struct Token: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case word          // a name or keyword: load, penguins, and
        case quotedName    // a `backtick name`; never a keyword
        case string        // "text" or 'text'; `text` holds the unescaped value
        case number        // 42, 0.5, 1e-3; `number` holds the value
        case duration      // 500ms, 2s, 1m, 1h; `number` holds seconds
        case punct         // ( ) [ ] { } , ; = == != < <= > >= + - * / % ^ ~ . :
        case newline
        case eof
    }

    public let kind: Kind
    /// The word, the unescaped string, or the punctuation itself.
    public let text: String
    public let number: Double
    public let range: SourceRange

    public init(_ kind: Kind, _ text: String, number: Double = 0, range: SourceRange) {
        self.kind = kind
        self.text = text
        self.number = number
        self.range = range
    }

    public func isPunct(_ p: String) -> Bool { kind == .punct && text == p }
    public func isKeyword(_ k: String) -> Bool { kind == .word && text == k }
}

/// Words that the expression grammar reserves (a column with such a name needs backticks).
public let reservedWords: Set<String> = ["and", "or", "not", "in", "is", "as", "between", "true", "false"]
