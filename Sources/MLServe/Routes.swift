import Hummingbird
import MLModel
import MLServeProtocol
import NIOCore

/// The routes of the three protocols, each a thin adapter over one batch prediction:
/// Open Inference (KServe V2) under /v2, KServe V1 under /v1, MLflow scoring at /invocations;
/// and the health probes and /metrics.
enum Routes {
    static func router(_ server: ServerState) -> Router<BasicRequestContext> {
        let router = Router()
        // Added before the routes: a route is wrapped in the middleware present when it is added.
        router.add(middleware: NotFoundMiddleware(server: server))
        let open: Tokens.Role? = nil

        router.get("/v2/health/live") { r, c in await server.answer(r, "v2", open) { _ in .json(#"{"live":true}"#) } }
        router.get("/v2/health/ready") { r, c in await server.answer(r, "v2", open) { _ in .json(#"{"ready":true}"#) } }
        router.get("/v2") { r, c in await server.answer(r, "v2", .read) { _ in .json(server.serverMetadata()) } }
        router.get("/v2/models/{m}") { r, c in
            await server.answer(r, "v2", .read) { _ in let m = try server.model(c); return .json(OpenInference.metadata(m.model), model: m.name) }
        }
        router.get("/v2/models/{m}/versions/{v}") { r, c in
            await server.answer(r, "v2", .read) { _ in let m = try server.model(c, version: true); return .json(OpenInference.metadata(m.model), model: m.name) }
        }
        router.get("/v2/models/{m}/ready") { r, c in
            await server.answer(r, "v2", .read) { _ in
                var w = JSONWriter()
                w.raw("{"); w.key("name"); w.string(try server.model(c).name); w.raw(",\"ready\":true}")
                return .json(w.bytes)
            }
        }
        router.post("/v2/models/{m}/infer") { r, c in await server.answer(r, "v2", .infer, prediction: true) { try await server.inferV2(&$0, c, version: false) } }
        router.post("/v2/models/{m}/versions/{v}/infer") { r, c in await server.answer(r, "v2", .infer, prediction: true) { try await server.inferV2(&$0, c, version: true) } }

        // Monitoring: the model's figures for `watch`, and true values fed back for its requests.
        router.get("/v2/models/{m}/monitor") { r, c in
            await server.answer(r, "v2", .read) { _ in
                let m = try server.model(c)
                guard let snapshot = server.monitor(m.name) else { throw ServeError(404, "no model '\(m.name)' here") }
                return .json(snapshot.json(), model: m.name)
            }
        }
        router.post("/v2/models/{m}/feedback") { r, c in
            await server.answer(r, "v2", .infer) { request in
                let m = try server.model(c)
                let items = try Feedback.decode(try await server.body(&request), model: m.model)
                let rows = try server.label(items, model: m.name)
                var w = JSONWriter()
                w.raw("{"); w.key("model_name"); w.string(m.name)
                w.raw(","); w.key("requests"); w.raw(String(items.count))
                w.raw(","); w.key("rows"); w.raw(String(rows)); w.raw("}")
                return .json(w.bytes, model: m.name)
            }
        }

        router.get("/v1/models") { r, c in
            await server.answer(r, "v1", .read) { _ in
                var w = JSONWriter()
                w.raw("{\"models\":[")
                for (k, n) in server.store.names.enumerated() { if k > 0 { w.raw(",") }; w.string(n) }
                w.raw("]}")
                return .json(w.bytes)
            }
        }
        router.get("/v1/models/{m}") { r, c in
            await server.answer(r, "v1", .read) { _ in
                var w = JSONWriter()
                w.raw("{"); w.key("name"); w.string(try server.model(c).name); w.raw(",\"ready\":true}")
                return .json(w.bytes)
            }
        }
        router.post("/v1/models/{m}:predict") { r, c in await server.answer(r, "v1", .infer, prediction: true) { try await server.inferV1(&$0, c) } }

        router.post("/invocations") { r, c in await server.answer(r, "mlflow", .infer, prediction: true) { try await server.invocations(&$0) } }
        router.get("/ping") { r, c in await server.answer(r, "mlflow", open) { _ in Answer(status: 200, body: Array("\n".utf8), contentType: "application/json") } }
        router.get("/health") { r, c in await server.answer(r, "mlflow", open) { _ in Answer(status: 200, body: Array("\n".utf8), contentType: "application/json") } }
        router.get("/version") { r, c in await server.answer(r, "mlflow", open) { _ in Answer(status: 200, body: Array(server.version.utf8), contentType: "text/plain") } }

        router.get("/metrics") { r, c in
            await server.answer(r, "metrics", .metrics) { _ in
                // A scrape checks the alerts, so their counters are current.
                for name in server.modelsWithAlerts { _ = server.monitor(name) }
                return Answer(status: 200, body: server.metrics.text(), contentType: "text/plain; version=0.0.4; charset=utf-8")
            }
        }
        return router
    }
}

/// What a handler gives back: a status, the body and its type, and the model it was for.
struct Answer: Sendable {
    var status: Int
    var body: [UInt8]
    var contentType: String
    var model = ""
    /// Sent back as X-Request-Id: what feedback names the request by.
    var requestID: String? = nil

    static func json(_ s: String) -> Answer { Answer(status: 200, body: Array(s.utf8), contentType: "application/json") }
    static func json(_ b: [UInt8], model: String = "") -> Answer { Answer(status: 200, body: b, contentType: "application/json", model: model) }
    static func error(_ e: ServeError) -> Answer { Answer(status: e.status, body: JSONWriter.error(e.message), contentType: "application/json") }
}

/// A path no route has, or a method a route does not take: 404 in the protocols' error shape,
/// counted like any answer.
struct NotFoundMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let server: ServerState

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            return await server.answer(request, "none", nil) { _ in
                .error(ServeError(404, "no route \(request.method) \(request.uri.path); routes: /v2/models/M/infer, /v1/models/M:predict, /invocations, /metrics, /v2/models/M/monitor, /v2/models/M/feedback"))
            }
        }
    }
}
