import Dispatch

/// Joins and row binding: `join` matches the rows of two frames on key columns (a hash join: the
/// keys become dense numbers, the right side is bucketed by them once, and every left row finds
/// its matches in one lookup), and `concat` stacks frames with the same columns.
public enum JoinKind: String, CaseIterable, Sendable {
    case inner, left, right, outer, semi, anti
}

public enum FrameJoin {
    /// The pairs of rows a join keeps: left row, right row (−1 where a side has none). A missing
    /// key matches a missing key, as pandas' merge does.
    /// Each row's key as a dense id shared by both sides (equal keys, equal ids).
    public struct Keys: Sendable {
        public let left: [Int], right: [Int], count: Int

        /// How many ids appear more than once on one side, and on how many rows.
        public func repeats(left side: Bool) -> (keys: Int, rows: Int) {
            var seen = [Int](repeating: 0, count: count)
            for id in side ? left : right { seen[id] += 1 }
            var keys = 0, rows = 0
            for n in seen where n > 1 { keys += 1; rows += n }
            return (keys, rows)
        }
    }

    public static func keys(_ left: [Column], _ right: [Column]) -> Keys {
        var (l, r, ids) = keyIDs(left[0], right[0])
        for k in 1..<max(1, left.count) {
            // Several keys: each pair of ids (so far, this column's) becomes one dense id.
            let (l2, r2, ids2) = keyIDs(left[k], right[k])
            var pairs: [Int: Int] = [:]
            func combine(_ a: [Int], _ b: [Int]) -> [Int] {
                zip(a, b).map { x, y in
                    let key = x * ids2 + y
                    if let id = pairs[key] { return id }
                    pairs[key] = pairs.count
                    return pairs.count - 1
                }
            }
            l = combine(l, l2)
            r = combine(r, r2)
            ids = pairs.count
        }
        return Keys(left: l, right: r, count: ids)
    }

    /// How many rows the join makes, counted before any is made (keys repeated on both sides
    /// multiply).
    public static func size(_ keys: Keys, how: JoinKind) -> Int {
        var left = [Int](repeating: 0, count: keys.count), right = left
        for id in keys.left { left[id] += 1 }
        for id in keys.right { right[id] += 1 }
        var total = 0
        for id in 0..<keys.count {
            let (product, overflow) = left[id].multipliedReportingOverflow(by: right[id])
            if overflow { return Int.max }
            switch how {
            case .inner: total &+= product
            case .left: total &+= product > 0 ? product : left[id]
            case .right: total &+= product > 0 ? product : right[id]
            case .outer: total &+= product > 0 ? product : left[id] + right[id]
            case .semi: total &+= right[id] > 0 ? left[id] : 0
            case .anti: total &+= right[id] > 0 ? 0 : left[id]
            }
            if total < 0 { return Int.max }
        }
        return total
    }

    public static func match(_ keys: Keys, how: JoinKind) -> (left: [Int], right: [Int]) {
        let l = keys.left, r = keys.right, ids = keys.count, nL = l.count, nR = r.count
        // The right rows bucketed by id (counting sort, each bucket in row order).
        func buckets(_ keys: [Int], _ n: Int) -> (start: [Int], rows: [Int]) {
            var start = [Int](repeating: 0, count: ids + 1)
            for id in keys { start[id + 1] += 1 }
            for i in 0..<ids { start[i + 1] += start[i] }
            var fill = start, rows = [Int](repeating: 0, count: n)
            for (row, id) in keys.enumerated() { rows[fill[id]] = row; fill[id] += 1 }
            return (start, rows)
        }
        var outL: [Int] = [], outR: [Int] = []
        outL.reserveCapacity(max(nL, nR))
        outR.reserveCapacity(max(nL, nR))
        switch how {
        case .inner, .left, .outer:
            let (start, rows) = buckets(r, nR)
            var matched = how == .outer ? [Bool](repeating: false, count: nR) : []
            for (row, id) in l.enumerated() {
                let range = start[id]..<start[id + 1]
                if range.isEmpty {
                    if how != .inner { outL.append(row); outR.append(-1) }
                    continue
                }
                for k in range {
                    outL.append(row)
                    outR.append(rows[k])
                    if how == .outer { matched[rows[k]] = true }
                }
            }
            if how == .outer {
                for row in 0..<nR where !matched[row] { outL.append(-1); outR.append(row) }
            }
        case .right:
            // The mirror of a left join: right rows in their order, each with its left matches.
            let (start, rows) = buckets(l, nL)
            for (row, id) in r.enumerated() {
                let range = start[id]..<start[id + 1]
                if range.isEmpty { outL.append(-1); outR.append(row); continue }
                for k in range { outL.append(rows[k]); outR.append(row) }
            }
        case .semi, .anti:
            var present = [Bool](repeating: false, count: ids)
            for id in r { present[id] = true }
            for (row, id) in l.enumerated() where present[id] == (how == .semi) { outL.append(row); outR.append(-1) }
        }
        return (outL, outR)
    }

