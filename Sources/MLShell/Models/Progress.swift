import MLRender
#if canImport(Glibc)
import Glibc
#endif

/// A live line for long fits on a terminal (`epoch 12  loss 0.4321`), redrawn at most ten times a
/// second and erased at the end. Nothing is shown when output is not a terminal (scripts, check).
/// A database load reports from its own thread while the prompt's thread waits: one writer at a
/// time, hence @unchecked Sendable.
final class Progress: @unchecked Sendable {
    let session: Session
    let label: String
    let valueLabel: String
    let live: Bool
    /// What Ctrl-C does, as the live line says it: a fit keeps its model, a fold of cv keeps nothing.
    let onCtrlC: String
    private var last = ContinuousClock.now
    private var shown = false

    init(session: Session, label: String, valueLabel: String = "loss", keepsModel: Bool = true) {
        self.session = session
        self.onCtrlC = keepsModel ? "Ctrl-C stops here, keeping the model" : "Ctrl-C stops cv"
        self.label = label
        self.valueLabel = valueLabel
        self.live = session.terminal.stderrIsTTY && !session.recording
    }

    func report(_ step: Int, _ loss: Double) {
        show("\(label) \(step)  \(valueLabel) \(NumberFormat.compact(loss, significant: 7))  (\(onCtrlC))")
    }

    /// Any live text, redrawn at most ten times a second.
    func show(_ text: String) {
        guard live, ContinuousClock.now - last > .milliseconds(100) else { return }
        last = ContinuousClock.now
        session.output.writeError("\r\u{1B}[2K  " + text)
        shown = true
    }

    func finish() {
        if shown { session.output.writeError("\r\u{1B}[2K") }
    }
}
