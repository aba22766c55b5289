import MLDiagnostics
#if canImport(Glibc)
import Glibc
#endif

/// mlsh's own history file: one entry a line (newlines and backslashes escaped), appended one
/// entry at a time with a single write, so two sessions at once interleave and lose nothing.
public struct HistoryStore: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// `MLSH_HISTORY`, else `~/.mlsh_history`.
    public static func defaultPath() -> String {
        if let p = getenvString("MLSH_HISTORY"), !p.isEmpty { return p }
        return (getenvString("HOME") ?? ".") + "/.mlsh_history"
    }

    /// The latest entries, oldest first.
    public func load(limit: Int = 2000) -> [String] {
        guard let bytes = try? FileText.read(path) else { return [] }
        let text = String(decoding: bytes, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        return lines.suffix(limit).map { HistoryStore.unescape(String($0)) }
    }

    public func append(_ entry: String) {
        let line = HistoryStore.escape(entry) + "\n"
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o600)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var bytes = Array(line.utf8)
        _ = write(fd, &bytes, bytes.count)
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    static func unescape(_ s: String) -> String {
        var out = ""
        var escaping = false
        for ch in s.unicodeScalars {
            if escaping {
                switch ch {
                case "n": out += "\n"
                case "r": out += "\r"
                default: out.unicodeScalars.append(ch)
                }
                escaping = false
            } else if ch == "\\" {
                escaping = true
            } else {
                out.unicodeScalars.append(ch)
            }
        }
        return out
    }
}
