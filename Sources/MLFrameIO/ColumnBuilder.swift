import MLFrame

/// Collects one column's cells while parsing, in the type chosen for it.
/// A cell that does not fit the type reports it, and the reader re-reads with a wider type.
final class ColumnBuilder {
    let type: ColumnType
    var floats: [Double] = []
    var ints: [Int64] = []
    var bools: [Bool] = []
    var dates: [Int32] = []
    var codes: [UInt32] = []
    var interner = ByteInterner()
    var validity: [UInt64] = []
    var count = 0
    var missing = 0

    init(type: ColumnType, capacity: Int) {
        self.type = type
        switch type {
        case .float64: floats.reserveCapacity(capacity)
        case .int64: ints.reserveCapacity(capacity)
        case .bool: bools.reserveCapacity(capacity)
        case .date: dates.reserveCapacity(capacity)
        case .string: codes.reserveCapacity(capacity)
        }
        validity.reserveCapacity(capacity / 64 + 1)
    }

    @inline(__always)
    private func markValid(_ valid: Bool) {
        if count & 63 == 0 { validity.append(0) }
        if valid { validity[count >> 6] |= 1 << UInt64(count & 63) } else { missing += 1 }
        count += 1
    }

    @inline(__always)
    func appendMissing() {
        switch type {
        case .float64: floats.append(.nan)
        case .int64: ints.append(0)
        case .bool: bools.append(false)
        case .date: dates.append(0)
        case .string: codes.append(0)
        }
        markValid(false)
    }

    /// Appends a field's value; false when the bytes are not of this column's type.
    @inline(__always)
    func append(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        switch type {
        case .float64:
            guard let v = FieldParsing.double(p, n) else { return false }
            floats.append(v)
        case .int64:
            guard let v = FieldParsing.int(p, n) else { return false }
            ints.append(v)
        case .bool:
            guard let v = FieldParsing.bool(p, n) else { return false }
            bools.append(v)
        case .date:
            guard let v = FieldParsing.date(p, n) else { return false }
            dates.append(v)
        case .string:
            codes.append(interner.intern(p, n))
        }
        markValid(true)
        return true
    }

    /// Drops the cells after the first `n` (a skipped bad row).
    func truncate(to n: Int) {
        guard n < count else { return }
        for i in n..<count where validity[i >> 6] & (1 << UInt64(i & 63)) == 0 { missing -= 1 }
        switch type {
        case .float64: floats.removeLast(count - n)
        case .int64: ints.removeLast(count - n)
        case .bool: bools.removeLast(count - n)
        case .date: dates.removeLast(count - n)
        case .string: codes.removeLast(count - n)
        }
        count = n
        validity.removeLast(validity.count - (n + 63) / 64)
        if n & 63 != 0 { validity[validity.count - 1] &= (1 << UInt64(n & 63)) - 1 }
    }
}

/// The builders of one chunk, merged in order into whole columns.
enum ColumnMerger {
    /// Joins chunk builders (all of one type) into a column. Text columns get one dictionary,
    /// with strings in order of first appearance; invalid UTF-8 is replaced and reported.
    static func merge(name: String, type: ColumnType, parts: [ColumnBuilder], invalidUTF8: inout Bool) -> Column {
        let total = parts.reduce(0) { $0 + $1.count }
        var validity = Bitmap(count: 0, allValid: true)
        let anyMissing = parts.contains { $0.missing > 0 }
        if anyMissing {
            var flags = [Bool]()
            flags.reserveCapacity(total)
            for p in parts {
                for i in 0..<p.count { flags.append(p.validity[i >> 6] & (1 << UInt64(i & 63)) != 0) }
            }
            validity = Bitmap(flags)
        }
        let v: Bitmap? = anyMissing ? validity : nil
        switch type {
        case .float64:
            if parts.count == 1 { return Column(name: name, storage: .float(parts[0].floats), validity: v) }
            var all = [Double](); all.reserveCapacity(total)
            for p in parts { all.append(contentsOf: p.floats) }
            return Column(name: name, storage: .float(all), validity: v)
        case .int64:
            if parts.count == 1 { return Column(name: name, storage: .int(parts[0].ints), validity: v) }
            var all = [Int64](); all.reserveCapacity(total)
            for p in parts { all.append(contentsOf: p.ints) }
            return Column(name: name, storage: .int(all), validity: v)
        case .bool:
            var all = [Bool](); all.reserveCapacity(total)
            for p in parts { all.append(contentsOf: p.bools) }
            return Column(name: name, storage: .bool(all), validity: v)
        case .date:
            var all = [Int32](); all.reserveCapacity(total)
            for p in parts { all.append(contentsOf: p.dates) }
            return Column(name: name, storage: .date(all), validity: v)
        case .string:
            var dictionary: [String] = []
            var index: [String: UInt32] = [:]
            var all = [UInt32](); all.reserveCapacity(total)
            for p in parts {
                var remap = [UInt32](repeating: 0, count: p.interner.count)
                for code in 0..<p.interner.count {
                    let bytes = p.interner.bytes(code)
                    if !invalidUTF8, TextDecodingCheck.isInvalid(bytes) { invalidUTF8 = true }
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
                for i in 0..<p.count { all.append(p.missing > 0 && p.validity[i >> 6] & (1 << UInt64(i & 63)) == 0 ? 0 : remap[Int(p.codes[i])]) }
            }
            if dictionary.isEmpty { dictionary = [""] }
            return Column(name: name, storage: .string(codes: all, dictionary: dictionary), validity: v)
        }
    }
}

import MLDiagnostics

enum TextDecodingCheck {
    static func isInvalid(_ bytes: ArraySlice<UInt8>) -> Bool {
        for b in bytes where b >= 0x80 {
            return TextDecoding.firstInvalidUTF8(Array(bytes)) != nil
        }
        return false
    }
}
