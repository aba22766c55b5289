import MLFrame
import MLPrep
import MLDiagnostics

/// `sample [DS] N|FRACTION [seed=] [as NAME]`
struct SampleCommand: ShellCommand {
    static let spec = CommandSpec(
        name: "sample", stage: .data,
        abstract: "Keep a random sample of rows (without replacement), in their original order",
        parameters: [
            Parameter("DS", .dataset, "the dataset (default: the current one)", optional: true),
            Parameter("SIZE", .number, "a number of rows (e.g. 100) or a fraction below 1 (e.g. 0.1)"),
        ],
        options: [OptionSpec("seed", .integer, "the random seed", default: "set seed")],
        binds: ["NAME"],
        examples: [Example("load \"tutorials/data/penguins.csv\""), Example("sample penguins 10 seed=1 as few"), Example("sample penguins 0.5")])

    static func run(_ call: CommandCall, in session: Session) throws {
        let d = try call.dataset(session)
        let size = try call.number("SIZE")!
        let n = d.frame.rowCount
        let k: Int
        // More rows than there are is all of them (compared as doubles: 1e308 must not reach an Int).
        var tooMany = false
        if size > 0 && size < 1 { k = Int((size * Double(n)).rounded()) }
        else if size >= 1 && size.isFinite && size == size.rounded() { tooMany = size > Double(n); k = tooMany ? n : Int(size) }
        else { throw call.error(at: "SIZE", "'sample' takes a whole number of rows ≥ 1 or a fraction between 0 and 1, got \(Value.formatNumber(size))") }
        if let s = try call.integer("seed"), s < 0 { throw call.error(at: "seed", "seed= takes a whole number ≥ 0, got \(s)") }
        let seed = try call.integer("seed").map { UInt64($0) } ?? session.settings.seed
        if tooMany {
            session.report(call.error(at: "SIZE", "\(d.name) has only \(plural(n, "row")), so the sample is all of them").asWarning)
        }
        try call.apply(.sample(size: size < 1 ? size : Double(k), seed: seed), to: d, in: session)
        session.print("\(call.resultName(d)): sampled \(k) of \(plural(n, "row")) (seed \(seed))")
    }
}
