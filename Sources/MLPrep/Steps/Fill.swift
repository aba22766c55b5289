import Dispatch
import MLDiagnostics
import MLFrame

/// `fill`: missing cells get a value learned from the column (mean, median, mode, min, max), a
/// given value, the mean of the k nearest rows, or a regression on the other columns.
enum Fill {
    static func run(_ frame: Frame, _ columns: [String], _ how: FillHow, shouldStop: () -> Bool = { false }) throws -> StepResult {
        try Columns.require(columns, in: frame)
        switch how {
        case .knn(let k): return try KNNFill.run(frame, columns, k: k, shouldStop: shouldStop)
        case .model:
            guard columns.count == 1 else {
                throw Diagnostic(.prepError, .error, "'fill … model' fills one column at a time", hint: "write one fill … model per column")
            }
            return try ModelFill.run(frame, columns[0])
        default: break
        }
        // Learned on both cores, one column each (a median sorts the whole column); errors are
        // reported for the first column in the user's order.
        let cols = columns.map { frame.column($0)! }
        let learned = WorkerSlots<Result<FillValue, any Error>?>(cols.count, nil)
        DispatchQueue.concurrentPerform(iterations: cols.count) { i in
            learned.values[i] = Result { try learn(cols[i], how) }
        }
        var values: [FillValue] = []
        var notes: [String] = []
        for (name, result) in zip(columns, learned.values.prefix(cols.count)) {
            let c = frame.column(name)!
            let value = try result!.get()
            values.append(value)
            let given: Bool
            switch how { case .number, .text: given = true; default: given = false }
            // A bool column is filled with true or false, and says so.
            var shown = value.display
            if c.type == .bool, case .number(let d) = value, d == 0 || d == 1 { shown = d == 1 ? "true" : "false" }
            notes.append("filled \(plural(c.missingCount, "missing cell")) in \(name) with \(shown)" + (given ? "" : " (the \(how.name))"))
        }
        return StepResult(frame: try apply(frame, columns, values), state: .fillValues(values), notes: notes)
    }

    /// The value to fill a column with, learned from its present values.
    static func learn(_ c: Column, _ how: FillHow) throws -> FillValue {
        let present = c.count - c.missingCount
        switch how {
        case .number(let d):
            if c.type == .string { return .text(formatDouble(d)) }
            return .number(d)
        case .text(let s):
            if c.type == .date {
                guard Fill.date(s) != nil else {
                    throw Diagnostic(.wrongColumnType, .error, "'\(c.name)' holds dates, so it cannot be filled with the text \(jsonString(s))",
                                     hint: "give a date as YYYY-MM-DD, e.g. value=\"2020-01-31\"")
                }
                return .text(s)
            }
            if c.type != .string {
                throw Diagnostic(.wrongColumnType, .error, "'\(c.name)' is \(c.type.rawValue), so it cannot be filled with the text \(jsonString(s))",
                                 hint: c.type == .bool ? "give value=true or value=false" : "give a number: value=0")
            }
            return .text(s)
        default: break
        }
        guard present > 0 else {
            throw Diagnostic(.prepError, .error, "'\(c.name)' has no values at all, so there is nothing to learn a \(how.name) from",
                             hint: "fill it with value=…, or drop the column")
        }
        if c.type == .string || c.type == .date {
            guard case .mode = how else {
                throw Diagnostic(.wrongColumnType, .error, "'fill … \(how.name)' needs numbers, but '\(c.name)' is \(c.type.rawValue)",
                                 hint: "text columns fill with mode or value=\"…\"")
            }
            var counts: [String: Int] = [:]
            for i in 0..<c.count { if let t = c.text(i) { counts[t, default: 0] += 1 } }
            // The most frequent; among ties the smallest, as scikit-learn's most_frequent.
            let best = counts.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }!
            return .text(best.key)
        }
        var v = c.validDoubles()
        if case .mean = how { try Columns.requireFinite(v, c.name, learning: "mean") }
        switch how {
        case .mean: return .number(v.reduce(0, +) / Double(v.count))
        case .median:
            return .number(Statistics.median(&v))
        case .min: return .number(v.min()!)
        case .max: return .number(v.max()!)
        default:
            var counts: [Double: Int] = [:]
            for x in v { counts[x, default: 0] += 1 }
            let best = counts.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }!
            return .number(best.key)
        }
    }

    /// Days since 1970-01-01 of a YYYY-MM-DD text (as dates are shown), nil for anything else.
    static func date(_ s: String) -> Int32? {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), (1...31).contains(d) else { return nil }
        return daysFromCivil(y, m, d)
    }

    static func apply(_ frame: Frame, _ columns: [String], _ values: [FillValue]) throws -> Frame {
        try Columns.require(columns, in: frame)
        var f = frame
        for (name, value) in zip(columns, values) {
            let c = f.column(name)!
            guard c.missingCount > 0 else { continue }
            switch (c.storage, value) {
            case (.string(let codes, var dictionary), .text(let s)):
                var code = dictionary.firstIndex(of: s).map(UInt32.init)
                if code == nil { code = UInt32(dictionary.count); dictionary.append(s) }
                let filled = (0..<c.count).map { c.isValid($0) ? codes[$0] : code! }
                f.setColumn(Column(name: name, storage: .string(codes: filled, dictionary: dictionary)))
            case (.int(let v), .number(let d)) where d == d.rounded() && abs(d) < 9e18:
                f.setColumn(Column(name: name, storage: .int((0..<c.count).map { c.isValid($0) ? v[$0] : Int64(d) })))
            case (.bool(var v), .number(let d)) where d == 0 || d == 1:
                // true/false (a mode of a bool column, or value=true) keeps the column bool.
                c.validity?.forEachUnset { v[$0] = d == 1 }
                f.setColumn(Column(name: name, storage: .bool(v)))
            case (.date(var v), .text(let s)):
                guard let day = Fill.date(s) else {
                    throw Diagnostic(.wrongColumnType, .error, "cannot fill the date column '\(name)' with \(jsonString(s))",
                                     hint: "give a date as YYYY-MM-DD, e.g. value=\"2020-01-31\"")
                }
                c.validity?.forEachUnset { v[$0] = day }
                f.setColumn(Column(name: name, storage: .date(v)))
            case (.float(var v), .number(let d)):
                c.validity?.forEachUnset { v[$0] = d }
                f.setColumn(Column(name: name, storage: .float(v)))
            case (_, .number(let d)) where c.type.isNumeric || c.type == .bool:
                f.setColumn(Column(name: name, storage: .float((0..<c.count).map { c.double($0) ?? d })))
            default:
                throw Diagnostic(.wrongColumnType, .error, "cannot fill the \(c.type.rawValue) column '\(name)' with \(value.display)",
                                 hint: c.type == .date ? "give a date as YYYY-MM-DD, e.g. value=\"2020-01-31\"" : nil)
            }
        }
        return f
    }
}
