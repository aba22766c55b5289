import Dispatch
import MLFrame
import MLModel
import MLServeProtocol
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Every row a server answers, as JSON Lines: `{"time", "request_id", "model", the inputs as
/// sent…, "prediction"}` per row, so that `load "FILE.jsonl"` reads the traffic back as a dataset
/// (for `drift MODEL vs requests`). The request only hands its batch over; a thread of the log's
/// own formats and writes it. Past `maxBytes` the file is rotated: FILE → FILE.1 → FILE.2 …, the
/// oldest past `keep` removed. When the writer falls behind by `queueLimit` requests, the newest
/// are dropped and counted rather than slowing the answers.
public final class RequestLog: Sendable {
    public let path: String
    public let maxBytes: Int
    public let keep: Int
    let queueLimit = 10_000

    struct Entry: Sendable {
        var time: Double
        var id: String
        var model: String
        var inputs: [InputColumn]
        var columns: [String: [RawValue]]
        var count: Int
        var predictions: [PredictedValue?]
    }

    struct State {
        var queue: [Entry] = []
        var closing = false
        var dropped = 0
        var written = 0
    }

    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    /// Opens (or creates) the file for appending; throws a message when it cannot be written.
    public init(path: String, maxBytes: Int = 64 << 20, keep: Int = 3) throws(ServeError) {
        self.path = path
        self.maxBytes = max(1024, maxBytes)
        self.keep = max(1, keep)
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ServeError(500, "cannot write the request log \(path): \(String(cString: strerror(errno)))") }
        let size = Int(lseek(fd, 0, SEEK_END))
        let log = self
        // A thread of its own for as long as the server runs: writing never waits for the pool.
        DispatchQueue(label: "mlsh.request-log").async { log.run(fd: fd, size: max(0, size)) }
    }

    /// Rows dropped because the writer fell behind, and rows written.
    public var counts: (dropped: Int, written: Int) { state.withLock { ($0.dropped, $0.written) } }

    func add(id: String, served: ServedModel, columns: [String: [RawValue]], count: Int, answers: [Prediction], time: Double) {
        let entry = Entry(time: time, id: id, model: served.name, inputs: served.usedInputs, columns: columns, count: count,
                          predictions: answers.map(\.value))
        let queued = state.withLock { s -> Bool in
            guard !s.closing else { return false }
            guard s.queue.count < queueLimit else { s.dropped += count; return false }
            s.queue.append(entry)
            return true
        }
        if queued { wake.signal() }
    }

    /// Writes what is queued, then stops the writer.
    public func close() {
        let already = state.withLock { s -> Bool in
            defer { s.closing = true }
            return s.closing
        }
        guard !already else { return }
        wake.signal()
        finished.wait()
    }

    private func run(fd start: Int32, size startSize: Int) {
        var fd = start, size = startSize
        while true {
            wake.wait()
            let (batch, closing) = state.withLock { s -> ([Entry], Bool) in
                defer { s.queue.removeAll(keepingCapacity: true) }
                return (s.queue, s.closing)
            }
            // Entry by entry, so that a file is rotated before it would pass its size (a single
            // request larger than the size still goes whole into one file).
            for e in batch {
                let text = Self.lines(e)
                if size > 0 && size + text.count > maxBytes {
                    Glibc.close(fd)
                    rotate()
                    fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
                    size = 0
                }
                Self.writeAll(fd, text)
                size += text.count
                state.withLock { $0.written += e.count }
            }
            if closing && state.withLock({ $0.queue.isEmpty }) {
                if fd >= 0 { fsync(fd); Glibc.close(fd) }
                finished.signal()
                return
            }
        }
    }

    /// FILE.(keep−1) → FILE.keep … FILE → FILE.1 (rename replaces: the oldest goes).
    private func rotate() {
        for k in stride(from: keep - 1, through: 1, by: -1) { rename("\(path).\(k)", "\(path).\(k + 1)") }
        rename(path, "\(path).1")
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        guard fd >= 0 else { return }
        var offset = 0
        bytes.withUnsafeBytes { buf in
            while offset < buf.count {
                let n = write(fd, buf.baseAddress! + offset, buf.count - offset)
                if n <= 0 { if errno == EINTR { continue }; return }
                offset += n
            }
        }
    }

    /// One line per row: time, request id, model, the inputs the model reads (as sent; missing
    /// as null) and the prediction.
    static func lines(_ e: Entry) -> [UInt8] {
        var w = JSONWriter(capacity: 64 + e.count * (48 + e.inputs.count * 16))
        let stamp = timestamp(e.time)
        for r in 0..<e.count {
            w.raw("{"); w.key("time"); w.string(stamp)
            w.raw(","); w.key("request_id"); w.string(e.id)
            w.raw(","); w.key("model"); w.string(e.model)
            for input in e.inputs {
                w.raw(","); w.key(input.name)
                switch e.columns[input.name]?[r] ?? .missing {
                case .missing: w.raw("null")
                case .number(let d): if d.isFinite { w.number(d) } else { w.raw("null") }
                case .text(let s): typed(s, input.type, &w)
                case .bool(let b): w.raw(b ? "true" : "false")
                }
            }
            w.raw(","); w.key("prediction")
            switch e.predictions[r] {
            case nil: w.raw("null")
            case .number(let d)?: if d.isFinite { w.number(d) } else { w.raw("null") }
            case .int(let i)?: w.raw(String(i))
            case .bool(let b)?: w.raw(b ? "true" : "false")
            case .text(let s)?: w.string(s)
            }
            w.raw("}\n")
        }
        return w.bytes
    }

    /// A text sent for a number or a bool (a CSV cell) written as the model read it, so that the
    /// log loads back with the input's type; other texts as they came.
    static func typed(_ s: String, _ type: ColumnType, _ w: inout JSONWriter) {
        let t = s.trimmingSpaces
        switch type {
        case .float64, .int64:
            if t.isEmpty { w.raw("null"); return }
            if let d = Double(t), d.isFinite { w.number(d); return }
        case .bool:
            if t == "true" || t == "false" { w.raw(t); return }
        default: break
        }
        w.string(s)
    }

    /// 2026-12-07T00:31:02.123Z
    static func timestamp(_ t: Double) -> String {
        var seconds = time_t(t.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let millis = Int((t - t.rounded(.down)) * 1000)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let ms = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(ms)Z"
    }

    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_REALTIME, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}
