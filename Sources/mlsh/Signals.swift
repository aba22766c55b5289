import MLShell
#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-C never kills mlsh: it sets the interrupt flag, which the prompt and running commands check.
enum Signals {
    static func install() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in InterruptFlag.process.set() }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0  // no SA_RESTART: a read at the prompt returns, so the line can be cleared
        sigaction(SIGINT, &action, nil)
        signal(SIGPIPE, SIG_IGN)
        // A write past the file-size limit fails with EFBIG and is reported, rather than killing the shell.
        signal(SIGXFSZ, SIG_IGN)
    }
}
