import MLDiagnostics
import MLModel

/// The Open Inference Protocol (KServe V2) REST bodies: named input tensors in, named output
/// tensors out. One tensor per input column (shape [N] or [N, 1]), or one [N, F] tensor whose F
/// values per row are the model's inputs in order. Elements may be null (a missing value, which
/// the model's recipe answers as `predict` does).
public enum OpenInference {
    public struct Request: Sendable {
        public var batch: InferenceBatch
        public var id: String?
        public var outputs: [String]?
    }

    static let numericTypes: Set<String> = ["FP16", "FP32", "FP64", "INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32", "UINT64"]
    static let knownTypes = numericTypes.union(["BOOL", "BYTES"])

    /// `jsonLength`: the value of the `Inference-Header-Content-Length` header, when the body is
    /// a JSON header followed by binary tensor data (the binary tensor extension, tritonclient's
    /// default).
    public static func decode(_ body: [UInt8], model: Model, jsonLength: Int? = nil) throws(ServeError) -> Request {
        var binary = BinaryTail(bytes: [][...])
        var json = body
        if let jsonLength {
            guard jsonLength >= 0, jsonLength <= body.count else {
                throw .badRequest("Inference-Header-Content-Length is \(jsonLength), but the body has \(plural(body.count, "byte"))")
            }
            json = Array(body[..<jsonLength])
            binary = BinaryTail(bytes: body[jsonLength...])
        }
        let root = try parseBody(json).requireObject("send {\"inputs\": [{\"name\": …, \"shape\": […], \"datatype\": …, \"data\": […]}]}")
        for key in root.keys where !["id", "parameters", "inputs", "outputs"].contains(key) {
            throw .badRequest("unknown key \"\(key)\" in the request; it takes id, parameters, inputs and outputs")
        }
        var id: String? = nil
        if let v = root["id"] {
            guard case .string(let s) = v else { throw .badRequest("id is \(v.kindName); it must be a text") }
            id = s
        }
        guard let inputsValue = root["inputs"] else { throw .badRequest("the request has no \"inputs\": send a list of input tensors") }
        guard case .array(let tensors) = inputsValue, !tensors.isEmpty else {
            throw .badRequest("inputs must be a list of one or more tensors, not \(inputsValue.kindName)")
        }
        var columns: [String: [RawValue]] = [:]
        var rows: Int? = nil
        var firstName = ""
        for (t, tensor) in tensors.enumerated() {
            let path = "inputs[\(t)]"
            guard case .object(let o) = tensor else { throw .badRequest("\(path) is \(tensor.kindName); a tensor is an object") }
            let name = try text(o, "name", path)
            let where_ = "\(path) (\(name))"
            let datatype = try text(o, "datatype", where_)
            guard knownTypes.contains(datatype) else {
                throw .badRequest("\(where_): unknown datatype \"\(datatype)\"; use one of FP64, FP32, INT64, BOOL, BYTES")
            }
            let shape = try self.shape(o, where_)
            let expected = shape.reduce(1, *)
            var flat: [JSONValue] = []
            if let size = try binarySize(o, where_) {
                guard jsonLength != nil else {
                    throw .badRequest("\(where_) has binary_data_size, but the request has no Inference-Header-Content-Length header")
                }
                flat = try binary.take(size, count: expected, datatype: datatype, where_)
            } else {
                guard let dataValue = o["data"] else { throw .badRequest("\(where_) has no \"data\"") }
                try flatten(dataValue, into: &flat, where_ + " data", depth: 0)
                guard flat.count == expected else {
                    throw .badRequest("\(where_) has \(plural(flat.count, "value")) in data, but its shape \(shape) holds \(expected)")
                }
            }
            let n = shape[0]
            if let rows, rows != n {
                throw .badRequest("\(where_) has \(plural(n, "row")), but inputs[0] (\(firstName)) has \(rows): every input needs one value per row")
            }
            if rows == nil { firstName = name }
            rows = n
            let width = shape.count == 2 ? shape[1] : 1
            var values: [RawValue] = []
            values.reserveCapacity(flat.count)
            for (k, v) in flat.enumerated() { values.append(try element(v, datatype, "\(where_) data[\(k)]")) }
            if width == 1 {
                guard columns[name] == nil else { throw .badRequest("\(where_): the input '\(name)' is given twice") }
                columns[name] = values
                continue
            }
            // One [N, F] tensor: its columns are the model's inputs in order.
            let used = model.usedInputs
            guard width == used.count else {
                throw .badRequest("\(where_) has shape \(shape): a tensor of several columns must have one per input \(model.name) reads ("
                                  + "\(used.count): \(used.map(\.name).joined(separator: ", "))), or send one tensor per input")
            }
            for (j, input) in used.enumerated() {
                guard columns[input.name] == nil else { throw .badRequest("\(where_): the input '\(input.name)' is given twice") }
                columns[input.name] = stride(from: j, to: values.count, by: width).map { values[$0] }
            }
        }
        var outputs: [String]? = nil
        if let v = root["outputs"] {
            guard case .array(let list) = v else { throw .badRequest("outputs is \(v.kindName); send a list of {\"name\": …}") }
            let known = ModelSignature(model).outputs.map(\.name)
            outputs = []
            for (k, item) in list.enumerated() {
                guard case .object(let o) = item else { throw .badRequest("outputs[\(k)] is \(item.kindName); send {\"name\": …}") }
                let name = try text(o, "name", "outputs[\(k)]")
                guard known.contains(name) else {
                    throw .badRequest("\(model.name) has no output '\(name)'; its outputs: \(known.joined(separator: ", "))")
                }
                outputs!.append(name)
            }
        }
        if !binary.bytes.isEmpty {
            throw .badRequest("\(plural(binary.bytes.count, "byte")) of binary data follow the tensors; the inputs' binary_data_size account for fewer")
        }
        let count = rows ?? 0
        guard count > 0 else { throw .badRequest("the inputs have no rows: a tensor's first dimension is the number of rows") }
        return Request(batch: InferenceBatch(count: count, columns: columns, rowName: { r in "row \(r + 1) of the inputs" }), id: id, outputs: outputs)
    }

