import MLDiagnostics
import MLModel

/// `keygen "NAME" [aes]`
struct KeygenCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "keygen", stage: .lifecycle,
        abstract: "Make a key: an Ed25519 pair for signing (NAME.key, NAME.pub), or an AES key (NAME.aes)",
        discussion: """
            The private key (NAME.key, NAME.aes) is written readable by you alone (mode 0600). \
            save … sign="NAME.key" signs a model file and load model … verify="NAME.pub" refuses one \
            not signed by it; save … encrypt="NAME.aes" seals one and load model … key="NAME.aes" opens it. \
            keygen does not overwrite a key file unless replace=true.
            """,
        parameters: [
            Parameter("NAME", .string, "the key's path without its extension, e.g. \"keys/release\""),
            Parameter("KIND", .word(["aes"]), "aes: a 256-bit AES key instead of a signing pair", optional: true),
        ],
        options: [
            OptionSpec("replace", .word(["true", "false"]), "replace key files of the name (what they signed or sealed is then lost)", default: "false"),
        ],
        examples: [
            Example("keygen \"/tmp/mlsh-example-release\""),
            Example("keygen \"/tmp/mlsh-example-secret\" aes"),
        ])

    static func run(_ call: CommandCall, in session: Session) throws {
        var name = try call.string("NAME")!
        for ext in [".key", ".pub", ".aes"] where name.hasSuffix(ext) { name.removeLast(ext.count) }
        guard !name.isEmpty, !name.hasSuffix("/") else {
            throw call.error(at: "NAME", "keygen needs a name for the key files", hint: "keygen \"release\" writes release.key and release.pub")
        }
        let aes = call.word("KIND") == "aes"
        let replace = call.word("replace") == "true"
        let written = try ModelFileMessages.attempt(call, at: "NAME") { try KeyFile.generate(name, aes: aes, replace: replace) }
        if aes {
            session.print("wrote the AES-256 key \(written.paths[0]) (mode 0600): keep it; without it the models sealed with it cannot be opened")
        } else {
            session.print("wrote \(written.paths[0]) (private, mode 0600) and \(written.paths[1]) (public), key \(written.fingerprint!)")
        }
    }
}
