import MLAsyncBridge
import Dispatch
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import MLServeProtocol
import NIOCore
import NIOPosix
import NIOSSL
import ServiceLifecycle

/// Why a server did not start, in words for the user.
public struct ServeStartError: Error, CustomStringConvertible {
    public var description: String
    public var hint: String
}

/// A server running in the background: started from synchronous code (the REPL's thread, or the
/// headless command's), stopped by draining: it stops accepting, finishes the requests under way,
/// closes idle connections. ServiceLifecycle is given no signals: the shell owns SIGINT.
public final class RunningServer: Sendable {
    public let state: ServerState
    public let host: String
    public let port: Int
    public let startedAt: ContinuousClock.Instant
    let group: ServiceGroup
    let task: Task<Void, any Error>

    public var url: String { "\(state.options.tlsCertificate != nil ? "https" : "http")://\(host.contains(":") ? "[\(host)]" : host):\(port)" }

    init(state: ServerState, host: String, port: Int, group: ServiceGroup, task: Task<Void, any Error>) {
        self.state = state
        self.host = host
        self.port = port
        self.group = group
        self.task = task
        startedAt = .now
    }

    /// The threads that read and write the sockets, shared by every server of the process. Half
    /// the cores: the answers are computed on Swift's pool, which has a thread per core. On two
    /// cores one loop gave a fifth more requests a second than two, and a 100-row p99 of 4 ms
    /// instead of 14 (wrk on the same machine).
    static let eventLoops = MultiThreadedEventLoopGroup(numberOfThreads: max(1, System.coreCount / 2))

    /// Binds and starts; returns once the server listens (the port is the real one when 0 was asked).
    public static func start(_ state: ServerState) throws -> RunningServer {
        let options = state.options
        let router = Routes.router(state)
        let quiet = Logger(label: "mlsh.serve", factory: { _ in SwiftLogNoOpLogHandler() })
        var server: HTTPServerBuilder = .http1(configuration: .init(idleTimeout: .seconds(60)))
        if let cert = options.tlsCertificate, let key = options.tlsKey {
            do {
                let chain = try NIOSSLCertificate.fromPEMFile(cert).map { NIOSSLCertificateSource.certificate($0) }
                let privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
                server = try .tls(.http1(), tlsConfiguration: .makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(privateKey)))
            } catch {
                throw ServeStartError(description: "cannot use the TLS certificate \(cert) and key \(key): \(error)",
                                      hint: "give PEM files: tls_cert= a certificate chain, tls_key= its private key")
            }
        }
        let (ports, portsContinuation) = AsyncStream<Int>.makeStream()
        let app = Application(router: router, server: server,
                              configuration: .init(address: .hostname(options.host, port: options.port), serverName: "mlsh"),
                              onServerRunning: { channel in
                                  portsContinuation.yield(channel.localAddress?.port ?? -1)
                                  portsContinuation.finish()
                              },
                              eventLoopGroupProvider: .shared(eventLoops),
                              logger: quiet)
        var configuration = ServiceGroupConfiguration(services: [app], gracefulShutdownSignals: [], cancellationSignals: [], logger: quiet)
        configuration.maximumGracefulShutdownDuration = .seconds(10)
        let group = ServiceGroup(configuration: configuration)
        // The server's tasks run on Swift's cooperative pool (a tenth faster than threads of their
        // own); so the synchronous waits below must not be on that pool: the shell calls them
        // from its own thread, and the tests from threads of their own (offPool).
        let task = Task.detached {
            // A bind error ends the group at once; finishing the stream wakes the wait below.
            defer { portsContinuation.finish() }
            try await group.run()
        }
        let port = try blocking { () async -> Int? in
            var it = ports.makeAsyncIterator()
            return await it.next()
        }
        guard let port, port >= 0 else {
            let failure = try? blocking { () async -> String? in
                do { try await task.value; return nil } catch { return "\(error)" }
            }
            throw startError(options, failure ?? nil)
        }
        return RunningServer(state: state, host: options.host, port: port, group: group, task: task)
    }

    static func startError(_ options: ServeOptions, _ failure: String?) -> ServeStartError {
        let text = failure ?? "unknown reason"
        if text.contains("Address already in use") || text.contains("errno: 98") {
            return ServeStartError(description: "port \(options.port) on \(options.host) is in use (another server?)",
                                   hint: "pick another port, or port 0 for a free one")
        }
        if text.contains("Permission denied") || text.contains("errno: 13") {
            return ServeStartError(description: "no permission to listen on port \(options.port) of \(options.host)",
                                   hint: "ports below 1024 need privileges; pick one from 1024 up, or 0 for a free one")
        }
        if text.contains("Cannot assign") || text.contains("errno: 99") || text.contains("resolve") || text.contains("NIOConnectionError") || text.contains("getaddrinfo") {
            return ServeStartError(description: "cannot listen on \(options.host): not an address of this machine",
                                   hint: "use 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)")
        }
        return ServeStartError(description: "the server did not start: \(text)", hint: "check the host and port")
    }

    /// Drains and stops; waits at most 10 s for requests under way. The wait needs a free thread
    /// of Swift's cooperative pool (Hummingbird's shutdown starts a task there), so a caller on
    /// that pool must not be one of many blocked at once: the shell calls it from its own thread.
    public func stop() {
        let group = group, task = task
        _ = try? blocking { () async throws -> Bool in
            await group.triggerGracefulShutdown()
            try? await task.value
            return true
        }
        state.options.requestLog?.close()
    }

    /// Starts the drain and returns at once (for a session that is going away).
    public func stopWithoutWaiting() {
        let group = group, task = task
        let log = state.options.requestLog
        Task.detached(executorPreference: DedicatedExecutor.shared) {
            await group.triggerGracefulShutdown()
            try? await task.value
            log?.close()
        }
    }

    public var uptime: Duration { ContinuousClock.now - startedAt }
}
