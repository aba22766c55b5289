import MLDiagnostics
import MLLanguage
import MLMonitor
import MLRender

/// `plot drift REF vs CUR [COL, …]`: each column's bins (the reference's deciles, or its
/// values) as two bars, the reference's share and the current rows', with the column's test.
enum DriftPlot {
    static func run(_ call: CommandCall, _ session: Session) throws {
        let words = (call.expr("DS").map { [$0] } ?? []) + call.exprs("COL")
        guard words.count >= 3, let refName = words[0].asName?.text, words[1].asName?.text == "vs", let curName = words[2].asName?.text else {
            throw call.error("plot drift compares two sides: plot drift REF vs CUR [COL, …]",
                             hint: "e.g. plot drift train vs test bill_length_mm, or plot drift MODEL vs DS", id: .missingArgument)
        }
        if call.has("FILE") { throw call.error(at: "FILE", "plot drift draws in the terminal only", hint: "leave out to \"…\"") }
        guard let current = session.dataset(named: curName) else {
            throw Diagnostic(.unknownName, .error, "no dataset named '\(curName)'", file: call.file, range: words[2].range,
                             hint: Suggest.didYouMean(curName, in: session.datasetNames) ?? "the rows to compare come from a dataset")
        }
        var (reference, compared) = try DriftSides.columns(call, session, reference: refName, at: words[0].range, current: current, model: nil)
        let wanted = words.dropFirst(3).compactMap { $0.asName?.text }
        for (w, e) in zip(wanted, words.dropFirst(3)) where !compared.contains(where: { $0.name == w }) {
            throw Diagnostic(.unknownColumn, .error, "'\(w)' is not a column both sides have", file: call.file, range: e.range,
                             hint: Suggest.didYouMean(w, in: compared.map(\.name)) ?? "they share: " + compared.map(\.name).joined(separator: ", "))
        }
        if !wanted.isEmpty { compared = compared.filter { wanted.contains($0.name) } }
        let report = Drift.report(reference: reference, current: compared)
        reference = reference.filter { r in compared.contains { $0.name == r.name } }
        let width = max(40, try call.integer("width") ?? min(session.width, 100))
        let unicode = session.terminal.utf8 || session.recording
        for (k, c) in report.columns.enumerated() {
            guard let r = reference.first(where: { $0.name == c.column }), let cur = compared.first(where: { $0.name == c.column }) else { continue }
            if k > 0 { session.output.write("\n") }
            let verdict = c.drifted ? "DRIFT" : "no drift"
            session.print("\(c.column): \(refName) vs \(curName) · \(c.test.rawValue) \(NumberFormat.compact(c.score)) (\(verdict)) · PSI \(NumberFormat.compact(c.psi, significant: 3)) (\(c.psiStatus))")
            var bins = Drift.bins(reference: r, current: cur)
            // Many categories: the 20 most common in the reference, then one line for the rest.
            let limit = 20
            var hidden = 0
            if bins.labels.count > limit + 1 {
                let order = bins.reference.indices.sorted { bins.reference[$0] != bins.reference[$1] ? bins.reference[$0] > bins.reference[$1] : $0 < $1 }
                let kept = Array(order.prefix(limit)).sorted(), rest = order.dropFirst(limit)
                hidden = rest.count
                bins = (kept.map { bins.labels[$0] } + ["(\(hidden) more)"],
                        kept.map { bins.reference[$0] } + [rest.reduce(0) { $0 + bins.reference[$1] }],
                        kept.map { bins.current[$0] } + [rest.reduce(0) { $0 + bins.current[$1] }])
            }
            let labelWidth = min(20, bins.labels.map { TextWidth.of($0) }.max() ?? 0)
            let barWidth = max(6, (width - labelWidth - 16) / 2)
            let full: Character = unicode ? "█" : "#", light: Character = unicode ? "▒" : "="
            let top = max(bins.reference.max() ?? 0, bins.current.max() ?? 0, 1e-12)
            func bar(_ share: Double, _ ch: Character) -> String {
                let n = Int((share / top * Double(barWidth)).rounded())
                return String(repeating: ch, count: n) + String(repeating: " ", count: barWidth - n)
            }
            func percent(_ p: Double) -> String { " " + NumberFormat.c("%5.1f", p * 100) + "%" }
            session.output.write(Dashboard.pad("", labelWidth) + "  " + Dashboard.pad("\(refName) (reference)", barWidth + 7) + " " + curName + "\n")
            for (label, (rs, cs)) in zip(bins.labels, zip(bins.reference, bins.current)) {
                session.output.write(Dashboard.pad(Dashboard.truncate(label, labelWidth), labelWidth) + "  " + bar(rs, light) + percent(rs)
                                     + " " + bar(cs, full) + percent(cs) + "\n")
            }
        }
    }
}
