import MLDiagnostics
import MLFrame
#if canImport(Glibc)
import Glibc
#endif

/// Collects one column's cells while parsing, in the type chosen for it. The storage is raw
/// memory grown by doubling: the parse loop touches no reference counts and no array checks.
/// A cell that does not fit the type reports it, and the reader re-reads with a wider type.
struct ColumnSink {
    let type: ColumnType
    let width: Int                 // bytes per value
    private(set) var values: UnsafeMutableRawPointer
    private(set) var validity: UnsafeMutablePointer<UInt64>
    private(set) var capacity: Int
    private(set) var count = 0
    private(set) var missing = 0
    /// Text columns intern their values here (nil for other types).
    let interner: ByteInterner?

    init(type: ColumnType, capacity: Int) {
        self.type = type
        switch type {
        case .float64, .int64: width = 8
        case .bool: width = 1
        case .date, .string: width = 4
        }
        self.capacity = max(64, capacity)
        values = UnsafeMutableRawPointer.allocate(byteCount: self.capacity * width, alignment: 8)
        validity = UnsafeMutablePointer<UInt64>.allocate(capacity: self.capacity / 64 + 1)
        interner = type == .string ? ByteInterner() : nil
    }

    /// Frees the memory; call once, after its values were copied out.
    func deallocate() {
        values.deallocate()
        validity.deallocate()
    }

    /// Empties the sink for the next block, keeping its memory.
    mutating func reset() {
        count = 0
        missing = 0
        interner?.reset()
    }

    private mutating func grow() {
        let newCapacity = capacity * 2
        let v = UnsafeMutableRawPointer.allocate(byteCount: newCapacity * width, alignment: 8)
        v.copyMemory(from: values, byteCount: count * width)
        values.deallocate()
        values = v
        let b = UnsafeMutablePointer<UInt64>.allocate(capacity: newCapacity / 64 + 1)
        b.update(from: validity, count: count / 64 + 1)
        validity.deallocate()
        validity = b
        capacity = newCapacity
    }

    @inline(__always)
    private mutating func mark(_ valid: Bool) {
        let word = count >> 6, bit = UInt64(1) << UInt64(count & 63)
        if count & 63 == 0 { validity[word] = 0 }
        if valid { validity[word] |= bit } else { missing += 1 }
        count += 1
    }

    @inline(__always)
    mutating func appendMissing() {
        if count == capacity { grow() }
        switch type {
        case .float64: values.storeBytes(of: Double.nan, toByteOffset: count * 8, as: Double.self)
        case .int64: values.storeBytes(of: Int64(0), toByteOffset: count * 8, as: Int64.self)
        case .bool: values.storeBytes(of: false, toByteOffset: count, as: Bool.self)
        case .date: values.storeBytes(of: Int32(0), toByteOffset: count * 4, as: Int32.self)
        case .string: values.storeBytes(of: UInt32(0), toByteOffset: count * 4, as: UInt32.self)
        }
        mark(false)
    }

    /// Appends a field's value; false when the bytes are not of this column's type.
    @inline(__always)
    mutating func append(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        if count == capacity { grow() }
        switch type {
        case .float64:
            guard let v = FieldParsing.double(p, n) else { return false }
            values.storeBytes(of: v, toByteOffset: count * 8, as: Double.self)
        case .int64:
            guard let v = FieldParsing.int(p, n) else { return false }
            values.storeBytes(of: v, toByteOffset: count * 8, as: Int64.self)
        case .bool:
            guard let v = FieldParsing.bool(p, n) else { return false }
            values.storeBytes(of: v, toByteOffset: count, as: Bool.self)
        case .date:
            guard let v = FieldParsing.date(p, n) else { return false }
            values.storeBytes(of: v, toByteOffset: count * 4, as: Int32.self)
        case .string:
            let code = interner.unsafelyUnwrapped.intern(p, n)
            values.storeBytes(of: code, toByteOffset: count * 4, as: UInt32.self)
        }
        mark(true)
        return true
    }

    @inline(__always)
    mutating func appendDouble(_ v: Double) {
        if count == capacity { grow() }
        values.storeBytes(of: v, toByteOffset: count * 8, as: Double.self)
        mark(true)
    }

