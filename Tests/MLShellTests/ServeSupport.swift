import Foundation
import Hummingbird
import HummingbirdTesting
import MLModel
@testable import MLServe
import MLServeProtocol
@testable import MLShell
import Testing

/// The models the serving tests use, fitted once through the shell: a linear regression on
/// mtcars (inputs hp, wt), a logistic classifier on penguins with a recipe (fill, one-hot) whose
/// inputs include a text column, and k-means.
enum ServeFixtures {
    static let models: [String: Model] = {
        let (s, _) = recordingSession()
        let out = run("""
            load "\(packageRoot)/tutorials/data/mtcars.csv"
            fit linear mpg ~ wt + hp on mtcars as m
            load "\(packageRoot)/tutorials/data/penguins.csv"
            fill bill_length_mm median
            fill bill_depth_mm median
            encode onehot island
            fit logistic species ~ bill_length_mm + bill_depth_mm + island_Dream + island_Torgersen on penguins as pc
            fit kmeans ~ wt + hp on mtcars k=3 as km
            """, in: s)
        var models: [String: Model] = [:]
        for name in ["m", "pc", "km"] {
            guard let model = s.model(named: name) else { fatalError("fixture model \(name) was not fitted:\n\(out)") }
            models[name] = model
        }
        return models
    }()

    static func state(_ names: [String], options: ServeOptions = ServeOptions()) -> ServerState {
        ServerState(models: names.map { ServedModel(name: $0, model: models[$0]!) }, options: options,
                    engine: Session.servingEngine, version: "test")
    }
}

/// A status and body from the in-process router.
struct TestAnswer {
    var status: Int
    var body: String
    var contentType: String?
}

/// Runs requests against a server's router in process (HummingbirdTesting's router framework).
func withRouter(_ state: ServerState, _ body: @escaping @Sendable (RouterClient) async throws -> Void) async throws {
    let app = Application(router: Routes.router(state))
    try await app.test(.router) { client in
        try await body(RouterClient(send: { method, uri, headers, bytes in
            try await client.execute(uri: uri, method: method, headers: headers, body: bytes.map { ByteBuffer(bytes: $0) }) { r in
                TestAnswer(status: Int(r.status.code), body: String(buffer: r.body), contentType: r.headers[.contentType])
            }
        }))
    }
}

struct RouterClient: Sendable {
    let send: @Sendable (HTTPRequest.Method, String, HTTPFields, [UInt8]?) async throws -> TestAnswer

    func get(_ uri: String, token: String? = nil) async throws -> TestAnswer {
        var h = HTTPFields()
        if let token { h[.authorization] = "Bearer " + token }
        return try await send(.get, uri, h, nil)
    }

    func post(_ uri: String, _ body: String, type: String? = "application/json", token: String? = nil) async throws -> TestAnswer {
        var h = HTTPFields()
        if let type { h[.contentType] = type }
        if let token { h[.authorization] = "Bearer " + token }
        return try await send(.post, uri, h, Array(body.utf8))
    }
}

/// A JSON body parsed with Foundation, for reading answers independently of mlsh's own parser.
func jsonObject(_ text: String) throws -> [String: Any] {
    let v = try JSONSerialization.jsonObject(with: Data(text.utf8))
    guard let o = v as? [String: Any] else { throw TestFailure("not an object: \(text)") }
    return o
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
