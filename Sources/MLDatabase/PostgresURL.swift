import Foundation
import MLDiagnostics

/// A PostgreSQL connection URL as libpq reads it: `postgresql://USER@HOST:PORT/DB?sslmode=…`
/// (also `postgres://`). A host that is a folder (`%2Fvar%2Frun%2Fpostgresql`) is the folder of
/// the server's Unix socket. A password in the URL is refused: the URL is echoed, kept in the
/// history and in recorded scripts; the password comes from PGPASSWORD or ~/.pgpass instead.
public struct PostgresURL: Sendable, Equatable {
    public enum SSLMode: String, Sendable, CaseIterable { case disable, prefer, require }

    public var user: String
    public var host: String
    public var port: Int
    public var database: String
    public var sslmode: SSLMode

    /// The folder of the server's socket, when the host is a path.
    public var socketFolder: String? { host.hasPrefix("/") ? host : nil }

    public static func isDatabaseURL(_ s: String) -> Bool {
        s.hasPrefix("postgresql://") || s.hasPrefix("postgres://")
    }

    /// The URL as shown: never with a password (there is none), always with user, port and database.
    public var display: String {
        let h = socketFolder.map { $0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0 } ?? (host.contains(":") ? "[\(host)]" : host)
        return "postgresql://\(user)@\(h):\(port)/\(database)" + (sslmode == .prefer ? "" : "?sslmode=\(sslmode.rawValue)")
    }

    public static func parse(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PostgresURL {
        func bad(_ message: String, _ hint: String = "write it as postgresql://USER@HOST:PORT/DATABASE") -> Diagnostic {
            Diagnostic(.badDatabaseURL, .error, message, hint: hint)
        }
        guard let schemeEnd = text.range(of: "://") else { throw bad("'\(text)' is not a postgresql:// URL") }
        var rest = Substring(text[schemeEnd.upperBound...])
        var query = ""
        if let q = rest.firstIndex(of: "?") { query = String(rest[rest.index(after: q)...]); rest = rest[..<q] }
        var path = ""
        if let slash = rest.firstIndex(of: "/") { path = String(rest[rest.index(after: slash)...]); rest = rest[..<slash] }
        var user: String? = nil
        if let at = rest.lastIndex(of: "@") {
            let info = rest[..<at]
            if info.contains(":") {
                throw bad("the URL holds a password; mlsh does not take one there (it would be echoed and kept in the history)",
                          "leave it out of the URL and set PGPASSWORD, or put it in ~/.pgpass (mode 600)")
            }
            user = info.removingPercentEncoding ?? String(info)
            if user?.contains(":") == true {
                throw bad("the URL holds a password; mlsh does not take one there (it would be echoed and kept in the history)",
                          "leave it out of the URL and set PGPASSWORD, or put it in ~/.pgpass (mode 600)")
            }
            rest = rest[rest.index(after: at)...]
        }
        var host = "", port = 5432
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw bad("the host '\(rest)' has no closing ]") }
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            rest = rest[rest.index(after: close)...]
            if rest.hasPrefix(":") { rest = rest.dropFirst() } else if !rest.isEmpty { throw bad("unexpected '\(rest)' after the host") } else { rest = "" }
            if !rest.isEmpty { guard let p = Int(rest), (1...65535).contains(p) else { throw bad("the port '\(rest)' is not a number from 1 to 65535") }; port = p }
        } else {
            if let colon = rest.lastIndex(of: ":") {
                let p = rest[rest.index(after: colon)...]
                guard let n = Int(p), (1...65535).contains(n) else { throw bad("the port '\(p)' is not a number from 1 to 65535") }
                port = n
                rest = rest[..<colon]
            }
            host = rest.removingPercentEncoding ?? String(rest)
        }
        var sslmode = SSLMode.prefer
        for pair in query.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2 else { throw bad("the URL's option '\(pair)' has no value") }
            switch kv[0] {
            case "sslmode":
                guard let m = SSLMode(rawValue: kv[1]) else {
                    throw bad("sslmode=\(kv[1]) is not one mlsh knows", "use sslmode=disable, prefer or require")
                }
                sslmode = m
            case "host":
                host = kv[1].removingPercentEncoding ?? kv[1]
            case "port":
                guard let n = Int(kv[1]), (1...65535).contains(n) else { throw bad("the port '\(kv[1])' is not a number from 1 to 65535") }
                port = n
            case "user":
                user = kv[1].removingPercentEncoding ?? kv[1]
            case "password":
                throw bad("the URL holds a password; mlsh does not take one there (it would be echoed and kept in the history)",
                          "leave it out of the URL and set PGPASSWORD, or put it in ~/.pgpass (mode 600)")
            default:
                throw bad("the URL's option '\(kv[0])' is not one mlsh knows", "the options are sslmode, host, port and user")
            }
        }
        // libpq's defaults: the user from PGUSER or the login, the socket folder, the database named as the user.
        let who = user.flatMap { $0.isEmpty ? nil : $0 } ?? environment["PGUSER"] ?? environment["USER"] ?? "postgres"
        if host.isEmpty { host = environment["PGHOST"] ?? "/var/run/postgresql" }
        let database = path.removingPercentEncoding.flatMap { $0.isEmpty ? nil : $0 } ?? environment["PGDATABASE"] ?? who
        return PostgresURL(user: who, host: host, port: port, database: database, sslmode: sslmode)
    }
}

extension Diagnostic.ID {
    public static let badDatabaseURL = Diagnostic.ID("bad-database-url")
    public static let databaseError = Diagnostic.ID("database-error")
    /// A failure to connect (the URL's problem, not the query's).
    public static let databaseConnection = Diagnostic.ID("database-connection")
}