    @inline(__always)
    mutating func appendInt(_ v: Int64) {
        if count == capacity { grow() }
        values.storeBytes(of: v, toByteOffset: count * 8, as: Int64.self)
        mark(true)
    }

    /// Drops the cells after the first `n` (a skipped bad row).
    mutating func truncate(to n: Int) {
        guard n < count else { return }
        for i in n..<count where !isValid(i) { missing -= 1 }
        count = n
        if n & 63 != 0 { validity[n >> 6] &= (UInt64(1) << UInt64(n & 63)) - 1 }
    }

    @inline(__always)
    func isValid(_ i: Int) -> Bool { validity[i >> 6] & (1 << UInt64(i & 63)) != 0 }

    func copyValues<T>(as: T.Type, into out: inout [T]) {
        let typed = values.assumingMemoryBound(to: T.self)
        out.append(contentsOf: UnsafeBufferPointer(start: typed, count: count))
    }
}

/// A whole column built block by block: each block's chunk sinks are appended in order and
/// emptied for the next block, so the parse holds one block of sinks at a time, never a second copy of the data.
/// Text columns get one dictionary, strings in order of first appearance.
final class ColumnAccumulator: @unchecked Sendable {  // one worker at a time appends to it
    let name: String
    let type: ColumnType
    private var doubles: [Double] = []
    private var ints: [Int64] = []
    private var bools: [Bool] = []
    private var dates: [Int32] = []
    private var codes: [UInt32] = []
    private var dictionary: [String] = []
    private var index: [String: UInt32] = [:]
    private var missingRows: [Int] = []
    private var count = 0
    private(set) var invalidUTF8 = false

    init(name: String, type: ColumnType, expectedRows: Int) {
        self.name = name
        self.type = type
        switch type {
        case .float64: doubles.reserveCapacity(expectedRows)
        case .int64: ints.reserveCapacity(expectedRows)
        case .bool: bools.reserveCapacity(expectedRows)
        case .date: dates.reserveCapacity(expectedRows)
        case .string: codes.reserveCapacity(expectedRows)
        }
    }

    /// Appends the sinks' cells in order, then frees the sinks.
    func append(_ parts: [ColumnSink]) {
        for p in parts {
            if p.missing > 0 {
                for i in 0..<p.count where !p.isValid(i) { missingRows.append(count + i) }
            }
            switch type {
            case .float64: p.copyValues(as: Double.self, into: &doubles)
            case .int64: p.copyValues(as: Int64.self, into: &ints)
            case .bool: p.copyValues(as: Bool.self, into: &bools)
            case .date: p.copyValues(as: Int32.self, into: &dates)
            case .string:
                let interner = p.interner!
                var remap = [UInt32](repeating: 0, count: interner.count)
                for code in 0..<interner.count {
                    let bytes = interner.bytes(code)
                    if !invalidUTF8, bytes.contains(where: { $0 >= 0x80 }), TextDecoding.firstInvalidUTF8(Array(bytes)) != nil {
                        invalidUTF8 = true
                    }
                    let s = String(decoding: bytes, as: UTF8.self)
                    if let existing = index[s] {
                        remap[code] = existing
                    } else {
                        let new = UInt32(dictionary.count)
                        dictionary.append(s)
                        index[s] = new
                        remap[code] = new
                    }
                }
                let local = p.values.assumingMemoryBound(to: UInt32.self)
                remap.withUnsafeBufferPointer { r in
                    for i in 0..<p.count { codes.append(p.isValid(i) ? r[Int(local[i])] : 0) }
                }
            }
            count += p.count
        }
    }

    func finish() -> Column {
        var validity: Bitmap? = nil
        if !missingRows.isEmpty {
            var bits = Bitmap(count: count, allValid: true)
            for r in missingRows { bits[r] = false }
            validity = bits
        }
        switch type {
        case .float64: return Column(name: name, storage: .float(doubles), validity: validity)
        case .int64: return Column(name: name, storage: .int(ints), validity: validity)
        case .bool: return Column(name: name, storage: .bool(bools), validity: validity)
        case .date: return Column(name: name, storage: .date(dates), validity: validity)
        case .string:
            return Column(name: name, storage: .string(codes: codes, dictionary: dictionary.isEmpty ? [""] : dictionary), validity: validity)
        }
    }
}
