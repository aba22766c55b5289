import MLDiagnostics
import MLFrame
#if canImport(Glibc)
import Glibc
#endif

/// One chunk's view of one column while it parses: where the chunk's rows go in the column's
/// final storage, and what it learns on the way (its missing rows; for text, its own dictionary).
/// Values are written straight into the final column at the chunk's row offset, so a load copies
/// no column data after parsing. The parse loop touches no reference counts and no array checks.
struct ChunkColumn {
    let type: ColumnType
    /// Row 0 of this chunk in the column's storage.
    var values: UnsafeMutableRawPointer
    /// This chunk's rows with no value, in order.
    private(set) var missing: [Int] = []
    /// Text columns intern their values here (nil for other types); codes are the chunk's own.
    let interner: ByteInterner?

    init(type: ColumnType) {
        self.type = type
        values = UnsafeMutableRawPointer(bitPattern: 8)!  // set before each parse
        interner = type == .string ? ByteInterner() : nil
    }

    /// Empties the chunk's findings for the next block, keeping their memory.
    mutating func reset(values: UnsafeMutableRawPointer) {
        self.values = values
        missing.removeAll(keepingCapacity: true)
        interner?.reset()
    }

    @inline(__always)
    mutating func storeMissing(_ row: Int) {
        switch type {
        case .float64: values.storeBytes(of: Double.nan, toByteOffset: row &* 8, as: Double.self)
        case .int64: values.storeBytes(of: Int64(0), toByteOffset: row &* 8, as: Int64.self)
        case .bool: values.storeBytes(of: false, toByteOffset: row, as: Bool.self)
        case .date: values.storeBytes(of: Int32(0), toByteOffset: row &* 4, as: Int32.self)
        case .string: values.storeBytes(of: UInt32(0), toByteOffset: row &* 4, as: UInt32.self)
        }
        missing.append(row)
    }

    /// Stores a field's value; false when the bytes are not of this column's type.
    @inline(__always)
    mutating func store(_ p: UnsafePointer<UInt8>, _ n: Int, _ row: Int) -> Bool {
        switch type {
        case .float64:
            guard let v = FieldParsing.double(p, n) else { return false }
            // "nan" is a missing value, as pandas reads it: every step then treats it as one.
            if v.isNaN { storeMissing(row); return true }
            values.storeBytes(of: v, toByteOffset: row &* 8, as: Double.self)
        case .int64:
            guard let v = FieldParsing.int(p, n) else { return false }
            values.storeBytes(of: v, toByteOffset: row &* 8, as: Int64.self)
        case .bool:
            guard let v = FieldParsing.bool(p, n) else { return false }
            values.storeBytes(of: v, toByteOffset: row, as: Bool.self)
        case .date:
            guard let v = FieldParsing.date(p, n) else { return false }
            values.storeBytes(of: v, toByteOffset: row &* 4, as: Int32.self)
        case .string:
            let code = interner.unsafelyUnwrapped.intern(p, n)
            values.storeBytes(of: code, toByteOffset: row &* 4, as: UInt32.self)
        }
        return true
    }

    @inline(__always)
    func storeDouble(_ v: Double, _ row: Int) {
        values.storeBytes(of: v, toByteOffset: row &* 8, as: Double.self)
    }

    @inline(__always)
    func storeInt(_ v: Int64, _ row: Int) {
        values.storeBytes(of: v, toByteOffset: row &* 8, as: Int64.self)
    }

    /// Forgets what was learned from rows at or after `row` (a skipped bad row).
    mutating func truncate(to row: Int) {
        while let last = missing.last, last >= row { missing.removeLast() }
    }
}
