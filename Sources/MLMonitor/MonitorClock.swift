import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Time as the monitor sees it: the real clock in use, a hand-driven one in tests, so a
/// dashboard's ticks, its rates and its windows can be checked without waiting.
public protocol MonitorClock: Sendable {
    /// Seconds since some fixed start.
    func now() -> Double
    /// Waits `seconds`, or less when `wake` says to stop (checked often).
    func sleep(_ seconds: Double, wake: () -> Bool)
}

/// The monotonic clock of the machine.
public struct SystemClock: MonitorClock {
    public init() {}

    public func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    public func sleep(_ seconds: Double, wake: () -> Bool) {
        let end = now() + seconds
        while !wake() {
            let left = end - now()
            if left <= 0 { return }
            usleep(useconds_t(min(left, 0.05) * 1e6))
        }
    }
}

/// A clock that moves only when told: `sleep` advances it at once.
public final class ManualClock: MonitorClock {
    private let seconds = Mutex<Double>(0)

    public init(start: Double = 0) { seconds.withLock { $0 = start } }

    public func now() -> Double { seconds.withLock { $0 } }

    public func advance(_ by: Double) { seconds.withLock { $0 += by } }

    public func sleep(_ seconds: Double, wake: () -> Bool) { advance(seconds) }
}
