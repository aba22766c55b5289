/// A JSON document as a tree: what the serving protocols' bodies are read into. Objects keep
/// their keys in order (a client's column order is kept), and a number remembers whether it was
/// written as an integer, so that an INT64 tensor can refuse `1.5`.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double, integer: Bool)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// What the value is, for messages: "a number", "an object", ….
    public var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "true or false"
        case .number: return "a number"
        case .string: return "a text"
        case .array: return "a list"
        case .object: return "an object"
        }
    }
}

/// An object's members in the order they were written; a key written twice is refused by the
/// parser, so a lookup is unambiguous.
public struct JSONObject: Sendable, Equatable {
    public var keys: [String]
    public var values: [JSONValue]

    public init(keys: [String] = [], values: [JSONValue] = []) {
        self.keys = keys
        self.values = values
    }

    public subscript(key: String) -> JSONValue? {
        guard let i = keys.firstIndex(of: key) else { return nil }
        return values[i]
    }

    public var count: Int { keys.count }
}

/// Where a body went wrong as JSON: the byte offset, and the line and column for people.
public struct JSONSyntaxError: Error, Sendable, Equatable {
    public var offset: Int
    public var line: Int
    public var column: Int
    public var expected: String

    public var message: String {
        "invalid JSON at byte \(offset) (line \(line), column \(column)): \(expected)"
    }
}
