import MLDiagnostics
import MLFrame
#if canImport(Glibc)
import Glibc
#endif

/// A whole column being read: its final storage, grown only when the file holds more rows than the
/// first sample suggested. Chunks write into it in place; after each block `absorb` records their
/// missing rows and, for text, maps each chunk's codes into one dictionary (strings in order of first
/// appearance).
final class ColumnStore: @unchecked Sendable {  // one worker at a time changes it
    let name: String
    let type: ColumnType
    let width: Int  // bytes per value
    private var doubles: [Double] = []
    private var ints: [Int64] = []
    private var bools: [Bool] = []
    private var dates: [Int32] = []
    private var codes: [UInt32] = []
    private var dictionary: [String] = []
    private var index: [String: UInt32] = [:]
    private var missingRows: [Int] = []
    private(set) var capacity = 0
    private(set) var invalidUTF8 = false

    init(name: String, type: ColumnType, capacity: Int) {
        self.name = name
        self.type = type
        switch type {
        case .float64, .int64: width = 8
        case .bool: width = 1
        case .date, .string: width = 4
        }
        reserve(capacity, keeping: 0)
    }

    /// An array of `n` values left unwritten: its pages are only touched when rows land in them.
    private static func unwritten<T>(_ n: Int, keeping old: [T], _ used: Int) -> [T] {
        [T](unsafeUninitializedCapacity: n) { buffer, count in
            if used > 0 {
                old.withUnsafeBufferPointer { buffer.baseAddress!.initialize(from: $0.baseAddress!, count: used) }
            }
            count = n
        }
    }

    /// Makes room for `rows` rows, keeping the first `used`.
    func reserve(_ rows: Int, keeping used: Int) {
        guard rows > capacity else { return }
        let n = max(rows, 64)
        switch type {
        case .float64: doubles = Self.unwritten(n, keeping: doubles, used)
        case .int64: ints = Self.unwritten(n, keeping: ints, used)
        case .bool: bools = Self.unwritten(n, keeping: bools, used)
        case .date: dates = Self.unwritten(n, keeping: dates, used)
        case .string: codes = Self.unwritten(n, keeping: codes, used)
        }
        capacity = n
    }

    /// Runs `body` with the address of row 0.
    func withValues<R>(_ body: (UnsafeMutableRawPointer) -> R) -> R {
        switch type {
        case .float64: return doubles.withUnsafeMutableBytes { body($0.baseAddress!) }
        case .int64: return ints.withUnsafeMutableBytes { body($0.baseAddress!) }
        case .bool: return bools.withUnsafeMutableBytes { body($0.baseAddress!) }
        case .date: return dates.withUnsafeMutableBytes { body($0.baseAddress!) }
        case .string: return codes.withUnsafeMutableBytes { body($0.baseAddress!) }
        }
    }

    /// Whether `absorb` has anything to do for this chunk column.
    func needsAbsorb(_ part: ChunkColumn, moved: Bool) -> Bool {
        moved || !part.missing.isEmpty || type == .string
    }

    /// Takes in one chunk's `rows` rows, written at row `from`, which belong at row `to` (≤ from:
    /// earlier chunks held fewer rows than their lines, so the rows move down).
    func absorb(_ part: ChunkColumn, rows: Int, from: Int, to: Int) {
        for r in part.missing { missingRows.append(to + r) }
        withValues { base in
            if to != from, rows > 0 {
                memmove(base + to * width, base + from * width, rows * width)
            }
            guard type == .string, let interner = part.interner else { return }
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
            let local = (base + to * 4).assumingMemoryBound(to: UInt32.self)
            remap.withUnsafeBufferPointer { r in
                // A missing row's code is 0 in every dictionary; the validity bitmap hides it.
                for i in 0..<rows { local[i] = r.isEmpty ? 0 : r[Int(local[i])] }
            }
            for r in part.missing { local[r] = 0 }
        }
    }

    /// The column of the first `rows` rows.
    func finish(rows: Int) -> Column {
        var validity: Bitmap? = nil
        if !missingRows.isEmpty {
            var bits = Bitmap(count: rows, allValid: true)
            for r in missingRows where r < rows { bits[r] = false }
            validity = bits
        }
        func cut<T>(_ a: inout [T]) -> [T] {
            if a.count > rows { a.removeLast(a.count - rows) }
            return a
        }
        switch type {
        case .float64: return Column(name: name, storage: .float(cut(&doubles)), validity: validity)
        case .int64: return Column(name: name, storage: .int(cut(&ints)), validity: validity)
        case .bool: return Column(name: name, storage: .bool(cut(&bools)), validity: validity)
        case .date: return Column(name: name, storage: .date(cut(&dates)), validity: validity)
        case .string:
            return Column(name: name, storage: .string(codes: cut(&codes), dictionary: dictionary.isEmpty ? [""] : dictionary),
                          validity: validity)
        }
    }

    /// Runs `body` with the address of row 0 of every column at once (nested accesses, one per
    /// column, so that every address stays valid while `body` runs).
    static func withValues<R>(of stores: [ColumnStore], _ body: (UnsafeMutablePointer<UnsafeMutableRawPointer>) -> R) -> R {
        let addresses = UnsafeMutablePointer<UnsafeMutableRawPointer>.allocate(capacity: max(1, stores.count))
        defer { addresses.deallocate() }
        func nest(_ c: Int) -> R {
            if c == stores.count { return body(addresses) }
            return stores[c].withValues { base in
                addresses[c] = base
                return nest(c + 1)
            }
        }
        return nest(0)
    }
}
