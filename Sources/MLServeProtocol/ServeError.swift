/// An answer that is not a prediction: the HTTP status and what to tell the client. Every failure
/// a request can cause becomes one of these, rendered `{"error": message}`; none becomes a 500.
public struct ServeError: Error, Sendable, Equatable {
    public var status: Int
    public var message: String

    public init(_ status: Int, _ message: String) {
        self.status = status
        self.message = message
    }

    public static func badRequest(_ message: String) -> ServeError { ServeError(400, message) }
}
