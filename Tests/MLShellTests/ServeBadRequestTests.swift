import Foundation
import Hummingbird
import HummingbirdTesting
import MLServeProtocol
import Testing

/// One case of Tests/Fixtures/serve-bad-requests.txt.
struct BadRequestCase: CustomStringConvertible, Sendable {
    var name: String
    var method: String
    var path: String
    var contentType: String?
    var body: [UInt8]
    var status: Int
    var message: String
    var description: String { name }

    /// The cases of the file, in order; a malformed file fails the test that reads it.
    static func load() throws -> [BadRequestCase] {
        let text = try String(contentsOfFile: packageRoot + "/Tests/Fixtures/serve-bad-requests.txt", encoding: .utf8)
        var cases: [BadRequestCase] = []
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)[...]
        while let line = lines.popFirst() {
            guard line.hasPrefix("### ") else { continue }
            let requestLine = lines.popFirst()
            let request = try #require(requestLine).split(separator: " ", maxSplits: 2).map(String.init)
            var bodyLines: [String] = []
            while let l = lines.first, !l.hasPrefix("=> ") { bodyLines.append(l); lines.removeFirst() }
            let verdictLine = lines.popFirst()
            let verdict = try #require(verdictLine).dropFirst(3)
            let status = try #require(Int(verdict.prefix(3)))
            let type = request.count > 2 ? (request[2] == "-" ? nil : request[2]) : nil
            cases.append(BadRequestCase(name: String(line.dropFirst(4)), method: request[0], path: request[1], contentType: type,
                                        body: unescape(bodyLines.joined(separator: "\n")), status: status, message: String(verdict.dropFirst(4))))
        }
        return cases
    }

    /// `\xNN` is the byte NN (for bodies that are not UTF-8); any other text is its UTF-8.
    static func unescape(_ s: String) -> [UInt8] {
        let b = Array(s.utf8)
        var out: [UInt8] = [], i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "\\"), i + 3 < b.count + 0, b[i + 1] == UInt8(ascii: "x"),
               let v = UInt8(String(decoding: b[(i + 2)..<(i + 4)], as: UTF8.self), radix: 16) {
                out.append(v)
                i += 4
            } else {
                out.append(b[i])
                i += 1
            }
        }
        return out
    }
}

@Suite struct ServeBadRequestTests {
    static let cases = (try? BadRequestCase.load()) ?? []

    @Test func theCorpusHasItsCases() throws {
        // Read again without `try?`, so that a file that cannot be read fails here.
        let cases = try BadRequestCase.load()
        #expect(cases.count == 66)
        #expect(Set(cases.map(\.name)).count == cases.count)
    }

    /// Each request answered with its status and exactly its message, as `{"error": …}`.
    @Test(arguments: cases) func refused(_ c: BadRequestCase) async throws {
        try await withRouter(ServeFixtures.state(["m", "pc"])) { client in
            var headers = HTTPFields()
            if let t = c.contentType { headers[.contentType] = t }
            let a = try await client.send(HTTPRequest.Method(c.method)!, c.path, headers, c.method == "GET" ? nil : c.body)
            #expect(a.status == c.status, "\(c.name): \(a.body)")
            #expect(a.contentType == "application/json")
            let o = try jsonObject(a.body)
            #expect(o.count == 1)
            #expect(o["error"] as? String == c.message, "\(c.name)")
        }
    }
}
