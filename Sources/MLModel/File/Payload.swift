import FoundationEssentials
import MLLearn

/// One entry of the tensor index: where a tensor's bytes are in the buffer area and how to read them.
struct TensorEntry: Codable, Equatable {
    var name: String
    /// "f64", "f32", "f16", "int8" (quantized: value = (q − zero_point) × scale) or "i64".
    var dtype: String
    var shape: [Int]
    /// From the start of the buffer area (the first byte after the JSON's padding).
    var offset: Int
    var length: Int
    /// int8 only: the scales and zero points, one per slice along `axis` (one in all without it).
    var axis: Int?
    var scales: [Double]?
    var zeroPoints: [Int]?

    enum CodingKeys: String, CodingKey { case name, dtype, shape, offset, length, axis, scales, zeroPoints = "zero_points" }

    static func size(of dtype: String) -> Int? {
        switch dtype {
        case "f64", "i64": return 8
        case "f32": return 4
        case "f16": return 2
        case "int8": return 1
        default: return nil
        }
    }
}

/// The payload's JSON: the model (its estimator without the tensors) and the tensor index.
struct PayloadJSON: Codable {
    var model: Model
    var tensors: [TensorEntry]
}

/// Payload bytes: JSON length u64 | JSON | zero padding to 8 | buffers, each at an offset that is a
/// multiple of 8.
enum Payload {
    static func encode(_ model: Model, quantize: QuantizedType) throws -> [UInt8] {
        var stripped = model
        let (skeleton, tensors) = model.estimator.splitTensors()
        stripped.estimator = skeleton
        var buffers: [UInt8] = []
        var index: [TensorEntry] = []
        for t in tensors {
            while buffers.count % 8 != 0 { buffers.append(0) }
            let start = buffers.count
            var entry = TensorEntry(name: t.name, dtype: "f64", shape: t.shape, offset: start, length: 0)
            switch t.values {
            case .int(let v):
                entry.dtype = "i64"
                buffers.reserveCapacity(buffers.count + v.count * 8)
                for x in v { Bytes.append(x, to: &buffers) }
            case .float(let v):
                let kind = t.quantizable ? quantize : .f64
                entry.dtype = kind.rawValue
                switch kind {
                case .f64: appendRaw(v, to: &buffers)
                case .f32: appendRaw(v.map { Float($0) }, to: &buffers)
                case .f16: appendRaw(v.map { Float16($0) }, to: &buffers)
                case .int8:
                    let (q, scales, zeros) = Quantizer.int8(v, shape: t.shape, axis: t.channelAxis)
                    entry.axis = t.channelAxis
                    entry.scales = scales
                    entry.zeroPoints = zeros
                    buffers += q.map { UInt8(bitPattern: $0) }
                }
            }
            entry.length = buffers.count - start
            index.append(entry)
        }
        let json = try FileJSON.encoder().encode(PayloadJSON(model: stripped, tensors: index))
        var out: [UInt8] = []
        out.reserveCapacity(16 + json.count + buffers.count)
        Bytes.append(UInt64(json.count), to: &out)
        out += json
        while out.count % 8 != 0 { out.append(0) }
        out += buffers
        return out
    }

    /// Little-endian bit patterns of floats, as the machine holds them (mlsh runs on little-endian machines).
    static func appendRaw<T: BinaryFloatingPoint>(_ v: [T], to out: inout [UInt8]) {
        v.withUnsafeBytes { out.append(contentsOf: $0) }
    }

    static func decode(_ bytes: UnsafeRawBufferPointer) throws -> Model {
        guard bytes.count >= 8 else { throw ModelFileError.truncated("the payload is shorter than its length field") }
        let jsonLength = Bytes.read(UInt64.self, bytes, at: 0)
        guard jsonLength <= UInt64(bytes.count - 8) else { throw ModelFileError.corrupt("the payload's JSON length \(jsonLength) runs past its end") }
        let json = Data(UnsafeRawBufferPointer(rebasing: bytes[8..<(8 + Int(jsonLength))]))
        let payload: PayloadJSON
        do { payload = try FileJSON.decoder().decode(PayloadJSON.self, from: json) } catch {
            throw ModelFileError.corrupt("its model description is not valid (\(describe(error)))")
        }
        let bufferStart = (8 + Int(jsonLength) + 7) / 8 * 8
        guard bufferStart <= bytes.count else { throw ModelFileError.corrupt("the tensor buffers start past the payload's end") }
        let buffers = UnsafeRawBufferPointer(rebasing: bytes[bufferStart...])
        var tensors: [Tensor] = []
        for e in payload.tensors {
            tensors.append(try read(e, buffers))
        }
        var model = payload.model
        model.estimator = try model.estimator.joined(with: tensors, features: model.features.count)
        try model.checkConsistency()
        return model
    }

