import Foundation
import MLFrame
import MLFrameIO
import MLMonitor
@testable import MLShell
import Testing

/// Drift against Evidently 0.7.23 and scipy 1.17.1 on fixed data: the expected values come from
/// scripts/expected/drift.py (committed with the CSVs in Tests/Fixtures/drift).
@Suite struct DriftTests {
    static let folder = packageRoot + "/Tests/Fixtures/drift/"

    static var expected: [String: Any] {
        let data = try! Data(contentsOf: URL(fileURLWithPath: folder + "expected.json"))
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    static func columns(_ file: String) throws -> [DriftColumn] {
        let (frame, _) = try CSVReader.read(path: folder + file, options: CSVOptions())
        return frame.columns.map { DriftColumn($0) }
    }

    /// Equal within `tolerance` relative to the larger (absolute near 0).
    static func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
        a == b || abs(a - b) <= tolerance * max(1e-300, max(abs(a), abs(b))) || abs(a - b) < 1e-15
    }

    @Test(arguments: ["small", "big", "same"])
    func evidentlysDefaultDriftIsReproduced(_ name: String) throws {
        let pairs = Self.expected["pairs"] as! [[String: Any]]
        let pair = try #require(pairs.first { $0["name"] as? String == name })
        let report = Drift.report(reference: try Self.columns(pair["reference"] as! String),
                                  current: try Self.columns(pair["current"] as! String))
        let want = pair["columns"] as! [[String: Any]]
        try #require(report.columns.count == want.count)
        for (got, w) in zip(report.columns, want) {
            #expect(got.column == w["column"] as! String)
            #expect(got.kind.rawValue == w["type"] as! String, "\(got.column)")
            #expect(got.test.rawValue == w["stattest"] as! String, "\(got.column)")
            #expect(got.referenceCount == w["n_reference"] as! Int, "\(got.column)")
            #expect(got.currentCount == w["n_current"] as! Int, "\(got.column)")
            #expect(Self.close(got.score, w["score"] as! Double), "\(got.column) \(got.test): \(got.score) vs \(w["score"]!)")
            #expect(got.drifted == w["drifted"] as! Bool, "\(got.column)")
            #expect(Self.close(got.psi, w["psi_deciles"] as! Double), "\(got.column) psi: \(got.psi) vs \(w["psi_deciles"]!)")

        }
        #expect(report.drifted == pair["drifted_columns"] as! Int)
        #expect(report.datasetDrift == pair["dataset_drift"] as! Bool)
    }

    @Test func kolmogorovSmirnovMatchesScipy() throws {
        let scipy = Self.expected["scipy"] as! [String: Any]
        let pairs = Self.expected["pairs"] as! [[String: Any]]
        let small = pairs.first { $0["name"] as? String == "small" }!
        let r = try Self.columns(small["reference"] as! String).first { $0.name == "shifted" }!
        let c = try Self.columns(small["current"] as! String).first { $0.name == "shifted" }!
        guard case .numbers(let x) = r.values, case .numbers(let y) = c.values else { Issue.record("not numbers"); return }
        let ks = scipy["ks_small_shifted"] as! [String: Any]
        let auto = ks["auto"] as! [String: Double]
        let got = KolmogorovSmirnov.test(x, y)
        #expect(Self.close(got.statistic, auto["statistic"]!))
        #expect(Self.close(got.pValue, auto["pvalue"]!), "\(got.pValue) vs \(auto["pvalue"]!)")
        let equal = scipy["ks_equal_50"] as! [String: Any]
        let a = equal["a"] as! [Double], b = equal["b"] as! [Double]
        try #require(a.count == 50 && b.count == 50)
        let e = KolmogorovSmirnov.test(a, b)
        let equalAuto = equal["auto"] as! [String: Double]
        #expect(Self.close(e.statistic, equalAuto["statistic"]!))
        #expect(Self.close(e.pValue, equalAuto["pvalue"]!), "\(e.pValue) vs \(equalAuto["pvalue"]!)")
    }

    @Test func distancesAndTailsMatchScipy() throws {
        let scipy = Self.expected["scipy"] as! [String: Any]
        let js = scipy["jensenshannon"] as! [String: Any]
        #expect(Self.close(Distance.jensenShannon(js["p"] as! [Double], js["q"] as! [Double]), js["base_e"] as! Double, 1e-12))
        for row in scipy["chi2_sf"] as! [[String: Double]] {
            #expect(Self.close(Tail.chiSquare(row["x"]!, df: row["df"]!), row["sf"]!, 1e-12), "\(row)")
        }
        for row in scipy["norm_sf"] as! [[String: Double]] {
            #expect(Self.close(Tail.normal(row["x"]!), row["sf"]!, 1e-12), "\(row)")
        }
        let w = scipy["wasserstein_big_shifted"] as! [String: Any]
        let pairs = Self.expected["pairs"] as! [[String: Any]]
        let big = pairs.first { $0["name"] as? String == "big" }!
        let r = try Self.columns(big["reference"] as! String).first { $0.name == "shifted" }!
        let c = try Self.columns(big["current"] as! String).first { $0.name == "shifted" }!
        guard case .numbers(let x) = r.values, case .numbers(let y) = c.values else { return }
        #expect(Self.close(Distance.wasserstein(x, y), w["wasserstein_distance"] as! Double, 1e-12))
    }

    /// A model's training reference stands in for its training rows: with at most 1000 of them,
    /// drift against the model equals Evidently's drift against the rows (and PSI the deciles').
    @Test func aModelsReferenceGivesTheSameDriftAsItsRows() throws {
        let (s, _) = recordingSession()
        let out = run("""
            load "\(Self.folder)ref_small.csv" as ref
            fit linear shifted ~ count + level + flag on ref as m
            """, in: s)
        let model = try #require(s.model(named: "m"), "\(out)")
        let reference = try #require(ModelDrift.reference(model))
        #expect(reference.map(\.name) == ["count", "level", "flag", "prediction"])
        let current = try Self.columns("cur_small.csv")
        let report = Drift.report(reference: reference, current: current)
        try #require(report.columns.count == 3)
        let pairs = Self.expected["pairs"] as! [[String: Any]]
        let want = (pairs.first { $0["name"] as? String == "small" }!["columns"] as! [[String: Any]])
        for got in report.columns {
            let w = try #require(want.first { $0["column"] as? String == got.column })
            #expect(got.test.rawValue == w["stattest"] as! String, "\(got.column)")
            #expect(Self.close(got.score, w["score"] as! Double), "\(got.column): \(got.score) vs \(w["score"]!)")
            #expect(got.drifted == w["drifted"] as! Bool)
            #expect(Self.close(got.psi, w["psi_deciles"] as! Double), "\(got.column) psi: \(got.psi) vs \(w["psi_deciles"]!)")
        }
    }
}