    /// Dense ids for the values of a key column on both sides: equal values (numbers by value,
    /// whatever their storage; texts by text) get the same id, and so do missing values.
    static func keyIDs(_ a: Column, _ b: Column) -> ([Int], [Int], Int) {
        var ids = 0
        if case .string(let ca, let da) = a.storage, case .string(let cb, let db) = b.storage {
            var byText: [String: Int] = [:]
            func id(_ s: String) -> Int {
                if let i = byText[s] { return i }
                byText[s] = ids
                ids += 1
                return ids - 1
            }
            let ma = da.map(id), mb = db.map(id)
            let missing = ids
            ids += 1
            let la = (0..<ca.count).map { a.isValid($0) ? ma[Int(ca[$0])] : missing }
            let lb = (0..<cb.count).map { b.isValid($0) ? mb[Int(cb[$0])] : missing }
            return (la, lb, ids)
        }
        if case .int(let va) = a.storage, case .int(let vb) = b.storage, let lo = min(va.min() ?? 0, vb.min() ?? 0) as Int64?,
           let hi = max(va.max() ?? 0, vb.max() ?? 0) as Int64?, case let (span, overflow) = hi.subtractingReportingOverflow(lo),
           !overflow, span < Int64(4 * (va.count + vb.count) + 1024) {
            // Whole numbers in a narrow range (ids, mostly): a table indexed by the number itself.
            var idOf = [Int](repeating: 0, count: Int(hi - lo) + 1)
            ids = 1
            func numbered(_ c: Column, _ v: [Int64]) -> [Int] {
                v.withUnsafeBufferPointer { v in
                    idOf.withUnsafeMutableBufferPointer { idOf in
                        (0..<v.count).map { r in
                            guard c.isValid(r) else { return 0 }
                            let slot = Int(v[r] - lo)
                            if idOf[slot] == 0 { idOf[slot] = ids; ids += 1 }
                            return idOf[slot]
                        }
                    }
                }
            }
            let lb = numbered(b, vb), la = numbered(a, va)
            return (la, lb, ids)
        }
        if case .int(let va) = a.storage, case .int(let vb) = b.storage {
            // Whole numbers: a dictionary of the numbers themselves.
            var byInt: [Int64: Int] = [:]
            byInt.reserveCapacity(min(va.count + vb.count, 1 << 20))
            ids = 1
            func numbered(_ c: Column, _ v: [Int64]) -> [Int] {
                (0..<v.count).map { r in
                    guard c.isValid(r) else { return 0 }
                    if let i = byInt[v[r]] { return i }
                    byInt[v[r]] = ids
                    ids += 1
                    return ids - 1
                }
            }
            let lb = numbered(b, vb), la = numbered(a, va)
            return (la, lb, ids)
        }
        var byValue: [UInt64: Int] = [:]
        let missing = 0
        ids = 1
        func numbered(_ c: Column) -> [Int] {
            (0..<c.count).map { r in
                guard c.isValid(r), let v = c.double(r), !v.isNaN else { return missing }
                let bits = (v == 0 ? 0.0 : v).bitPattern  // −0 is 0
                if let i = byValue[bits] { return i }
                byValue[bits] = ids
                ids += 1
                return ids - 1
            }
        }
        let la = numbered(a), lb = numbered(b)
        return (la, lb, ids)
    }
}

extension Column {
    /// Several columns each gathered at its own rows (−1: missing), on both cores when large.
    public static func taking(_ work: [(Column, [Int])]) -> [Column] {
        let slots = WorkerSlots<Column?>(work.count, nil)
        let total = work.reduce(0) { $0 + $1.1.count }
        if total < 1 << 18 {
            for (k, (c, rows)) in work.enumerated() { slots.values[k] = c.take(orMissing: rows) }
        } else {
            DispatchQueue.concurrentPerform(iterations: work.count) { k in slots.values[k] = work[k].0.take(orMissing: work[k].1) }
        }
        return slots.values.map { $0! }
    }

    /// The rows at `indices`, −1 giving a missing cell (the side of a join with no match).
    public func take(orMissing indices: [Int]) -> Column {
        guard indices.contains(-1) else { return take(indices) }
        let safe = count > 0 ? indices.map { max($0, 0) } : []
        var taken = count > 0 ? take(safe) : Column.empty(name: name, like: storage, count: indices.count)
        var valid = Bitmap(count: indices.count, allValid: true)
        var flags = [Bool](repeating: true, count: indices.count)
        for (k, i) in indices.enumerated() where i < 0 || !(taken.validity?[k] ?? true) { flags[k] = false }
        valid = Bitmap(flags)
        taken.validity = valid.allValid ? nil : valid
        return taken
    }