    /// One tensor, every number checked before it is read.
    static func read(_ e: TensorEntry, _ b: UnsafeRawBufferPointer) throws -> Tensor {
        guard let size = TensorEntry.size(of: e.dtype) else { throw ModelFileError.corrupt("the tensor '\(e.name)' has the unknown type '\(e.dtype)'") }
        var count = 1
        for d in e.shape {
            guard d >= 0 else { throw ModelFileError.corrupt("the tensor '\(e.name)' has a negative dimension") }
            let (c, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow, c <= ModelFileFormat.maxPayloadBytes else { throw ModelFileError.corrupt("the tensor '\(e.name)' has an impossible shape \(e.shape)") }
            count = c
        }
        guard e.length == count * size else { throw ModelFileError.corrupt("the tensor '\(e.name)' is \(e.length) bytes where its shape needs \(count * size)") }
        guard e.offset >= 0, e.offset <= b.count, e.length <= b.count - e.offset else {
            throw ModelFileError.corrupt("the tensor '\(e.name)' lies outside the payload (bytes \(e.offset)…\(e.offset + e.length) of \(b.count))")
        }
        let raw = UnsafeRawBufferPointer(rebasing: b[e.offset..<(e.offset + e.length)])
        func load<T>(_: T.Type) -> [T] {
            [T](unsafeUninitializedCapacity: count) { out, n in
                _ = raw.copyBytes(to: UnsafeMutableRawBufferPointer(out))
                n = count
            }
        }
        switch e.dtype {
        case "i64": return Tensor(e.name, e.shape, ints: load(Int64.self))
        case "f64": return Tensor(e.name, e.shape, load(Double.self))
        case "f32": return Tensor(e.name, e.shape, load(Float.self).map(Double.init))
        case "f16": return Tensor(e.name, e.shape, load(Float16.self).map(Double.init))
        default:
            let channels = try e.axis.map { a -> Int in
                guard a >= 0, a < e.shape.count else { throw ModelFileError.corrupt("the int8 tensor '\(e.name)' has the axis \(a) of \(e.shape.count)") }
                return e.shape[a]
            } ?? 1
            guard let scales = e.scales, let zeros = e.zeroPoints, scales.count == channels, zeros.count == channels,
                  scales.allSatisfy({ $0.isFinite }) else {
                throw ModelFileError.corrupt("the int8 tensor '\(e.name)' lacks its scales or zero points")
            }
            let stride = e.axis.map { e.shape[($0 + 1)...].reduce(1, *) } ?? 1
            let q = load(Int8.self)
            return Tensor(e.name, e.shape, q.indices.map { i in
                let c = channels == 1 ? 0 : (i / max(1, stride)) % channels
                return (Double(q[i]) - Double(zeros[c])) * scales[c]
            })
        }
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let c): return "no '\(key.stringValue)' at \(path(c))"
        case DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c): return "a wrong value at \(path(c))"
        case DecodingError.dataCorrupted(let c): return c.codingPath.isEmpty ? "not JSON" : "a wrong value at \(path(c))"
        default: return "\(error)"
        }
    }

    static func path(_ c: DecodingError.Context) -> String {
        c.codingPath.isEmpty ? "the top" : c.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}

/// int8 quantization: an affine map of each slice's [min, max] (widened to hold 0) onto −128…127.
enum Quantizer {
    static func int8(_ v: [Double], shape: [Int], axis: Int?) -> (q: [Int8], scales: [Double], zeroPoints: [Int]) {
        let channels = axis.map { shape[$0] } ?? 1
        let stride = axis.map { shape[($0 + 1)...].reduce(1, *) } ?? 1
        func channel(_ i: Int) -> Int { channels == 1 ? 0 : (i / max(1, stride)) % channels }
        var lo = [Double](repeating: 0, count: channels), hi = [Double](repeating: 0, count: channels)
        for (i, x) in v.enumerated() where x.isFinite {
            let c = channel(i)
            lo[c] = min(lo[c], x)
            hi[c] = max(hi[c], x)
        }
        let scales = (0..<channels).map { c in hi[c] > lo[c] ? (hi[c] - lo[c]) / 255 : 1 }
        let zeros = (0..<channels).map { c in Int((-128 - lo[c] / scales[c]).rounded()) }
        let q = v.indices.map { i -> Int8 in
            let c = channel(i)
            let r = (v[i] / scales[c]).rounded() + Double(zeros[c])
            return Int8(max(-128, min(127, r.isFinite ? r : 0)))
        }
        return (q, scales, zeros)
    }
}
