import Foundation
import MLLearn
@testable import MLShell
import Testing

/// The metrics metric= ranks by, against scikit-learn 1.9.1 on pinned predictions
/// (Tests/Fixtures/expected/metrics-choice.json, made by scripts/expected/make_metric_choice_expected.py).
@Suite struct MetricChoiceTests {
    static func json(_ name: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: packageRoot + "/Tests/Fixtures/expected/\(name).json"))) as! [String: Any]
    }

    static func same(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-12 }

    @Test func binaryMetricsMatchScikitLearn() throws {
        let pinned = try Self.json("model-metrics-classification")
        let want = try #require(try Self.json("metrics-choice")["binary"] as? [String: Any])
        let y = pinned["y_true"] as! [Int], p = pinned["y_pred"] as! [Int], score = pinned["y_score"] as! [Double]
        try #require(y.count == p.count && y.count == score.count && y.count > 100)
        let c = Metrics.classification(y, p, classes: ["0", "1"], probabilities: score.map { [1 - $0, $0] })
        #expect(Self.same(Metrics.balancedAccuracy(c), want["balanced_accuracy"] as! Double))
        #expect(Self.same(c.precision[1], want["precision"] as! Double) && Self.same(c.recall[1], want["recall"] as! Double))
        #expect(Self.same(c.f1[1], want["f1"] as! Double))
        let ap = try #require(Metrics.averagePrecision(y.map { $0 == 1 }, score))
        #expect(Self.same(ap, want["average_precision"] as! Double), "\(ap)")
        let other = want["positive_0"] as! [String: Double]
        #expect(Self.same(Metrics.averagePrecision(y.map { $0 == 0 }, score.map { 1 - $0 })!, other["average_precision"]!))
        #expect(Self.same(c.f1[0], other["f1"]!))
    }

    @Test func multiclassMetricsMatchScikitLearn() throws {
        let pinned = try Self.json("model-metrics-multiclass")
        let wanted = try #require(try Self.json("metrics-choice")["multiclass"] as? [String: Any])
        let want = wanted.compactMapValues { $0 as? Double }
        let classes = pinned["classes"] as! [String]
        let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        let y = (pinned["y_true"] as! [String]).map { index[$0]! }, p = (pinned["y_pred"] as! [String]).map { index[$0]! }
        let prob = pinned["probabilities"] as! [[Double]]
        try #require(y.count == prob.count && prob[0].count == classes.count)
        let c = Metrics.classification(y, p, classes: classes, probabilities: prob)
        #expect(Self.same(Metrics.balancedAccuracy(c), want["balanced_accuracy"]!))
        #expect(Self.same(c.macro.f1, want["f1_macro"]!) && Self.same(c.macro.recall, want["recall_macro"]!))
        let per = classes.indices.map { k in Metrics.averagePrecision(y.map { $0 == k }, prob.map { $0[k] })! }
        #expect(Self.same(per.reduce(0, +) / Double(per.count), want["average_precision_macro"]!))
    }

    @Test func metricChoiceRanksAndErrorsAreClear() throws {
        let out = run("""
            load "\(packageRoot)/tutorials/data/mtcars.csv"
            fit linear mpg ~ wt + hp on mtcars as small
            fit ridge mpg ~ . - model on mtcars alpha=5 as wide
            compare small wide on mtcars metric=mae
            compare small wide on mtcars metric=roc_auc
            """)
        #expect(out.contains("│ model  │ algorithm │   MAE │  RMSE │     R² │"), "\(out)")
        #expect(out.contains("on mtcars; ★ best by MAE (lower is better)"))
        #expect(out.contains("error: roc_auc measures classes, and this model predicts values\n"))
        #expect(out.contains("hint: the metrics for it: rmse, mae, r2, mape\n"))
        let typo = run("""
            load "\(packageRoot)/tutorials/data/mtcars.csv"
            cv linear mpg ~ wt on mtcars metric=rsme
            """)
        #expect(typo.contains("error: no metric 'rsme'"), "\(typo)")
        #expect(typo.contains("hint: did you mean 'rmse'?"), "\(typo)")
    }
}
