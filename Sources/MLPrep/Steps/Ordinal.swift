import MLDiagnostics
import MLFrame

/// `encode ordinal`: each category becomes its position (0, 1, …) in the sorted categories or in
/// the order given. A missing value, or one not seen when fitted, becomes missing.
enum Ordinal {
    static func run(_ frame: Frame, _ column: String, _ given: [String]?) throws -> StepResult {
        try Columns.require([column], in: frame)
        let c = frame.column(column)!
        var seen = Set<String>()
        for i in 0..<c.count { if let t = c.text(i) { seen.insert(t) } }
        var order: [String]
        if let given {
            var counts: [String: Int] = [:]
            for g in given { counts[g, default: 0] += 1 }
            let repeated = given.filter { counts[$0]! > 1 }
            guard repeated.isEmpty else {
                throw Diagnostic(.prepError, .error, "order= names \(jsonString(repeated[0])) more than once: each value needs one place",
                                 hint: "list each value once, in order")
            }
            let missing = seen.subtracting(given).sorted()
            guard missing.isEmpty else {
                throw Diagnostic(.prepError, .error, "order= leaves out values that '\(column)' has: " + missing.prefix(8).map { jsonString($0) }.joined(separator: ", "),
                                 hint: "list every value in order=[…]")
            }
            order = given
        } else {
            // As encode onehot: with no value there is no order to learn.
            guard !seen.isEmpty else { throw Diagnostic(.prepError, .error, "'\(column)' has no values to encode") }
            order = c.type.isNumeric ? seen.sorted { (Double($0) ?? 0) < (Double($1) ?? 0) } : seen.sorted(by: OneHot.order)
        }
        let (f, _) = try apply(frame, column, order)
        return StepResult(frame: f, state: .order(order),
                          notes: ["\(column) → " + order.prefix(10).enumerated().map { "\($1)=\($0)" }.joined(separator: ", ") + (order.count > 10 ? ", …" : "")])
    }

    static func apply(_ frame: Frame, _ column: String, _ order: [String]) throws -> (frame: Frame, unseen: Int) {
        try Columns.require([column], in: frame)
        let c = frame.column(column)!
        let index = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, Int64($0)) })
        var values = [Int64](repeating: 0, count: c.count)
        var valid = [Bool](repeating: false, count: c.count)
        var unseen = 0
        for i in 0..<c.count {
            guard let t = c.text(i) else { continue }
            if let v = index[t] { values[i] = v; valid[i] = true } else { unseen += 1 }
        }
        var f = frame
        f.setColumn(Column(name: column, storage: .int(values), validity: Bitmap(valid)))
        return (f, unseen)
    }
}
