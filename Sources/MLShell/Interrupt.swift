import MLDiagnostics
import Synchronization

/// Ctrl-C as a flag: the SIGINT handler sets the process's flag, long-running commands check it.
/// A session holds its own reference, so tests can interrupt one session without touching others.
public final class InterruptFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    private let count = Atomic<Int>(0)

    public init() {}

    /// The flag the SIGINT handler sets.
    public static let process = InterruptFlag()

    public var isSet: Bool { flag.load(ordering: .relaxed) }
    /// How many times Ctrl-C was pressed: a step after one that Ctrl-C stopped (the training
    /// metrics after a fit stopped early) stops at the next press, not at the one already spent.
    public var presses: Int { count.load(ordering: .relaxed) }
    public func set() {
        flag.store(true, ordering: .relaxed)
        count.add(1, ordering: .relaxed)
    }
    public func reset() { flag.store(false, ordering: .relaxed) }

    /// Throws the interruption when Ctrl-C was pressed; commands call it between units of work.
    public func check() throws(Diagnostic) {
        if flag.load(ordering: .relaxed) {
            throw Diagnostic(.interrupted, .error, "interrupted")
        }
    }
}

extension Diagnostic.ID {
    public static let interrupted = Diagnostic.ID("interrupted")
}
