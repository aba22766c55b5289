/// The process exit codes, sysexits-style (docs/language.md lists them).
public enum ShellExit: Int32, Sendable {
    case ok = 0
    /// A command failed at run time (a bad file, a failed check) or `mlsh check` found a difference.
    case runtimeError = 1
    /// The command line itself was wrong (an unknown flag).
    case usage = 64
    /// A script has a syntax error; nothing in it ran.
    case syntaxError = 65
    /// The script file does not exist or cannot be read.
    case noInput = 66
    /// `mlsh serve` could not listen (the port in use, no permission, an address not this machine's).
    case unavailable = 69
    /// `mlsh serve` cannot write its request log (EX_CANTCREAT).
    case cantCreate = 73
    /// Ctrl-C stopped a script.
    case interrupted = 130
}

extension ShellExit {
    /// Data that is not what it should be (EX_DATAERR): for `mlsh serve`, a file that is not a
    /// model or fails its signature; the same code as a script's syntax error.
    public static var dataError: ShellExit { .syntaxError }
}

/// An error that has already been shown to the user; it only carries how to exit.
public struct ReportedError: Error, Sendable {
    public let exit: ShellExit
    public init(_ exit: ShellExit) { self.exit = exit }
}
