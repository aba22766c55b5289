/// Bearer tokens and what each may do, read from a file of lines `TOKEN ROLE[,ROLE…]`
/// (`#` starts a comment). Roles: `infer` (predictions), `read` (model metadata and the server's
/// list), `metrics` (`/metrics`), `admin` (all of them). With tokens set, only the health probes
/// answer without one.
public struct Tokens: Sendable {
    public enum Role: String, Sendable, CaseIterable {
        case infer, read, metrics, admin
    }

    public static let minimumLength = 16

    struct Entry: Sendable {
        var token: [UInt8]
        var roles: Set<Role>
    }

    let entries: [Entry]

    public var count: Int { entries.count }

    /// The file's text; a line that is not `TOKEN ROLE[,ROLE…]` is an error naming its line.
    public init(text: String, path: String) throws(ServeError) {
        var entries: [Entry] = []
        for (k, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if words.isEmpty { continue }
            let at = "\(path):\(k + 1)"
            guard words.count == 2 else {
                throw .badRequest("\(at): expected TOKEN ROLE[,ROLE…], found \(words.count) word\(words.count == 1 ? "" : "s")")
            }
            guard words[0].utf8.count >= Self.minimumLength else {
                throw .badRequest("\(at): a token needs at least \(Self.minimumLength) characters to be hard to guess (e.g. openssl rand -hex 24)")
            }
            var roles = Set<Role>()
            for r in words[1].split(separator: ",") {
                guard let role = Role(rawValue: String(r)) else {
                    throw .badRequest("\(at): unknown role '\(r)'; roles are " + Role.allCases.map(\.rawValue).joined(separator: ", "))
                }
                roles.insert(role)
            }
            guard !roles.isEmpty else { throw .badRequest("\(at): the token has no role") }
            entries.append(Entry(token: Array(words[0].utf8), roles: roles))
        }
        guard !entries.isEmpty else { throw .badRequest("\(path) holds no tokens; write one per line: TOKEN ROLE[,ROLE…]") }
        self.entries = entries
    }

    public enum Decision: Sendable, Equatable {
        case allowed
        case noToken
        case unknownToken
        case missingRole(Role)
    }

    /// What an `Authorization` header's bearer token may do. Every token is compared, each in
    /// time that does not depend on where the bytes differ, so timing tells nothing.
    public func decide(authorization: String?, needs role: Role) -> Decision {
        guard let authorization, authorization.count > 7, authorization.prefix(7).lowercased() == "bearer " else { return .noToken }
        let given = Array(authorization.dropFirst(7).utf8)
        var found: Set<Role>? = nil
        for e in entries where Self.equalInConstantTime(e.token, given) { found = e.roles }
        guard let roles = found else { return .unknownToken }
        return roles.contains(role) || roles.contains(.admin) ? .allowed : .missingRole(role)
    }

    static func equalInConstantTime(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference: UInt8 = a.count == b.count ? 0 : 1
        let n = max(a.count, b.count)
        for k in 0..<n {
            let x = k < a.count ? a[k] : 0
            let y = k < b.count ? b[k] : 0
            difference |= x ^ y
        }
        return difference == 0
    }
}
