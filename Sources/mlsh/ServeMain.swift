import ArgumentParser
import MLShell
#if canImport(Glibc)
import Glibc
#endif

/// `mlsh serve FILE.mlsm… [--port N] [--host H] [--tokens F] [--access-log] …`
struct ServeCommandLine: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mlsh serve",
        abstract: "Serve saved models over HTTP in the foreground, until SIGTERM or Ctrl-C.",
        discussion: """
            The first line printed is 'listening on http://HOST:PORT'. SIGTERM or SIGINT stops
            accepting, finishes the requests under way, and exits 0.

            exit status:
              0    stopped cleanly
              64   a wrong option
              65   a file is not a model file, or fails its signature
              66   a file does not exist or cannot be read
              69   cannot listen (the port is in use, no permission, not this machine's
                   address, TLS files that cannot be used)
              73   cannot write the request log
            """)

    @Argument(help: ArgumentHelp("The model files (.mlsm) to serve.", valueName: "file"))
    var files: [String]

    @Option(help: "The TCP port; 0 picks a free one.")
    var port = 8080

    @Option(help: "The address to listen on; 0.0.0.0 for every interface.")
    var host = "127.0.0.1"

    @Option(help: ArgumentHelp("A file of bearer tokens: TOKEN ROLE[,ROLE…] per line (roles: infer, read, metrics, admin).", valueName: "file"))
    var tokens: String?

    @Option(name: .customLong("tls-cert"), help: ArgumentHelp("A PEM certificate chain, to serve HTTPS.", valueName: "file"))
    var tlsCertificate: String?

    @Option(name: .customLong("tls-key"), help: ArgumentHelp("The PEM private key of --tls-cert.", valueName: "file"))
    var tlsKey: String?

    @Flag(name: .customLong("access-log"), help: "Log one line per request to standard error.")
    var accessLog = false

    @Option(name: .customLong("max-body"), help: "The largest request body taken, in bytes.")
    var maxBody = 8 << 20

    @Option(help: "The longest a prediction may take, in seconds.")
    var timeout = 5.0

    @Option(name: .customLong("request-log"), help: ArgumentHelp("Write every answered row to this JSON Lines file (rotated, 3 kept).", valueName: "file"))
    var requestLog: String?

    @Option(name: .customLong("request-log-max"), help: "Rotate the request log past this many bytes.")
    var requestLogMax = 64 << 20

    @Option(help: ArgumentHelp("Refuse a model not signed by this public key (.pub).", valueName: "file"))
    var verify: String?

    @Option(help: ArgumentHelp("The AES key (.aes) of encrypted models; or set MLSH_MODEL_PASSPHRASE.", valueName: "file"))
    var key: String?

    func run() throws {
        // SIGTERM, like Ctrl-C, sets the flag the serving loop waits on.
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in InterruptFlag.process.set() }
        sigemptyset(&action.sa_mask)
        sigaction(SIGTERM, &action, nil)
        // A parent may have started us with signals blocked (a Dispatch thread's mask is inherited).
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGTERM)
        sigaddset(&unblock, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        var a = HeadlessServer.Arguments()
        a.files = files
        a.port = port
        a.host = host
        a.tokens = tokens
        a.tlsCertificate = tlsCertificate
        a.tlsKey = tlsKey
        a.accessLog = accessLog
        a.maxBodyBytes = maxBody
        a.timeoutSeconds = timeout
        a.verify = verify
        a.key = key
        a.requestLog = requestLog
        a.requestLogMaxBytes = requestLogMax
        let code = HeadlessServer.run(a, stop: .process)
        if code != 0 { throw ExitCode(code) }
    }
}