    /// A column of `count` placeholder cells of the same storage kind (all to be marked missing).
    static func empty(name: String, like storage: ColumnStorage, count: Int) -> Column {
        switch storage {
        case .float: return Column(name: name, storage: .float([Double](repeating: 0, count: count)))
        case .int: return Column(name: name, storage: .int([Int64](repeating: 0, count: count)))
        case .bool: return Column(name: name, storage: .bool([Bool](repeating: false, count: count)))
        case .string(_, let d): return Column(name: name, storage: .string(codes: [UInt32](repeating: 0, count: count), dictionary: d.isEmpty ? [""] : d))
        case .date: return Column(name: name, storage: .date([Int32](repeating: 0, count: count)))
        }
    }

    /// This column where `useOther` is true taken from `other` (same rows): a join's key, which
    /// comes from the right side where the left has no row. Numbers of both kinds become floats;
    /// texts share one dictionary.
    public func coalesced(with other: Column, useOther: [Bool]) -> Column {
        let n = count
        func validity(_ pick: (Int) -> Bool) -> Bitmap? {
            let b = Bitmap((0..<n).map(pick))
            return b.allValid ? nil : b
        }
        let valid = validity { useOther[$0] ? other.isValid($0) : self.isValid($0) }
        switch (storage, other.storage) {
        case (.int(let a), .int(let b)):
            return Column(name: name, storage: .int((0..<n).map { useOther[$0] ? b[$0] : a[$0] }), validity: valid)
        case (.string(let ca, let da), .string(let cb, let db)):
            var merged = TextDictionary()
            let mapA = merged.codes(for: da), mapB = merged.codes(for: db)
            return Column(name: name, storage: .string(codes: (0..<n).map { useOther[$0] ? mapB[Int(cb[$0])] : mapA[Int(ca[$0])] },
                                                       dictionary: merged.texts), validity: valid)
        case (.bool(let a), .bool(let b)):
            return Column(name: name, storage: .bool((0..<n).map { useOther[$0] ? b[$0] : a[$0] }), validity: valid)
        case (.date(let a), .date(let b)):
            return Column(name: name, storage: .date((0..<n).map { useOther[$0] ? b[$0] : a[$0] }), validity: valid)
        default:
            return Column(name: name, storage: .float((0..<n).map { (useOther[$0] ? other.double($0) : self.double($0)) ?? .nan }), validity: valid)
        }
    }
}

extension Column {
    /// `count` missing cells of the kind of `like`.
    public static func missing(name: String, like: Column, count: Int) -> Column {
        var c = empty(name: name, like: like.storage, count: count)
        c.validity = count > 0 ? Bitmap(count: count, allValid: false) : nil
        return c
    }

    /// Columns of the same name one after another (`concat`): of one kind, or numbers of both
    /// kinds as decimals; texts share one dictionary.
    public static func stacked(_ parts: [Column]) -> Column {
        let name = parts[0].name
        let flags = parts.flatMap { c in (0..<c.count).map { c.isValid($0) } }
        let valid = Bitmap(flags)
        let validity: Bitmap? = valid.allValid ? nil : valid
        let kinds = Set(parts.map(\.type))
        if kinds.count > 1 {
            return Column(name: name, storage: .float(parts.flatMap { c in (0..<c.count).map { c.isValid($0) ? c.double($0) ?? .nan : .nan } }), validity: validity)
        }
        switch parts[0].storage {
        case .float: return Column(name: name, storage: .float(parts.flatMap { if case .float(let v) = $0.storage { return v }; return [] }), validity: validity)
        case .int: return Column(name: name, storage: .int(parts.flatMap { if case .int(let v) = $0.storage { return v }; return [] }), validity: validity)
        case .bool: return Column(name: name, storage: .bool(parts.flatMap { if case .bool(let v) = $0.storage { return v }; return [] }), validity: validity)
        case .date: return Column(name: name, storage: .date(parts.flatMap { if case .date(let v) = $0.storage { return v }; return [] }), validity: validity)
        case .string:
            var merged = TextDictionary(), codes: [UInt32] = []
            for part in parts {
                guard case .string(let c, let d) = part.storage else { continue }
                let remap = merged.codes(for: d)
                codes += c.map { remap.isEmpty ? 0 : remap[Int($0)] }
            }
            return Column(name: name, storage: .string(codes: codes, dictionary: merged.texts.isEmpty ? [""] : merged.texts), validity: validity)
        }
    }
}

/// Texts of several string columns in one dictionary (a join's key, a stack of columns): each
/// column's dictionary maps to codes in the shared one, a text seen before keeping its code.
struct TextDictionary {
    private(set) var texts: [String] = []
    private var index: [String: UInt32] = [:]

    /// The shared code of each entry of `dictionary`, in its order.
    mutating func codes(for dictionary: [String]) -> [UInt32] {
        dictionary.map { s in
            if let i = index[s] { return i }
            index[s] = UInt32(texts.count)
            texts.append(s)
            return UInt32(texts.count - 1)
        }
    }
}
