import MLDiagnostics
import MLMonitor
import MLRender

/// A drift report as a table: one row per column, Evidently's test and verdict beside PSI. (A
/// p-value drifts at 0.05 or under, a distance at 0.1 or over: the test says which the score is.)
enum DriftTable {
    static func table(_ report: DriftReport) -> TextTable {
        let c = report.columns
        func column(_ header: String, _ align: TextTable.Alignment, _ cells: [String], exact: [String]? = nil) -> TextTable.Column {
            TextTable.Column(header: header, alignment: align, cells: cells, exactCells: exact)
        }
        var table = TextTable(columns: [
            column("column", .left, c.map(\.column)),
            column("type", .left, c.map(\.kind.rawValue)),
            column("test", .left, c.map(\.test.rawValue)),
            column("score", .right, c.map { NumberFormat.compact($0.score) }, exact: c.map { "\($0.score)" }),
            column("drift", .left, c.map { $0.drifted ? "DRIFT" : "no" }),
            column("PSI", .right, c.map { NumberFormat.compact($0.psi, significant: 3) }, exact: c.map { "\($0.psi)" }),
            column("PSI says", .left, c.map(\.psiStatus)),
        ])
        table.footer = verdict(report)
        return table
    }

    /// "3 of 7 columns drift (43%): the dataset drifts (half or more)".
    static func verdict(_ report: DriftReport) -> String {
        let n = report.columns.count
        let percent = Int((report.share * 100).rounded())
        return "\(report.drifted) of \(plural(n, "column")) drift (\(percent)%): the dataset "
            + (report.datasetDrift ? "drifts (half or more)" : "does not drift (under half)")
    }
}
