import HTTPTypes
import Hummingbird
import MLDiagnostics
import MLModel
import MLMonitor
import MLRender
import MLServeProtocol
import NIOCore
import Synchronization

/// Everything a running server shares between requests: its models, counters, limits and the
/// recent rows. Handlers read it; only a swap writes (under the store's lock).
public final class ServerState: Sendable {
    public let store: ModelStore
    public let metrics = ServerMetrics()
    public let recent: RecentRequests
    public let options: ServeOptions
    public let engine: ExpressionEngineFactory
    public let version: String
    /// Latencies and errors over the recent window, for `watch` and its alerts.
    public let window: LatencyWindow
    public let startedAt: Double
    let requestIDs = Atomic<Int>(0)
    let errorCodes = Mutex<[Int: Int]>([:])
    let alerts = Mutex<[AlertEntry]>([])

    public init(models: [ServedModel], options: ServeOptions, engine: ExpressionEngineFactory, version: String) {
        store = ModelStore(models)
        recent = RecentRequests(capacity: options.sampleSize)
        self.options = options
        self.engine = engine
        self.version = version
        window = LatencyWindow(clock: options.clock)
        startedAt = options.clock.now()
        for m in models { metrics.loaded(m) }
    }

    /// Swaps a model into a slot; false when the server has no slot of that name.
    public func swap(_ name: String, with model: ServedModel) -> Bool {
        guard store.replace(name, with: model) else { return false }
        metrics.loaded(model)
        return true
    }

