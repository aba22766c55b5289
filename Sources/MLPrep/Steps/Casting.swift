import MLDiagnostics
import MLFrame

/// `cast`: a column converted to another type. Values that do not convert become missing, and
/// the note says how many (with the first of them).
enum Casting {
    static func apply(_ frame: Frame, _ column: String, _ type: ColumnType) throws -> StepResult {
        try Columns.require([column], in: frame)
        let c = frame.column(column)!
        var failed = 0
        var firstFailed: String? = nil
        var valid = [Bool](repeating: false, count: c.count)
        func fail(_ i: Int) {
            failed += 1
            if firstFailed == nil { firstFailed = c.text(i) }
        }
        let result: Column
        switch type {
        case .float64:
            var out = [Double](repeating: .nan, count: c.count)
            for i in 0..<c.count where c.isValid(i) {
                if let d = c.double(i) ?? Double(c.text(i)!.trimmingSpaces) { out[i] = d; valid[i] = true } else { fail(i) }
            }
            result = Column(name: column, storage: .float(out), validity: Bitmap(valid))
        case .int64:
            var out = [Int64](repeating: 0, count: c.count)
            for i in 0..<c.count where c.isValid(i) {
                let d = c.double(i) ?? Double(c.text(i)!.trimmingSpaces)
                if let d, d == d.rounded(), abs(d) < 9e18 { out[i] = Int64(d); valid[i] = true } else { fail(i) }
            }
            result = Column(name: column, storage: .int(out), validity: Bitmap(valid))
        case .bool:
            var out = [Bool](repeating: false, count: c.count)
            for i in 0..<c.count where c.isValid(i) {
                let t = c.text(i)!.lowercased()
                if ["true", "1", "yes"].contains(t) { out[i] = true; valid[i] = true }
                else if ["false", "0", "no"].contains(t) { out[i] = false; valid[i] = true }
                else { fail(i) }
            }
            result = Column(name: column, storage: .bool(out), validity: Bitmap(valid))
        case .date:
            var out = [Int32](repeating: 0, count: c.count)
            for i in 0..<c.count where c.isValid(i) {
                let parts = c.text(i)!.split(separator: "-")
                if parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), let days = daysFromCivil(y, m, d) {
                    out[i] = days; valid[i] = true
                } else { fail(i) }
            }
            result = Column(name: column, storage: .date(out), validity: Bitmap(valid))
        case .string:
            var dictionary: [String] = []
            var index: [String: UInt32] = [:]
            var codes = [UInt32](repeating: 0, count: c.count)
            for i in 0..<c.count {
                guard let t = c.text(i) else { continue }
                valid[i] = true
                if let k = index[t] { codes[i] = k } else { codes[i] = UInt32(dictionary.count); index[t] = codes[i]; dictionary.append(t) }
            }
            result = Column(name: column, storage: .string(codes: codes, dictionary: dictionary.isEmpty ? [""] : dictionary), validity: Bitmap(valid))
        }
        if failed > 0 && failed == c.count - c.missingCount {
            throw Diagnostic(.prepError, .error, "none of the values of '\(column)' reads as \(type.rawValue) (the first: \(jsonString(firstFailed ?? "")))",
                             hint: "nothing was changed; check the column, or derive a new one from it")
        }
        var f = frame
        f.setColumn(result)
        var notes = ["\(column): \(c.type.rawValue) → \(type.rawValue)"]
        if failed > 0 {
            notes.append("note: \(plural(failed, "value")) could not be read as \(type.rawValue) and \(failed == 1 ? "is" : "are") now missing (the first: \(jsonString(firstFailed ?? "")))")
        }
        return StepResult(frame: f, notes: notes)
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
