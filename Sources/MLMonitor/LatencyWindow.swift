import Histogram
import Synchronization

/// Request latencies in HdrHistograms (three significant digits, microseconds up to a minute):
/// one since the start and one for the recent window, which is two half-windows rotated by the
/// clock, so "recent" always covers between one and two half-windows of time.
public final class LatencyWindow: Sendable {
    struct State {
        var total = LatencyWindow.empty()
        var current = LatencyWindow.empty()
        var previous = LatencyWindow.empty()
        var currentErrors = 0
        var previousErrors = 0
        var currentStart: Double
    }

    public let clock: any MonitorClock
    /// Seconds each half-window lasts.
    public let half: Double
    private let state: Mutex<State>

    public init(clock: any MonitorClock, window seconds: Double = 30) {
        self.clock = clock
        half = seconds / 2
        state = Mutex(State(currentStart: clock.now()))
    }

    static func empty() -> Histogram<UInt64> {
        Histogram(lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
    }

    /// One request's time, in seconds, and whether it was answered with an error.
    public func record(_ seconds: Double, error: Bool = false) {
        let micros = UInt64(max(1, min(60_000_000, (seconds * 1e6).rounded())))
        let now = clock.now()
        state.withLock { s in
            rotate(&s, now)
            _ = s.total.record(micros)
            _ = s.current.record(micros)
            if error { s.currentErrors += 1 }
        }
    }

    private func rotate(_ s: inout State, _ now: Double) {
        guard now - s.currentStart >= half else { return }
        // A gap longer than a whole window leaves nothing recent.
        let stale = now - s.currentStart >= 2 * half
        s.previous = stale ? Self.empty() : s.current
        s.previousErrors = stale ? 0 : s.currentErrors
        s.current = Self.empty()
        s.currentErrors = 0
        s.currentStart = now
    }

    /// Percentiles in seconds (p50, p95, p99) and the count, over the recent window and since the
    /// start; and the errors in the recent window.
    public func summary() -> (recent: LatencySummary, total: LatencySummary, recentErrors: Int) {
        let now = clock.now()
        return state.withLock { s in
            rotate(&s, now)
            var recent = s.previous
            recent.add(s.current)
            return (LatencySummary(recent), LatencySummary(s.total), s.previousErrors + s.currentErrors)
        }
    }
}

public struct LatencySummary: Codable, Sendable, Equatable {
    public var count: Int
    public var p50: Double
    public var p95: Double
    public var p99: Double
    public var max: Double

    public init(count: Int = 0, p50: Double = 0, p95: Double = 0, p99: Double = 0, max: Double = 0) {
        self.count = count; self.p50 = p50; self.p95 = p95; self.p99 = p99; self.max = max
    }

    init(_ h: Histogram<UInt64>) {
        guard h.totalCount > 0 else { self.init(); return }
        self.init(count: Int(h.totalCount), p50: Double(h.valueAtPercentile(50)) / 1e6, p95: Double(h.valueAtPercentile(95)) / 1e6,
                  p99: Double(h.valueAtPercentile(99)) / 1e6, max: Double(h.max) / 1e6)
    }
}
