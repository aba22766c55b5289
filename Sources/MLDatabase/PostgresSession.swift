import Dispatch
import Foundation
import Logging
import MLAsyncBridge
import MLDiagnostics
import NIOCore
import NIOSSL
import PostgresNIO

/// Runs database work from the shell's synchronous commands: the work runs as a task, the caller's
/// thread waits, and polls `interrupted` (Ctrl-C) every 50 ms. On an interrupt the task is
/// cancelled and, since a cancelled task only stops reading while the server goes on, the server
/// is asked on a second connection to cancel the backend's query (pg_cancel_backend).
final class DatabaseRun: @unchecked Sendable {
    let url: PostgresURL
    let password: String?
    /// Loads run read-only: a query= that deletes or updates is refused by the server, not run.
    let readOnly: Bool
    private let lock = NSLock()
    private var backendPID: Int32?
    private var cancelled = false

    init(url: PostgresURL, password: String?, readOnly: Bool = false) {
        self.url = url
        self.password = password
        self.readOnly = readOnly
    }

    var wasCancelled: Bool { lock.withLock { cancelled } }

    func connect(id: Int = 1) async throws -> PostgresConnection {
        var config: PostgresConnection.Configuration
        if let folder = url.socketFolder {
            config = .init(unixSocketPath: folder + "/.s.PGSQL.\(url.port)", username: url.user, password: password, database: url.database)
        } else {
            let tls: PostgresConnection.Configuration.TLS
            switch url.sslmode {
            case .disable: tls = .disable
            case .prefer, .require:
                // As libpq's prefer and require: encrypted, without checking the certificate.
                var t = TLSConfiguration.makeClientConfiguration()
                t.certificateVerification = .none
                let context = try NIOSSLContext(configuration: t)
                tls = url.sslmode == .prefer ? .prefer(context) : .require(context)
            }
            config = .init(host: url.host, port: url.port, username: url.user, password: password, database: url.database, tls: tls)
        }
        config.options.connectTimeout = .seconds(10)
        config.options.additionalStartupParameters = [("application_name", "mlsh"), ("TimeZone", "UTC")]
            + (readOnly ? [("default_transaction_read_only", "on")] : [])
        let c = try await PostgresConnection.connect(configuration: config, id: id, logger: Self.logger)
        return c
    }

    /// Remembers the connection's backend, so that an interrupt can cancel its query.
    func track(_ c: PostgresConnection) async throws {
        for try await pid in try await c.query("SELECT pg_backend_pid()", logger: Self.logger).decode(Int32.self) {
            lock.withLock { backendPID = pid }
        }
    }

    func cancelOnServer() async {
        guard let pid = lock.withLock({ backendPID }) else { return }
        guard let c = try? await connect(id: 2) else { return }
        _ = try? await c.query("SELECT pg_cancel_backend(\(unescaped: String(pid)))", logger: Self.logger)
        try? await c.close()
    }

    /// The work, waited for; Ctrl-C cancels it (see above).
    func run<T: Sendable>(interrupted: @escaping @Sendable () -> Bool, _ body: @escaping @Sendable (DatabaseRun) async throws -> T) throws -> T {
        try blocking(whileWaiting: { [self] cancel in
            guard interrupted(), !wasCancelled else { return }
            lock.withLock { cancelled = true }
            cancel()
            Task.detached(executorPreference: DedicatedExecutor.shared) { [self] in await cancelOnServer() }
        }) { [self] in try await body(self) }
    }

    static let logger: Logger = {
        var l = Logger(label: "mlsh.postgres")
        l.logLevel = .critical
        return l
    }()

    /// A postgres-nio error as a diagnostic: the server's own message and hint where there is one.
    func diagnostic(_ error: any Error, doing what: String) -> Diagnostic {
        var d = serverDiagnostic(error, doing: what)
        // What went wrong while connecting is about the URL, and is marked so that it points there.
        if what == "connecting", d.id == .databaseError { d.id = .databaseConnection }
        return d
    }

    private func serverDiagnostic(_ error: any Error, doing what: String) -> Diagnostic {
        if let d = error as? Diagnostic { return d }
        if wasCancelled {
            return Diagnostic(Diagnostic.ID("interrupted"), .error, what == "connecting" ? "interrupted while connecting" : "interrupted: \(what) was cancelled on the server")
        }
        guard let e = error as? PSQLError else {
            return Diagnostic(.databaseError, .error, "\(what) failed: \(error)")
        }
        if let info = e.serverInfo, let message = info[.message] {
            var hint = info[.hint]
            if info[.sqlState] == "28P01" {
                hint = hint ?? "set PGPASSWORD, or put the password in ~/.pgpass (mode 600)"
            }
            if info[.sqlState] == "25006" {
                hint = hint ?? "load only reads; change data with psql, or write DS \"URL\" table=NAME"
            }
            if info[.sqlState] == "42P01" {
                hint = hint ?? "list the tables: query=\"SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')\""
            }
            if info[.sqlState] == "57014" { return Diagnostic(Diagnostic.ID("interrupted"), .error, "interrupted: \(what) was cancelled on the server") }
            return Diagnostic(.databaseError, .error, "PostgreSQL: \(message)" + (info[.detail].map { " (\($0))" } ?? ""), hint: hint)
        }
        switch e.code {
        case .connectionError, .serverClosedConnection, .uncleanShutdown:
            let text = e.underlying.map { "\($0)" } ?? ""
            let underlying = text.contains("refused") ? "the connection was refused"
                : text.lowercased().contains("timed out") || text.lowercased().contains("timeout") ? "the connection timed out"
                : text.contains("No such file") ? "there is no server socket there" : text.isEmpty ? "the connection failed" : text
            return Diagnostic(.databaseError, .error, "cannot connect to \(url.display): \(underlying)",
                              hint: "check that the server runs and listens there (pg_isready -h \(url.host) -p \(url.port))")
        case .sslUnsupported:
            return Diagnostic(.databaseError, .error, "the server at \(url.host):\(url.port) does not offer SSL, and the URL says sslmode=require",
                              hint: "use sslmode=prefer (or disable) on a trusted network, or turn on ssl in the server's postgresql.conf")
        case .authMechanismRequiresPassword:
            return Diagnostic(.databaseError, .error, "the server asks \(url.user) for a password, and none was found",
                              hint: "set PGPASSWORD, or put the password in ~/.pgpass (mode 600); the URL takes none")
        default:
            return Diagnostic(.databaseError, .error, "\(what) failed: \(e.code)")
        }
    }
}

/// A SQL identifier in double quotes; a name with a double quote in it is refused rather than escaped.
func quoted(_ identifier: String) throws -> String {
    guard !identifier.contains("\""), !identifier.isEmpty, !identifier.contains("\0") else {
        throw Diagnostic(.badDatabaseURL, .error, "the name '\(identifier)' cannot be used as a PostgreSQL name here", hint: "rename it to letters, digits and _")
    }
    return "\"\(identifier)\""
}

/// A SQL text literal.
func literal(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }
