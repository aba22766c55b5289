import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where the password comes from, as libpq finds it: PGPASSWORD, then the password file
/// (PGPASSFILE, or ~/.pgpass), whose lines are `host:port:database:user:password` with `*` for
/// any and `\:` `\\` escapes; the first line that matches wins. A file others can read is ignored
/// with a warning, as libpq does.
public enum PGPass {
    public static func password(for url: PostgresURL, environment: [String: String] = ProcessInfo.processInfo.environment,
                                warn: (String) -> Void = { _ in }) -> String? {
        if let p = environment["PGPASSWORD"], !p.isEmpty { return p }
        guard let path = environment["PGPASSFILE"] ?? environment["HOME"].map({ $0 + "/.pgpass" }) else { return nil }
        var st = stat()
        guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        if st.st_mode & 0o077 != 0 {
            warn("\(path) can be read by others than you, so it is not used (chmod 600 \(path))")
            return nil
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        // A socket connection matches the host "localhost", as in libpq.
        let host = url.socketFolder == nil ? url.host : "localhost"
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let f = fields(String(line))
            guard f.count == 5 else { continue }
            let want = [host, String(url.port), url.database, url.user]
            if zip(f.prefix(4), want).allSatisfy({ $0 == "*" || $0 == $1 }) { return f[4] }
        }
        return nil
    }

    /// A line split at its unescaped colons, with `\:` and `\\` unescaped.
    static func fields(_ line: String) -> [String] {
        var out: [String] = [], current = "", escaped = false
        for ch in line {
            if escaped { current.append(ch); escaped = false }
            else if ch == "\\" { escaped = true }
            else if ch == ":" && out.count < 4 { out.append(current); current = "" }
            else { current.append(ch) }
        }
        out.append(current)
        return out
    }
}