    static func binarySize(_ o: JSONObject, _ path: String) throws(ServeError) -> Int? {
        guard case .object(let p)? = o["parameters"], let v = p["binary_data_size"] else { return nil }
        guard case .number(let x, true) = v, x >= 0, x < 1e12 else {
            throw .badRequest("\(path): binary_data_size must be a whole number of bytes")
        }
        return Int(x)
    }

    static func text(_ o: JSONObject, _ key: String, _ path: String) throws(ServeError) -> String {
        guard let v = o[key] else { throw .badRequest("\(path) has no \"\(key)\"") }
        guard case .string(let s) = v else { throw .badRequest("\(path).\(key) is \(v.kindName); it must be a text") }
        return s
    }

    static func shape(_ o: JSONObject, _ path: String) throws(ServeError) -> [Int] {
        guard let v = o["shape"] else { throw .badRequest("\(path) has no \"shape\"") }
        guard case .array(let dims) = v, (1...2).contains(dims.count) else {
            throw .badRequest("\(path).shape must be [rows] or [rows, columns]")
        }
        var shape: [Int] = []
        for d in dims {
            guard case .number(let x, true) = d, x >= 0, x <= 100_000_000 else {
                throw .badRequest("\(path).shape holds \(d.kindName == "a number" ? "a number that is not a size" : d.kindName); dimensions are whole numbers ≥ 0")
            }
            shape.append(Int(x))
        }
        guard shape.reduce(1, { $0.multipliedReportingOverflow(by: $1).partialValue }) <= 100_000_000 else {
            throw .badRequest("\(path).shape \(shape) is larger than a request can be")
        }
        return shape
    }

    /// Data is row-major, flat or nested as the shape: nested lists are read in order.
    static func flatten(_ v: JSONValue, into out: inout [JSONValue], _ path: String, depth: Int) throws(ServeError) {
        guard case .array(let items) = v else {
            if depth == 0 { throw .badRequest("\(path) is \(v.kindName); it must be a list") }
            out.append(v)
            return
        }
        for item in items {
            if case .array = item {
                try flatten(item, into: &out, path, depth: depth + 1)
            } else {
                out.append(item)
            }
        }
    }

