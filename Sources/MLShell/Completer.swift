import MLDiagnostics
import MLLanguage

/// What Tab offers: the candidates, and where in the line the word they replace starts.
public struct Completion: Equatable, Sendable {
    /// Byte offset in the line where the word being completed starts.
    public let start: Int
    public let candidates: [String]
    public init(start: Int, candidates: [String]) {
        self.start = start
        self.candidates = candidates
    }
}

extension ShellCommand {
    /// Extra words for Tab at argument position `index` (0 = first after the verb); `previous`
    /// holds the arguments before it. Commands with their own vocabulary override it.
    public static func completions(at index: Int, previous: [String], in session: Session) -> [String] { [] }
}

/// Tab completion from the command specs and the session: verbs, options, keywords, names, paths.
public struct Completer {
    let session: Session

    public init(session: Session) { self.session = session }

    public func complete(line: String, cursor: Int) -> Completion {
        let bytes = Array(line.utf8.prefix(cursor))
        // Inside a quote: complete a file path.
        var quote: UInt8? = nil
        var quoteStart = 0
        var statementStart = 0
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            if let q = quote {
                if c == UInt8(ascii: "\\") { i += 2; continue }
                if c == q { quote = nil }
            } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") || c == UInt8(ascii: "`") {
                quote = c
                quoteStart = i + 1
            } else if c == UInt8(ascii: ";") {
                statementStart = i + 1
            }
            i += 1
        }
        if let q = quote, q != UInt8(ascii: "`") {
            let partial = String(decoding: bytes[quoteStart...], as: UTF8.self)
            // A file name completes with its closing quote; a folder stays open for more.
            let close = String(UnicodeScalar(q))
            return Completion(start: quoteStart, candidates: paths(partial).map { $0.hasSuffix("/") ? $0 : $0 + close })
        }
        let separators: Set<UInt8> = Set(" \t([{,=;".utf8)
        var start = bytes.count
        while start > statementStart && !separators.contains(bytes[start - 1]) { start -= 1 }
        let word = String(decoding: bytes[start...], as: UTF8.self)
        let before = String(decoding: bytes[statementStart..<start], as: UTF8.self)
        let words = before.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let verb = words.first else {
            return Completion(start: start, candidates: filter(session.registry.allNames, word))
        }
        guard let type = session.registry.lookup(verb) else { return Completion(start: start, candidates: []) }
        let spec = type.spec
        // After `key=`: the option's choices.
        if start > 0, bytes[start - 1] == UInt8(ascii: "=") {
            let key = words.last.map { String($0.dropLast()) } ?? ""
            if let option = spec.options.first(where: { $0.name == key }), case .word(let choices) = option.kind {
                return Completion(start: start, candidates: filter(choices, word))
            }
            let columns = (previous(words).lazy.compactMap { session.dataset(named: $0) }.first ?? session.currentDataset)?.frame.columnNames ?? []
            return Completion(start: start, candidates: filter(session.variableNames + columns, word))
        }
        let previous = Array(words.dropFirst())
        // A position with its own vocabulary (an algorithm, a setting, a command) offers only that.
        var own: [String] = type.completions(at: previous.count, previous: previous, in: session)
        let (choices, alsoOthers) = wordChoices(spec, previous: previous)
        own += choices
        if !own.isEmpty && !alsoOthers { return Completion(start: start, candidates: filter(own, word)) }
        var pool: [String] = own + spec.options.map { $0.name + "=" }
        pool += spec.parameters.compactMap(\.keyword)
        if !spec.binds.isEmpty && !previous.isEmpty { pool.append("as") }
        pool += session.variableNames
        // Column names: of the dataset the line names, else of the current one.
        let named = previous.lazy.compactMap { session.dataset(named: $0) }.first
        if let d = named ?? session.currentDataset { pool += d.frame.columnNames }
        return Completion(start: start, candidates: filter(pool, word))
    }

    private func previous(_ words: [String]) -> [String] { Array(words.dropFirst()) }

    /// The choices of the spec's word parameters (a method, a kind) that may stand at the next
    /// position, and whether something else may stand there too: an optional dataset before
    /// `encode onehot`, the columns before `fill … median`. A word already given is not offered.
    func wordChoices(_ spec: CommandSpec, previous: [String]) -> (words: [String], alsoOthers: Bool) {
        let positional = spec.parameters.filter { $0.keyword == nil }
        var words: [String] = []
        var alsoOthers = false
        for (k, p) in positional.enumerated() {
            guard case .word(let choices) = p.kind, !previous.contains(where: choices.contains) else { continue }
            let before = positional[..<k]
            let required = before.filter { !$0.optional }.count
            let afterVariadic = before.contains { $0.variadic }
            guard previous.count >= required && (previous.count <= k || afterVariadic) else { continue }
            words += choices
            if previous.count < k || afterVariadic { alsoOthers = true }
        }
        return (words, alsoOthers)
    }

    private func filter(_ pool: [String], _ prefix: String) -> [String] {
        var seen = Set<String>()
        return pool.filter { $0.hasPrefix(prefix) && seen.insert($0).inserted }.sorted()
    }

    /// The entries of the folder a partial path names, as whole paths; folders end in '/'.
    func paths(_ partial: String) -> [String] {
        let dirPart: String
        let base: String
        if let slash = partial.lastIndex(of: "/") {
            dirPart = String(partial[...slash])
            base = String(partial[partial.index(after: slash)...])
        } else {
            dirPart = ""
            base = partial
        }
        var dir = dirPart.isEmpty ? "." : dirPart
        if dir.hasPrefix("~/"), let home = getenvString("HOME") { dir = home + dir.dropFirst() }
        return FileText.listDirectory(dir)
            .filter { $0.hasPrefix(base) && (base.hasPrefix(".") || !$0.hasPrefix(".")) }
            .map { dirPart + $0 + (FileText.isDirectory(dir + "/" + $0) ? "/" : "") }
    }
}

#if canImport(Glibc)
import Glibc
#endif
func getenvString(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }
