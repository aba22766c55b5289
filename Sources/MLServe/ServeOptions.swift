import MLMonitor
import MLServeProtocol

/// How a server listens and what it allows.
public struct ServeOptions: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    public var tokens: Tokens? = nil
    /// The largest body taken; past it, 413.
    public var maxBodyBytes = 8 << 20
    /// The longest a prediction may take; past it, 503.
    public var timeout: Duration = .seconds(5)
    public var tlsCertificate: String? = nil
    public var tlsKey: String? = nil
    /// One line per request (`--access-log`), given to this function.
    public var accessLog: (@Sendable (String) -> Void)? = nil
    /// How many recent requests' rows are kept for `watch`.
    public var sampleSize = 1000
    /// Every answered row as JSON Lines (`request_log=`, `--request-log`).
    public var requestLog: RequestLog? = nil
    /// Time for the latency window, uptime and alerts (a hand-driven clock in tests).
    public var clock: any MonitorClock = SystemClock()

    public init() {}
}