    static func element(_ v: JSONValue, _ datatype: String, _ path: @autoclosure () -> String) throws(ServeError) -> RawValue {
        switch (datatype, v) {
        case (_, .null): return .missing
        case ("BOOL", .bool(let b)): return .bool(b)
        case ("BYTES", .string(let s)): return .text(s)
        case ("FP16", .number(let d, _)), ("FP32", .number(let d, _)), ("FP64", .number(let d, _)):
            return d.isNaN ? .missing : .number(d)
        case (_, .number(let d, let integer)) where numericTypes.contains(datatype):
            guard integer || d.isNaN else { throw .badRequest("\(path()): \(datatype) holds whole numbers, not \(d)") }
            return d.isNaN ? .missing : .number(d)
        default:
            let wanted = datatype == "BOOL" ? "true or false" : datatype == "BYTES" ? "texts" : "numbers"
            throw .badRequest("\(path()) is \(v.kindName), but a \(datatype) tensor holds \(wanted)")
        }
    }

    public static func encode(_ answers: [Prediction], model: Model, signature: ModelSignature? = nil, id: String?, outputs wanted: [String]?) -> [UInt8] {
        let signature = signature ?? ModelSignature(model)
        var w = JSONWriter(capacity: 64 + answers.count * 24)
        w.raw("{")
        w.key("model_name"); w.string(model.name)
        w.raw(","); w.key("model_version"); w.string("1")
        if let id { w.raw(","); w.key("id"); w.string(id) }
        w.raw(","); w.key("outputs"); w.raw("[")
        var first = true
        for tensor in signature.outputs where wanted?.contains(tensor.name) ?? true {
            if !first { w.raw(",") }
            first = false
            w.raw("{"); w.key("name"); w.string(tensor.name)
            w.raw(","); w.key("datatype"); w.string(tensor.datatype)
            w.raw(","); w.key("shape"); w.raw("[\(answers.count)" + (tensor.shape.count == 2 ? ",\(tensor.shape[1])" : "") + "]")
            w.raw(","); w.key("data"); w.raw("[")
            for (r, a) in answers.enumerated() {
                if tensor.name == "probabilities" {
                    for (k, p) in (a.probabilities ?? []).enumerated() {
                        if r > 0 || k > 0 { w.raw(",") }
                        w.number(p)
                    }
                    continue
                }
                if r > 0 { w.raw(",") }
                if let v = a.value { w.value(v) } else { w.raw("null") }
            }
            w.raw("]}")
        }
        w.raw("]}")
        return w.bytes
    }

    /// `GET /v2/models/{m}`: the model's name, its platform and its tensors.
    public static func metadata(_ model: Model) -> [UInt8] {
        let signature = ModelSignature(model)
        var w = JSONWriter()
        func tensors(_ list: [ModelSignature.Tensor]) {
            w.raw("[")
            for (k, t) in list.enumerated() {
                if k > 0 { w.raw(",") }
                w.raw("{"); w.key("name"); w.string(t.name)
                w.raw(","); w.key("datatype"); w.string(t.datatype)
                w.raw(","); w.key("shape"); w.raw("[" + t.shape.map(String.init).joined(separator: ",") + "]")
                w.raw("}")
            }
            w.raw("]")
        }
        w.raw("{"); w.key("name"); w.string(model.name)
        w.raw(","); w.key("versions"); w.raw("[\"1\"]")
        w.raw(","); w.key("platform"); w.string("mlsh_" + model.algorithm.rawValue)
        w.raw(","); w.key("inputs"); tensors(signature.inputs)
        w.raw(","); w.key("outputs"); tensors(signature.outputs)
        if let classes = model.classes {
            w.raw(","); w.key("parameters"); w.raw("{"); w.key("classes"); w.raw("[")
            for (k, c) in classes.enumerated() { if k > 0 { w.raw(",") }; w.string(c) }
            w.raw("]}")
        }
        w.raw("}")
        return w.bytes
    }
}
