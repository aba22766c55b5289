import Dispatch
import MLDiagnostics
import MLFrame
#if canImport(Glibc)
import Glibc
#endif

/// A block's chunks: where they start, parsing them on every core into their places in the
/// columns, and taking in what each learned.
extension CSVReader {
    /// Where the chunks of [start, end) begin and end: at row starts, about equal in size.
    static func chunkBounds(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int, pieces: Int, rowStarts: [Int]?) -> [Int] {
        var bounds = [start]
        if pieces > 1, let rowStarts {
            bounds += rowStarts.filter { $0 > start && $0 < end }
        } else if pieces > 1 {
            // No quotes in the block: every newline ends a row.
            let size = end - start
            for k in 1..<pieces {
                let target = start + size * k / pieces
                guard target > bounds.last! else { continue }
                guard let nl = memchrPointer(base + target, UInt8(ascii: "\n"), end - target) else { break }
                let next = nl - base + 1
                if next >= end { break }
                bounds.append(next)
            }
        }
        bounds.append(end)
        return bounds
    }

    /// The most rows [start, end) can hold: each ends at a newline, a lone CR, or the end.
    static func upperBoundOfRows(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int, newlines: Int) -> Int {
        var carriageReturns = 0, p = start
        while p < end, let q = memchrPointer(base + p, UInt8(ascii: "\r"), end - p) {
            carriageReturns += 1
            p = q - base + 1
        }
        return newlines + carriageReturns + 1
    }

    /// Parses each chunk into its place in the columns (chunk k's rows start after the rooms of the
    /// chunks before it), on every core; `readAhead` runs alongside, on its own worker.
    static func parseChunks(_ base: UnsafePointer<UInt8>, bounds: [Int], rooms: [Int], rowsBefore: Int, stores: [ColumnStore],
                            capacity: inout Int, pool: ChunkPool, parser: ChunkParser, stopWhenFull: Bool,
                            readAhead: (() throws(Diagnostic) -> Void)?, readResult: ReadResult) -> [ChunkOutcome] {
        let chunks = bounds.count - 1
        var offsets = [rowsBefore]
        for k in 0..<chunks { offsets.append(offsets[k] + rooms[k]) }
        if offsets[chunks] > capacity {
            capacity = max(offsets[chunks], capacity + capacity / 2)
            for s in stores { s.reserve(capacity, keeping: rowsBefore) }
        }
        let results = WorkerSlots<ChunkOutcome?>(chunks, nil)
        let sendableBase = SendablePointer(base)
        let extra = readAhead == nil ? 0 : 1
        let read = UncheckedSendable(readAhead)
        ColumnStore.withValues(of: stores) { addresses in
            let slots = pool.slots(chunks, addresses: addresses, widths: stores.map(\.width), offsets: offsets)
            let work: @Sendable (Int) -> Void = { i in
                if i < extra {
                    do throws(Diagnostic) { try read.value?() } catch { readResult.failure = error }
                    return
                }
                let k = i - extra
                results.values[k] = parser.parse(sendableBase.pointer, from: bounds[k], to: bounds[k + 1], into: slots.pointers[k],
                                                 room: rooms[k], stopWhenFull: stopWhenFull)
            }
            if chunks + extra == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: chunks + extra, execute: work) }
        }
        return results.values.prefix(chunks).map { $0! }
    }

    /// After a block: each column takes in its chunks' findings, in order (missing rows, text
    /// dictionaries), and rows move down where a chunk held fewer rows than its room.
    static func absorb(_ stores: [ColumnStore], pool: ChunkPool, parsed: [Int], rooms: [Int], rowsBefore: Int) {
        var moves: [(rows: Int, from: Int, to: Int)] = []
        var from = rowsBefore, to = rowsBefore
        for k in 0..<parsed.count {
            moves.append((parsed[k], from, to))
            from += rooms[k]
            to += parsed[k]
        }
        let parts = pool.current
        let busy = (0..<stores.count).filter { c in
            moves.indices.contains { k in stores[c].needsAbsorb(parts[k][c], moved: moves[k].from != moves[k].to) }
        }
        guard !busy.isEmpty else { return }
        let sendableParts = UncheckedSendable(parts)
        let plan = moves
        DispatchQueue.concurrentPerform(iterations: busy.count) { i in
            let c = busy[i]
            for (k, m) in plan.enumerated() {
                stores[c].absorb(sendableParts.value[k][c], rows: m.rows, from: m.from, to: m.to)
            }
        }
    }

    /// The chunk columns each chunk parses into, reused block after block (their missing lists and
    /// text dictionaries keep their memory).
    final class ChunkPool {
        let types: [ColumnType]
        private var slots: [UnsafeMutablePointer<ChunkColumn>] = []
        private var used = 0

        init(types: [ColumnType]) { self.types = types }

        deinit {
            for p in slots {
                p.deinitialize(count: types.count)
                p.deallocate()
            }
        }

        struct Slots: @unchecked Sendable { let pointers: [UnsafeMutablePointer<ChunkColumn>] }

        /// `n` emptied slots, chunk k's columns starting at row offsets[k] of each column.
        func slots(_ n: Int, addresses: UnsafeMutablePointer<UnsafeMutableRawPointer>, widths: [Int], offsets: [Int]) -> Slots {
            while slots.count < n {
                let p = UnsafeMutablePointer<ChunkColumn>.allocate(capacity: max(1, types.count))
                for (c, t) in types.enumerated() { (p + c).initialize(to: ChunkColumn(type: t)) }
                slots.append(p)
            }
            for k in 0..<n {
                for c in 0..<types.count { slots[k][c].reset(values: addresses[c] + offsets[k] * widths[c]) }
            }
            used = n
            return Slots(pointers: Array(slots.prefix(n)))
        }

        /// The chunk columns of the last parse: [chunk][column].
        var current: [[ChunkColumn]] {
            slots.prefix(used).map { Array(UnsafeBufferPointer(start: $0, count: types.count)) }
        }
    }

    /// What the read-ahead got, or why it failed.
    final class ReadResult: @unchecked Sendable {  // written by one worker, read after it finishes
        var got = 0
        var failure: Diagnostic?
    }

    struct UncheckedSendable<T>: @unchecked Sendable {
        let value: T
        init(_ v: T) { value = v }
    }

    struct SendablePointer: @unchecked Sendable {
        let pointer: UnsafePointer<UInt8>
        init(_ p: UnsafePointer<UInt8>) { pointer = p }
    }
}