    /// Runs a handler with what every request gets: the token check, the body limit, the error
    /// shape, the counters and the access log. Nothing it throws becomes a 500.
    /// `prediction`: a prediction route, whose time and status go into the monitor's window
    /// (health probes, metadata, scrapes and `watch`'s own reads do not).
    func answer(_ request: Request, _ protocolName: String, _ role: Tokens.Role?, prediction: Bool = false,
                _ handler: (inout Request) async throws -> Answer) async -> Response {
        let start = ContinuousClock.now
        metrics.started()
        var request = request
        var answer: Answer
        do {
            if let role, let tokens = options.tokens {
                switch tokens.decide(authorization: request.headers[.authorization], needs: role) {
                case .allowed: break
                case .noToken: throw ServeError(401, "this server needs a bearer token: send the header Authorization: Bearer TOKEN")
                case .unknownToken: throw ServeError(401, "the bearer token is not one this server knows")
                case .missingRole(let r): throw ServeError(403, "the token does not have the role '\(r.rawValue)' that this route needs")
                }
            }
            answer = try await handler(&request)
        } catch let e as ServeError {
            answer = .error(e)
        } catch is NIOTooManyBytesError {
            answer = .error(ServeError(413, "the body is larger than this server takes (\(formatBytes(options.maxBodyBytes))); send fewer rows at a time"))
        } catch {
            answer = .error(ServeError(400, "the request could not be read: \(error)"))
        }
        let elapsed = ContinuousClock.now - start
        metrics.finished(model: answer.model, protocol: protocolName, status: answer.status, duration: elapsed)
        if prediction {
            window.record(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, error: answer.status >= 400)
        }
        if answer.status >= 400 { errorCodes.withLock { $0[answer.status, default: 0] += 1 } }
        if let log = options.accessLog {
            let micros = Double(elapsed.components.attoseconds) / 1e12 + Double(elapsed.components.seconds) * 1e6
            log("\(request.method) \(request.uri.path) \(answer.status) \(micros < 1000 ? "\(Int(micros))µs" : "\(Double(Int(micros / 10)) / 100)ms") \(answer.body.count)B")
        }
        var headers = HTTPFields()
        headers[.contentType] = answer.contentType
        if answer.status == 401 { headers[.wwwAuthenticate] = "Bearer" }
        if let id = answer.requestID { headers[Self.requestIDHeader] = id }
        return Response(status: HTTPResponse.Status(code: answer.status), headers: headers,
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)))
    }

    /// The model a route's `{m}` names; 404 listing the served ones when there is none.
    func model(_ context: BasicRequestContext, version: Bool = false) throws(ServeError) -> ServedModel {
        let name = context.parameters.get("m") ?? ""
        guard let served = store.model(name) else {
            let names = store.names
            let near = Suggest.didYouMean(name, in: names)
            throw ServeError(404, "no model '\(name)' here; serving: \(names.joined(separator: ", "))" + (near.map { "; \($0)" } ?? ""))
        }
        if version, let v = context.parameters.get("v"), v != "1" {
            throw ServeError(404, "model '\(name)' has one version, 1; there is no version '\(v)'")
        }
        return served
    }

    func body(_ request: inout Request) async throws -> [UInt8] {
        let buffer = try await request.collectBody(upTo: options.maxBodyBytes)
        return Array(buffer.readableBytesView)
    }

    static let requestIDHeader = HTTPField.Name("X-Request-Id")!

    /// The id a request goes by: the client's (an Open Inference id, or its X-Request-Id
    /// header), else the next number.
    func requestID(_ request: Request, given: String? = nil) -> String {
        if let given, !given.isEmpty { return given }
        if let header = request.headers[Self.requestIDHeader], !header.isEmpty { return String(header.prefix(200)) }
        return String(requestIDs.wrappingAdd(1, ordering: .relaxed).newValue)
    }

    /// A batch through the model, timed against the limit; the answers are counted and sampled.
    func predict(_ batch: InferenceBatch, _ served: ServedModel, id: String) throws(ServeError) -> [Prediction] {
        let deadline = ContinuousClock.now + options.timeout
        let answers = try BatchPredictor.predict(batch, model: served.model, usedInputs: served.usedInputs, engine: engine, interrupted: { ContinuousClock.now > deadline })
        metrics.predicted(served, answers)
        recent.add(id: id, model: served.name, batch: batch.columns, count: batch.count, answers: answers)
        options.requestLog?.add(id: id, served: served, columns: batch.columns, count: batch.count, answers: answers, time: RequestLog.now())
        return answers
    }

    func inferV2(_ request: inout Request, _ context: BasicRequestContext, version: Bool) async throws -> Answer {
        let served = try model(context, version: version)
        let body = try await body(&request)
        var jsonLength: Int? = nil
        if let header = request.headers.first(where: { $0.name.canonicalName == "inference-header-content-length" })?.value {
            guard let n = Int(header) else { throw ServeError(400, "Inference-Header-Content-Length is \"\(header)\", not a number of bytes") }
            jsonLength = n
        }
        let decoded = try OpenInference.decode(body, model: served.model, jsonLength: jsonLength)
        let id = requestID(request, given: decoded.id)
        let answers = try predict(decoded.batch, served, id: id)
        var answer = Answer.json(OpenInference.encode(answers, model: served.model, signature: served.signature, id: decoded.id, outputs: decoded.outputs), model: served.name)
        answer.requestID = id
        return answer
    }

    func inferV1(_ request: inout Request, _ context: BasicRequestContext) async throws -> Answer {
        let served = try model(context)
        let body = try await body(&request)
        let id = requestID(request)
        let answers = try predict(try KServeV1.decode(body, model: served.model), served, id: id)
        var answer = Answer.json(KServeV1.encode(answers), model: served.name)
        answer.requestID = id
        return answer
    }

    /// MLflow's scoring route serves one model: the server's first.
    func invocations(_ request: inout Request) async throws -> Answer {
        guard let served = store.first else { throw ServeError(404, "this server has no model") }
        let type = try MLflowScoring.contentType(request.headers[.contentType])
        let body = try await body(&request)
        let id = requestID(request)
        let answers = try predict(try MLflowScoring.decode(body, contentType: type, model: served.model), served, id: id)
        var answer = Answer.json(KServeV1.encode(answers), model: served.name)
        answer.requestID = id
        return answer
    }

    /// `GET /v2`: the server's name, version and the protocol extensions it has.
    func serverMetadata() -> [UInt8] {
        var w = JSONWriter()
        w.raw("{"); w.key("name"); w.string("mlsh")
        w.raw(","); w.key("version"); w.string(version)
        w.raw(","); w.key("extensions"); w.raw("[]}")
        return w.bytes
    }
}
