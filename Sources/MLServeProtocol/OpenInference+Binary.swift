import MLDiagnostics
/// The binary tensor extension of the Open Inference Protocol: after the JSON header, each input
/// that says `"parameters": {"binary_data_size": N}` takes the next N bytes, in input order, its
/// values little-endian and row-major; a BYTES element is a 4-byte length, then its bytes.
struct BinaryTail {
    var bytes: ArraySlice<UInt8>

    mutating func take(_ size: Int, count: Int, datatype: String, _ path: String) throws(ServeError) -> [JSONValue] {
        guard size <= bytes.count else {
            throw .badRequest("\(path): binary_data_size is \(size), but only \(plural(bytes.count, "byte")) of binary data are left")
        }
        let chunk = Array(bytes.prefix(size))
        bytes = bytes.dropFirst(size)
        if datatype == "BYTES" { return try strings(chunk, count: count, path) }
        let width: Int
        switch datatype {
        case "BOOL", "INT8", "UINT8": width = 1
        case "INT16", "UINT16", "FP16": width = 2
        case "INT32", "UINT32", "FP32": width = 4
        default: width = 8
        }
        guard chunk.count == width * count else {
            throw .badRequest("\(path): \(plural(chunk.count, "byte")) of binary data for \(plural(count, "value")) of \(datatype) (\(width) bytes each)")
        }
        var out: [JSONValue] = []
        out.reserveCapacity(count)
        for k in 0..<count {
            var bits: UInt64 = 0
            for j in 0..<width { bits |= UInt64(chunk[k * width + j]) << (8 * j) }
            switch datatype {
            case "BOOL": out.append(.bool(bits != 0))
            case "FP64": out.append(.number(Double(bitPattern: bits), integer: false))
            case "FP32": out.append(.number(Double(Float(bitPattern: UInt32(bits))), integer: false))
            case "FP16": out.append(.number(Self.half(UInt16(bits)), integer: false))
            case "INT8": out.append(.number(Double(Int8(truncatingIfNeeded: bits)), integer: true))
            case "INT16": out.append(.number(Double(Int16(truncatingIfNeeded: bits)), integer: true))
            case "INT32": out.append(.number(Double(Int32(truncatingIfNeeded: bits)), integer: true))
            case "INT64": out.append(.number(Double(Int64(bitPattern: bits)), integer: true))
            default: out.append(.number(Double(bits), integer: true))
            }
        }
        return out
    }

    func strings(_ chunk: [UInt8], count: Int, _ path: String) throws(ServeError) -> [JSONValue] {
        var out: [JSONValue] = []
        var i = 0
        while i < chunk.count {
            guard i + 4 <= chunk.count else { throw .badRequest("\(path): a BYTES element's 4-byte length is cut off") }
            let n = Int(chunk[i]) | Int(chunk[i + 1]) << 8 | Int(chunk[i + 2]) << 16 | Int(chunk[i + 3]) << 24
            i += 4
            guard n <= chunk.count - i else { throw .badRequest("\(path): a BYTES element of \(n) bytes runs past binary_data_size") }
            guard let s = String(validating: chunk[i..<(i + n)], as: UTF8.self) else {
                throw .badRequest("\(path): element \(out.count) is not valid UTF-8")
            }
            out.append(.string(s))
            i += n
        }
        guard out.count == count else { throw .badRequest("\(path) has \(plural(out.count, "value")) in its binary data, but its shape holds \(count)") }
        return out
    }

    /// IEEE 754 half precision, by hand (Float16 is not on every platform Swift builds for).
    static func half(_ h: UInt16) -> Double {
        let sign = (h >> 15) != 0 ? -1.0 : 1.0
        let exponent = Int((h >> 10) & 0x1F), fraction = Double(h & 0x3FF)
        if exponent == 0 { return sign * fraction * 0x1p-24 }
        if exponent == 31 { return fraction == 0 ? sign * .infinity : .nan }
        return sign * (1 + fraction / 1024) * Double(sign: .plus, exponent: exponent - 15, significand: 1)
    }
}
