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

/// positive= and threshold=: the class of interest and where it starts.
@Suite struct PositiveAndThresholdTests {
    @Test func theThresholdDecidesTheClassAndTheFiguresFollow() throws {
        let (s, _) = recordingSession()
        let out = run("""
            load "\(packageRoot)/tutorials/data/titanic.csv"
            fit logistic survived ~ age on titanic positive=yes as older
            predict older on titanic as scored
            evaluate older on titanic threshold=0.4 as e
            """, in: s)
        let scored = try #require(s.dataset(named: "scored"), "\(out)")
        let p = scored.frame.column("p_yes")!, truth = scored.frame.column("survived")!
        var tp = 0, fp = 0, fn = 0, rows = 0
        for r in 0..<scored.frame.rowCount where p.isValid(r) {
            rows += 1
            let predicted = p.double(r)! >= 0.4, actual = truth.text(r) == "yes"
            if predicted && actual { tp += 1 } else if predicted { fp += 1 } else if actual { fn += 1 }
        }
        try #require(rows == 1046)
        guard case .record(let fields)? = s.variable("e") else { Issue.record("no record: \(out)"); return }
        func field(_ n: String) -> Double? { fields.first { $0.name == n }.flatMap { if case .number(let x) = $0.value { return x }; return nil } }
        #expect(field("precision") == Double(tp) / Double(tp + fp), "\(out)")
        #expect(field("recall") == Double(tp) / Double(tp + fn))
        #expect(field("threshold") == 0.4)
        #expect(out.contains("positive class yes from P"), "\(out)")
        #expect(out.contains("  positive class: yes\n"), "fit says which class is positive: \(out)")
    }

    @Test func errorsNameTheClassesAndTheRange() {
        let (s, _) = recordingSession()
        _ = run("""
            load "\(packageRoot)/tutorials/data/titanic.csv"
            fit logistic survived ~ age on titanic as older
            load "\(packageRoot)/tutorials/data/iris.csv"
            fit logistic Species ~ . on iris as three
            """, in: s)
        let out = ["evaluate older on titanic positive=maybe", "evaluate older on titanic threshold=2", "evaluate three on iris threshold=0.3"]
            .map { run($0, in: s) }.joined()
        #expect(out.contains("error: 'maybe' is not one of the classes: no, yes\n"), "\(out)")
        #expect(out.contains("error: threshold= is a probability strictly between 0 and 1, not 2\n"))
        #expect(out.contains("error: threshold= is for a model of two classes\n"))
    }

    @Test func severalModelsCurvesAndTheThresholdPlot() {
        let out = run("""
            load "\(packageRoot)/tutorials/data/titanic.csv"
            encode titanic onehot sex
            fill titanic age median
            fit logistic survived ~ age + sex_male on titanic as lg
            fit tree survived ~ age + sex_male on titanic max_depth=3 as tr
            plot roc lg, tr on titanic positive=yes
            plot lg threshold on titanic
            """)
        #expect(out.contains("* lg (AUC 0.768)   + tr (AUC "), "\(out)")
        #expect(out.contains("note: positive class yes, on titanic"))
        #expect(out.contains("note: best F1 "), "\(out)")
    }
}

/// class_weight=balanced against scikit-learn 1.9.1 (Tests/Fixtures/expected/class-weight.json,
/// made by scripts/expected/make_class_weight_expected.py): titanic, survived ~ age + sex_male.
@Suite struct ClassWeightTests {
    @Test func balancedLogisticAndTreeMatchScikitLearn() throws {
        let want = try MetricChoiceTests.json("class-weight")
        let (s, _) = recordingSession()
        let out = run("""
            load "\(packageRoot)/tutorials/data/titanic.csv"
            encode titanic onehot sex
            where titanic age is not missing as aged
            fit logistic survived ~ age + sex_male on aged class_weight=balanced as lr
            fit tree survived ~ age + sex_male on aged max_depth=2 class_weight=balanced as tr
            fit boost survived ~ age + sex_male on aged class_weight=balanced as gb
            """, in: s)
        let lr = try #require(s.model(named: "lr"), "\(out)")
        #expect(out.contains("C=1 class_weight=balanced"), "\(out)")
        guard case .logistic(let fit) = lr.estimator else { Issue.record("not logistic"); return }
        let logistic = want["logistic"] as! [String: Any]
        let coefficients = logistic["coefficients"] as! [Double]
        try #require(fit.weights[0].count == coefficients.count)
        func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-5 * max(1, abs(b)) }
        #expect(close(fit.intercepts[0], logistic["intercept"] as! Double), "\(fit.intercepts[0])")
        for (a, b) in zip(fit.weights[0], coefficients) { #expect(close(a, b), "\(a) vs \(b)") }
        let tr = try #require(s.model(named: "tr"))
        guard case .tree(let tree) = tr.estimator else { Issue.record("not a tree"); return }
        let aged = try #require(s.dataset(named: "aged"))
        let age = aged.frame.column("age")!, male = aged.frame.column("sex_male")!
        let expected = (want["tree"] as! [String: Any])["proba_first_rows"] as! [[Double]]
        for (r, p) in expected.enumerated() {
            let got = tree.leaf([age.double(r)!, male.double(r)!]).value
            #expect(got.count == 2 && close(got[0], p[0]) && close(got[1], p[1]), "row \(r): \(got) vs \(p)")
        }
        // Boosting with balanced weights: scikit-learn's HistGradientBoosting's probabilities, to 1e-3.
        let gb = try #require(s.model(named: "gb"))
        let boosted = (want["boost"] as! [String: Any])["proba_first_rows"] as! [[Double]]
        let x = Matrix(columns: [(0..<20).map { age.double($0)! }, (0..<20).map { male.double($0)! }])
        let probabilities = try #require(gb.predict(x).probabilities)
        for (r, p) in boosted.enumerated() {
            #expect(abs(probabilities[r][1] - p[1]) <= 1e-3, "row \(r): \(probabilities[r]) vs \(p)")
        }
    }
}
