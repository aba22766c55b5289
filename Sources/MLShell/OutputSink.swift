#if canImport(Glibc)
import Glibc
#endif

/// Where a session's text goes: the terminal, or a buffer when `mlsh check` records output.
public protocol OutputSink: AnyObject {
    func write(_ text: String)
    func writeError(_ text: String)
}

/// Standard output and standard error.
public final class StandardOutput: OutputSink {
    public init() {}
    public func write(_ text: String) { StandardOutput.writeAll(STDOUT_FILENO, text) }
    public func writeError(_ text: String) { StandardOutput.writeAll(STDERR_FILENO, text) }

    /// Unbuffered, so output and errors reach the terminal in the order they were written.
    public static func writeAll(_ fd: Int32, _ text: String) {
        var t = text
        t.withUTF8 { buf in
            var offset = 0
            while offset < buf.count {
                let n = Glibc.write(fd, buf.baseAddress! + offset, buf.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return  // a closed pipe: nothing more can be shown
                }
                offset += n
            }
        }
    }
}

/// Collects everything written, output and errors interleaved in order, as a transcript sees it.
public final class CapturedOutput: OutputSink {
    public private(set) var text = ""
    public init() {}
    public func write(_ t: String) { text += t }
    public func writeError(_ t: String) { text += t }
    public func take() -> String {
        defer { text = "" }
        return text
    }
}

/// What the terminal can show, read at start; the width of a real terminal is read again each
/// time it is needed (`currentColumns`), since the window can be resized while mlsh runs.
public struct TerminalInfo: Sendable {
    public var stdoutIsTTY: Bool
    public var stderrIsTTY: Bool
    public var noColorEnv: Bool
    public var utf8: Bool
    public var columns: Int?

    /// The window's width now when standard output is a terminal (one ioctl: cheap enough to ask
    /// before every table), else the width found at start (COLUMNS, or none).
    public var currentColumns: Int? {
        guard stdoutIsTTY else { return columns }
        return TerminalInfo.windowColumns() ?? columns
    }

    static func windowColumns() -> Int? {
        var ws = winsize()
        return ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &ws) == 0 && ws.ws_col > 0 ? Int(ws.ws_col) : nil
    }

    public init(stdoutIsTTY: Bool, stderrIsTTY: Bool, noColorEnv: Bool, utf8: Bool, columns: Int?) {
        self.stdoutIsTTY = stdoutIsTTY
        self.stderrIsTTY = stderrIsTTY
        self.noColorEnv = noColorEnv
        self.utf8 = utf8
        self.columns = columns
    }

    /// A fixed, plain terminal: 80 columns, no colour, UTF-8. `mlsh check` and tests use it.
    public static let plain = TerminalInfo(stdoutIsTTY: false, stderrIsTTY: false, noColorEnv: true, utf8: true, columns: 80)

    /// Reads the real terminal: isatty, NO_COLOR, TERM=dumb, the locale and the window size.
    public static func detect() -> TerminalInfo {
        let env = { (name: String) -> String? in getenv(name).map { String(cString: $0) } }
        let term = env("TERM") ?? ""
        let noColor = env("NO_COLOR").map { !$0.isEmpty } ?? false
        let lang = (env("LC_ALL") ?? env("LC_CTYPE") ?? env("LANG") ?? "").uppercased()
        let utf8 = lang.contains("UTF-8") || lang.contains("UTF8")
        var columns = windowColumns()
        if columns == nil, let c = env("COLUMNS").flatMap({ Int($0) }), c > 0 {
            columns = c
        }
        return TerminalInfo(
            stdoutIsTTY: isatty(STDOUT_FILENO) != 0, stderrIsTTY: isatty(STDERR_FILENO) != 0,
            noColorEnv: noColor || term == "dumb", utf8: utf8, columns: columns)
    }
}
