import Foundation
import MLFrame
import MLFrameIO
import MLModel
import MLLearn
@testable import MLShell
import Testing

/// Random forests against scikit-learn's on fixed splits (Tests/Fixtures/forest, made by
/// scripts/expected/make_forest_expected.py). Both are randomized, so mlsh's mean over seeds is
/// held to scikit-learn's mean over 10 seeds within a stated margin: 0.03 of accuracy on
/// penguins (one test row is 0.006), 0.01 of R² on diamonds.
@Suite struct ForestTests {
    static let folder = packageRoot + "/Tests/Fixtures/forest/"

    static func expected(_ name: String) throws -> [String: Any] {
        let all = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "expected.json"))) as! [String: Any]
        return (all["cases"] as! [[String: Any]]).first { $0["name"] as? String == name }!
    }

    /// The test rows' score of a forest (or another algorithm) fitted with each seed: accuracy, or R².
    static func scores(_ name: String, formula: String, seeds: [Int], algorithm: String = "forest") throws -> [Double] {
        let (s, _) = recordingSession()
        var out = run("""
            load "\(folder)\(name)-train.csv" as train
            load "\(folder)\(name)-test.csv" as test
            """, in: s)
        let test = try #require(s.dataset(named: "test"), "\(out)")
        var result: [Double] = []
        for seed in seeds {
            out = run("fit \(algorithm) \(formula) on train seed=\(seed) as f", in: s)
            let model = try #require(s.model(named: "f"), "\(out)")
            let p = try model.predict(raw: test.frame, engine: nil)
            try #require(p.rows.count == test.frame.rowCount)
            let truth = test.frame.column(model.target!)!
            if let classes = model.classes {
                let right = p.rows.indices.filter { classes[Int(p.values[$0])] == truth.text(p.rows[$0]) }.count
                result.append(Double(right) / Double(p.rows.count))
            } else {
                result.append(Metrics.regression(p.rows.map { truth.double($0)! }, p.values).r2)
            }
        }
        return result
    }

    @Test func classificationIsAsGoodAsScikitLearns() throws {
        let want = try Self.expected("penguins")
        let got = try Self.scores("penguins", formula: "species ~ bill_length_mm + bill_depth_mm + flipper_length_mm + body_mass_g", seeds: [1, 2, 3, 4, 5])
        let mean = got.reduce(0, +) / Double(got.count)
        #expect(mean >= (want["mean"] as! Double) - 0.03, "mlsh \(got) vs scikit-learn \(want["values"]!)")
    }

    @Test func regressionIsAsGoodAsScikitLearns() throws {
        let want = try Self.expected("diamonds")
        let got = try Self.scores("diamonds", formula: "price ~ carat + depth + table + x + y + z", seeds: [1, 2])
        let mean = got.reduce(0, +) / Double(got.count)
        #expect(mean >= (want["mean"] as! Double) - 0.01, "mlsh \(got) vs scikit-learn \(want["values"]!)")
    }

    /// The same seed makes the same forest, on any number of cores; another seed another one.
    @Test func aSeedMakesTheSameForest() throws {
        let (s, _) = recordingSession()
        _ = run("""
            load "\(Self.folder)penguins-train.csv" as train
            fit forest species ~ . on train seed=3 n_trees=10 as a
            fit forest species ~ . on train seed=3 n_trees=10 as b
            fit forest species ~ . on train seed=4 n_trees=10 as c
            """, in: s)
        let a = try #require(s.model(named: "a")), b = try #require(s.model(named: "b")), c = try #require(s.model(named: "c"))
        #expect(a.estimator == b.estimator)
        #expect(a.estimator != c.estimator)
    }

    /// Gradient boosting against scikit-learn's HistGradientBoosting with its defaults (no early
    /// stopping under 10,000 rows, so nothing random): the same test accuracy on penguins within
    /// 0.01, R² on diamonds within 0.01 (Tests/Fixtures/forest/boost-expected.json).
    @Test func boostingIsAsGoodAsScikitLearns() throws {
        let want = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.folder + "boost-expected.json"))) as! [String: Any]
        let accuracy = try Self.scores("penguins", formula: "species ~ .", seeds: [0], algorithm: "boost")
        #expect(abs(accuracy[0] - (want["penguins_accuracy"] as! Double)) <= 0.01, "\(accuracy) vs \(want["penguins_accuracy"]!)")
        // Missing values learned natively (every row kept; a split sends them left or right).
        let missing = try Self.scores("penguins-missing", formula: "species ~ .", seeds: [0], algorithm: "boost")
        #expect(abs(missing[0] - (want["penguins_missing_accuracy"] as! Double)) <= 0.01, "\(missing) vs \(want["penguins_missing_accuracy"]!)")
        let r2 = try Self.scores("diamonds", formula: "price ~ .", seeds: [0], algorithm: "boost")
        #expect(r2[0] >= (want["diamonds_r2"] as! Double) - 0.01, "\(r2) vs \(want["diamonds_r2"]!)")
    }

    /// Permutation importance (plot MODEL importance on DS) against scikit-learn's on the same
    /// boosted model: the same order, each within 0.03 (the shuffles differ: 5 of mlsh's against
    /// the mean of 50 of scikit-learn's).
    @Test func permutationImportanceMatchesScikitLearns() throws {
        let want = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.folder + "boost-expected.json"))) as! [String: Any]
        let expected = want["penguins_permutation_importance"] as! [String: Double]
        let (s, _) = recordingSession()
        let out = run("""
            load "\(Self.folder)penguins-train.csv" as train
            load "\(Self.folder)penguins-test.csv" as test
            fit boost species ~ . on train as b
            """, in: s)
        let model = try #require(s.model(named: "b"), "\(out)")
        let test = try #require(s.dataset(named: "test"))
        let design = try Design.build(test.frame, features: model.features, target: model.target, classes: model.classes, classification: true)
        let got = ModelPlots.permutationImportance(model, x: design.x, y: design.y, seed: 42, interrupted: { false })
        try #require(got.mean.count == model.features.count)
        for (name, value) in zip(model.features, got.mean) {
            #expect(abs(value - expected[name]!) <= 0.03, "\(name): \(value) vs \(expected[name]!)")
        }
        let order = model.features.indices.sorted { got.mean[$0] > got.mean[$1] }.map { model.features[$0] }
        #expect(order == expected.sorted { $0.value > $1.value }.map(\.key))
    }
}

