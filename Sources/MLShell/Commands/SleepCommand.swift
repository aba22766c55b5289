#if canImport(Glibc)
import Glibc
#endif

/// `sleep DURATION`
struct SleepCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "sleep", stage: .session,
        abstract: "Wait for a while (Ctrl-C cancels the wait)",
        parameters: [Parameter("DURATION", .duration, "how long: 500ms, 2s, 1m")],
        examples: [Example("sleep 10ms")])

    static func run(_ call: CommandCall, in session: Session) throws {
        let seconds = try call.duration("DURATION")!
        if seconds < 0 { throw call.error(at: "DURATION", "'sleep' needs a duration ≥ 0") }
        // A day is plenty (and a longer one would overflow the clock's milliseconds).
        guard seconds <= 86_400 else { throw call.error(at: "DURATION", "'sleep' takes at most a day (86400s)", hint: "Ctrl-C stops a sleep early") }
        let end = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while ContinuousClock.now < end {
            try session.interrupt.check()
            usleep(10_000)
        }
    }
}