/// The ensembles' parameter errors, pinned (inf once crashed the whole-number parameters).
@Suite struct EnsembleErrorTests {
    /// cv cuts its folds from the rows that have a target: 116 of airquality's 153 have Ozone.
    @Test func foldsComeFromRowsWithATarget() {
        let out = run("""
            load "\(packageRoot)/tutorials/data/airquality.csv"
            cv linear Ozone ~ Wind + Temp on airquality folds=116
            cv linear Ozone ~ Wind + Temp on airquality folds=117
            """)
        #expect(out.contains("116-fold cross-validation of linear"), "\(out)")
        #expect(out.contains("error: 117 folds need at least 117 rows with a value of Ozone, and airquality has 116\n"), "\(out)")
    }

    @Test func badParametersAreRefusedClearly() {
        let (s, _) = recordingSession()
        _ = run("""
            load "\(packageRoot)/tutorials/data/mtcars.csv"
            fit linear mpg ~ wt on mtcars as reg
            """, in: s)
        let cases: [(String, String)] = [
            ("fit forest mpg ~ wt on mtcars n_trees=inf", "error: n_trees= takes a finite number, not inf\n"),
            ("fit knn mpg ~ wt on mtcars k=inf", "error: k= takes a finite number, not inf\n"),
            ("fit forest mpg ~ wt on mtcars max_features=1.5", "error: max_features= must be a whole number from 1 to the number of features (1), or a share between 0 and 1, not 1.5\n"),
            ("fit boost mpg ~ wt on mtcars learning_rate=0", "error: learning_rate= must be more than 0, not 0\n"),
            ("fit boost mpg ~ wt on mtcars max_leaf_nodes=1", "error: max_leaf_nodes= must be at least 2 (a tree with one leaf learns nothing)\n"),
            ("fit boost mpg ~ wt on mtcars early_stopping=2", "error: early_stopping= is 1 (on) or 0 (off), not 2\n"),
            ("fit boost mpg ~ wt on mtcars growth=depthwis", "error: growth= is leafwise or depthwise, not 'depthwis'\n"),
            ("fit boost mpg ~ wt on mtcars growth=depthwis", "hint: did you mean 'depthwise'?\n"),
            ("fit knn mpg ~ wt on mtcars class_weight=balanced", "error: 'knn' has no parameter 'class_weight'\n"),
            ("cv linear mpg ~ wt on mtcars metric=1", "error: metric= takes a metric's name, e.g. metric=roc_auc\n"),
            ("predict reg wt=3 threshold=0.9", "error: threshold= is for a model of two classes\n"),
            ("cv kmeans ~ wt + hp on mtcars k=2 folds=2 metric=rmse", "error: rmse measures values, and this model predicts clusters\n"),
        ]
        for (line, expected) in cases {
            let out = run(line, in: s)
            #expect(out.contains(expected), "\(line)\n\(out)")
        }
    }
}
