import Foundation
import MLDiagnostics
import MLFrame
import MLModel
import MLFrameIO
@testable import MLLearn
import Testing
import Synchronization
@testable import MLShell

/// Model numbers against scikit-learn and statsmodels (Tests/Fixtures/expected/model-*.json,
/// made by scripts/expected/make_model_expected.py).
@Suite struct ModelsMatchReferenceTests {
    struct Case: Decodable {
        let dataset: String?
        let features: [String]?
        let target: String?
        let rows_used: [Int]?
        let intercept: Double?
        let coefficients: Numbers?
        let std_errors: [Double]?
        let p_values: [Double]?
        let objective: Double?
        let inertia: Double?
        let scaler_mean: [Double]?
        let scaler_scale: [Double]?
        let intercepts: [Double]?
        let checks: Checks?
    }

    /// A list of numbers, or a list of lists (one per class).
    enum Numbers: Decodable {
        case flat([Double]), nested([[Double]])
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let v = try? c.decode([Double].self) { self = .flat(v) } else { self = .nested(try c.decode([[Double]].self)) }
        }
        var flat: [Double] { if case .flat(let v) = self { return v }; return [] }
    }

    func classes(_ name: String) throws -> [String] {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: packageRoot + "/Tests/Fixtures/expected/model-\(name).json"))) as! [String: Any]
        return (json["classes"] as! [Any]).map { "\($0)" }
    }
    struct Checks: Decodable {
        let newton_intercept: Double?
        let newton_coefficients: Numbers?
        let newton_objective: Double?
    }

    func load(_ name: String) throws -> Case {
        try JSONDecoder().decode(Case.self, from: Data(contentsOf: URL(fileURLWithPath: packageRoot + "/Tests/Fixtures/expected/model-\(name).json")))
    }

    func frame(_ dataset: String) throws -> Frame {
        try CSVReader.read(path: packageRoot + "/tutorials/data/\(dataset).csv", options: CSVOptions()).0
    }

    /// X and y as the reference built them: the listed columns at the rows it used.
    func design(_ c: Case) throws -> (Matrix, [Double]) {
        let f = try frame(c.dataset!)
        let rows = c.rows_used!
        let x = Matrix(columns: try c.features!.map { name in
            let col = try #require(f.column(name))
            return rows.map { col.double($0)! }
        })
        let y = c.target.flatMap { f.column($0) }.map { t in rows.map { t.double($0) ?? .nan } } ?? []
        return (x, y)
    }

    func close(_ a: Double, _ b: Double, _ tol: Double) -> Bool { abs(a - b) <= tol * max(1, abs(b)) }

    @Test(arguments: ["linear-mtcars", "linear-diamonds"])
    func ordinaryLeastSquares(_ name: String) throws {
        let c = try load(name)
        let (x, y) = try design(c)
        let fit = try LinearModels.ols(x, y)
        // diamonds (53,940 rows) takes the normal-equations path, mtcars (32 rows) QR: both are pinned here.
        if x.rows >= 10_000 { #expect(LinearAlgebra.leastSquaresNormal(x.data, rows: x.rows, cols: x.cols, y, intercept: true) != nil) }
        #expect(close(fit.intercept, c.intercept!, 1e-8), "intercept \(fit.intercept) vs \(c.intercept!)")
        let expected = c.coefficients!.flat
        try #require(fit.coefficients.count == expected.count)
        for (a, b) in zip(fit.coefficients, expected) { #expect(close(a, b, 1e-8), "\(a) vs \(b)") }
        let se = try #require(fit.standardErrors), p = try #require(fit.pValues)
        try #require(se.count == c.std_errors!.count && p.count == c.p_values!.count)
        for (a, b) in zip(se, c.std_errors!) { #expect(close(a, b, 1e-6), "se \(a) vs \(b)") }
        for (a, b) in zip(p, c.p_values!) { #expect(abs(a - b) <= 1e-6 * max(b, 1e-12) + 1e-14, "p \(a) vs \(b)") }
    }

    @Test(arguments: [("ridge-mtcars", 1.0), ("ridge-mtcars-10", 10.0)])
    func ridge(_ name: String, _ alpha: Double) throws {
        let c = try load(name)
        let (x, y) = try design(c)
        let fit = try LinearModels.ridge(x, y, alpha: alpha)
        #expect(close(fit.intercept, c.intercept!, 1e-8))
        let expected = c.coefficients!.flat
        try #require(fit.coefficients.count == expected.count)
        for (a, b) in zip(fit.coefficients, expected) { #expect(close(a, b, 1e-8), "\(a) vs \(b)") }
    }

    @Test(arguments: [("lasso-mtcars", 1.0), ("elasticnet-mtcars", 0.5)])
    func elasticNet(_ name: String, _ ratio: Double) throws {
        let c = try load(name)
        let (x, y) = try design(c)
        let fit = try LinearModels.elasticNet(x, y, alpha: 0.5, l1Ratio: ratio)
        #expect(close(fit.intercept, c.intercept!, 1e-6), "\(fit.intercept) vs \(c.intercept!)")
        let expected = c.coefficients!.flat
        try #require(fit.coefficients.count == expected.count)
        for (a, b) in zip(fit.coefficients, expected) { #expect(abs(a - b) <= 1e-6 * max(1, abs(b)), "\(a) vs \(b)") }
    }

    @Test func logisticBinary() throws {
        let c = try load("logistic-binary-titanic")
        let f = try frame("titanic")
        let rows = c.rows_used!
        let age = f.column("age")!, sex = f.column("sex")!, klass = f.column("passengerClass")!, survived = f.column("survived")!
        let x = Matrix(columns: [
            rows.map { age.double($0)! },
            rows.map { sex.text($0) == "male" ? 1 : 0 },
            rows.map { klass.text($0) == "2nd" ? 1 : 0 },
            rows.map { klass.text($0) == "3rd" ? 1 : 0 },
        ])
        let y = rows.map { survived.text($0) == "yes" ? 1 : 0 }
        let fit = try Logistic.fit(x, y, classes: ["no", "yes"], C: 1)
        let newton = try #require(c.checks?.newton_objective)
        #expect(fit.objective <= newton * (1 + 1e-9), "objective \(fit.objective) vs optimum \(newton)")
        #expect(close(fit.objective, c.objective!, 1e-5))
        #expect(close(fit.intercepts[0], c.checks!.newton_intercept!, 1e-5))
        let newtonCoefficients = c.checks!.newton_coefficients!.flat
        try #require(fit.weights.count == 1)
        try #require(fit.weights[0].count == newtonCoefficients.count)
        for (a, b) in zip(fit.weights[0], newtonCoefficients) { #expect(close(a, b, 1e-5), "\(a) vs \(b)") }
    }

    @Test func logisticMultinomial() throws {
        let c = try load("logistic-multinomial-penguins")
        var (x, _) = try design(c)
        for j in 0..<x.cols { for i in 0..<x.rows { x[i, j] = (x[i, j] - c.scaler_mean![j]) / c.scaler_scale![j] } }
        let f = try frame("penguins")
        let species = f.column("species")!
        let names = try classes("logistic-multinomial-penguins")
        let y = c.rows_used!.map { names.firstIndex(of: species.text($0)!)! }
        let fit = try Logistic.fit(x, y, classes: names, C: 1)
        #expect(close(fit.objective, c.objective!, 1e-5), "objective \(fit.objective) vs \(c.objective!)")
        // The intercepts are defined up to a common shift: compare them centred.
        let mean = fit.intercepts.reduce(0, +) / Double(fit.intercepts.count)
        try #require(fit.intercepts.count == c.intercepts!.count)
        for (a, b) in zip(fit.intercepts.map { $0 - mean }, c.intercepts!) { #expect(abs(a - b) <= 1e-4, "intercept \(a) vs \(b)") }
    }

    @Test func kmeansIsNoWorseThanScikitLearn() throws {
        let c = try load("kmeans-iris")
        let (x, _) = try design(c)
        let fit = KMeans.fit(x, k: 3, nInit: 10, seed: 42)
        #expect(fit.inertia <= c.inertia! * (1 + 1e-6), "inertia \(fit.inertia) vs \(c.inertia!)")
    }

    struct ClassificationMetrics: Decodable {
        let accuracy: Double
        let precision, recall, f1: [Double]
        let precision_macro, recall_macro, f1_macro, precision_weighted, recall_weighted, f1_weighted, log_loss: Double
        let roc_auc: Double?
        let roc_auc_ovr_macro: Double?
        let confusion_matrix: [[Int]]
        let y_true: [AnyLabel]
        let y_pred: [AnyLabel]
        let y_score: [Double]?
        let probabilities: [[Double]]?
        let classes: [AnyLabel]
    }
    enum AnyLabel: Decodable, Hashable {
        case int(Int), text(String)
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let i = try? c.decode(Int.self) { self = .int(i) } else { self = .text(try c.decode(String.self)) }
        }
    }

    @Test(arguments: ["metrics-classification", "metrics-multiclass"])
    func classificationMetricsExactly(_ name: String) throws {
        let m = try JSONDecoder().decode(ClassificationMetrics.self, from: Data(contentsOf: URL(fileURLWithPath: packageRoot + "/Tests/Fixtures/expected/model-\(name).json")))
        let index = Dictionary(uniqueKeysWithValues: m.classes.enumerated().map { ($1, $0) })
        let probabilities = m.probabilities ?? m.y_score!.map { [1 - $0, $0] }
        let r = Metrics.classification(m.y_true.map { index[$0]! }, m.y_pred.map { index[$0]! }, classes: m.classes.map { "\($0)" }, probabilities: probabilities)
        func same(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-12 }
        #expect(same(r.accuracy, m.accuracy))
        #expect(r.precision.count == m.precision.count && r.recall.count == m.recall.count && r.f1.count == m.f1.count)
        #expect(zip(r.precision, m.precision).allSatisfy { same($0, $1) })
        #expect(zip(r.recall, m.recall).allSatisfy { same($0, $1) })
        #expect(zip(r.f1, m.f1).allSatisfy { same($0, $1) })
        #expect(same(r.macro.precision, m.precision_macro) && same(r.macro.recall, m.recall_macro) && same(r.macro.f1, m.f1_macro))
        #expect(same(r.weighted.precision, m.precision_weighted) && same(r.weighted.recall, m.recall_weighted) && same(r.weighted.f1, m.f1_weighted))
        #expect(same(r.logLoss!, m.log_loss), "log-loss \(r.logLoss!) vs \(m.log_loss)")
        #expect(same(r.rocAUC!, m.roc_auc ?? m.roc_auc_ovr_macro!), "auc \(r.rocAUC!)")
        #expect(r.confusion == m.confusion_matrix)
    }

    struct RegressionMetrics: Decodable {
        let rmse, mae, r2, mape: Double
        let y_true, y_pred: [Double]
    }

    @Test func regressionMetricsExactly() throws {
        let m = try JSONDecoder().decode(RegressionMetrics.self, from: Data(contentsOf: URL(fileURLWithPath: packageRoot + "/Tests/Fixtures/expected/model-metrics-regression.json")))
        let r = Metrics.regression(m.y_true, m.y_pred)
        for (a, b) in [(r.rmse, m.rmse), (r.mae, m.mae), (r.r2, m.r2), (r.mape, m.mape)] { #expect(abs(a - b) <= 1e-12, "\(a) vs \(b)") }
    }

    /// sklearn.metrics.silhouette_score on these 30 rows (a singleton cluster scores 0) = 0.23341773540169.
    @Test func silhouetteAsScikitLearn() {
        let rows: [[Double]] = (0..<30).map { i in
            let a = Double((i * 7) % 11) + Double(i % 3) * 10
            let b = Double((i * 5) % 13) * 0.5 + Double(i % 3) * 4
            return [a, b]
        }
        var labels = (0..<30).map { $0 % 3 }
        labels[29] = 5
        #expect(abs(Metrics.silhouette(rows, labels) - 0.23341773540169) < 1e-12)
    }

    /// Tall designs go through the normal equations with refinement; they must agree with QR, also
    /// on a dummy-variable trap (both give the minimum-norm answer), and give the same standard errors.
    @Test func normalEquationsAgreeWithQR() throws {
        var rng = SeededRandom(seed: 11)
        let m = 20_000
        func u() -> Double { Double(rng.next() >> 11) / Double(1 << 53) - 0.5 }
        var columns: [[Double]] = (0..<3).map { _ in (0..<m).map { _ in u() * 4 } }
        let level = (0..<m).map { _ in Int(rng.next() % 4) }
        columns += (0..<4).map { k in level.map { $0 == k ? 1 : 0 } }
        let y = (0..<m).map { r in 1.5 + 2 * columns[0][r] - columns[1][r] + 0.5 * Double(level[r]) + u() }
        for (cols, trap) in [(Array(columns[0..<6]), false), (columns, true)] {
            let x = Matrix(columns: cols)
            var a = x.withIntercept().data
            let normal = try #require(LinearAlgebra.leastSquaresNormal(x.data, rows: m, cols: cols.count, y, intercept: true))
            #expect(LinearAlgebra.leastSquaresNormal(a, rows: m, cols: cols.count + 1, y)?.solution.elementsEqual(normal.solution) { abs($0 - $1) <= 1e-10 * max(1, abs($1)) } ?? false)
            let qr = try LinearAlgebra.leastSquaresQR(&a, rows: m, cols: cols.count + 1, y)
            #expect(normal.rank == qr.rank && normal.rank == (trap ? cols.count : cols.count + 1))
            #expect(normal.solution.count == qr.solution.count)
            for (p, q) in zip(normal.solution, qr.solution) { #expect(abs(p - q) <= 1e-10 * max(1, abs(q)), "\(p) vs \(q)") }
            if !trap { #expect(abs(normal.rss - qr.rss) <= 1e-9 * qr.rss) }  // QR's rss holds at full rank only
            if let d1 = normal.inverseGramDiagonal, let d2 = qr.inverseGramDiagonal {
                #expect(d1.count == d2.count)
                for (p, q) in zip(d1, d2) { #expect(abs(p - q) <= 1e-8 * q) }
            } else {
                #expect(trap && normal.inverseGramDiagonal == nil && qr.inverseGramDiagonal == nil)
            }
        }
    }

    /// A column in large units (Unix seconds) beside an intercept is ill-conditioned, not
    /// dependent: a tall design with one must keep every coefficient (QR's answer), not drop one.
    @Test func largeOffsetColumnIsNotDropped() throws {
        var rng = SeededRandom(seed: 3)
        let m = 12_000
        func u() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
        let x = (0..<m).map { _ in u() * 4 - 2 }
        let ts = (0..<m).map { _ in 1.6e9 + (u() * 3e8).rounded() }  // ten years of seconds
        let y = (0..<m).map { r in -170 + 2 * x[r] + 1e-7 * ts[r] + (u() - 0.5) * 0.3 }
        let design = Matrix(columns: [x, ts])
        let fit = try LinearModels.ols(design, y)
        var a = design.withIntercept().data
        let qr = try LinearAlgebra.leastSquaresQR(&a, rows: m, cols: 3, y)
        #expect(fit.rank == 3 && qr.rank == 3)
        #expect(fit.coefficients.count + 1 == qr.solution.count)
        for (p, q) in zip([fit.intercept] + fit.coefficients, qr.solution) { #expect(abs(p - q) <= 1e-6 * abs(q), "\(p) vs \(q)") }
    }

    /// A design read from its columns a block at a time (through a subset of rows, as fit reads it
    /// past rows with missing values) gives the whole matrix's answer, and its fitted values.
    @Test func olsInBlocksEqualsTheMatrix() throws {
        var rng = SeededRandom(seed: 5)
        let n = 30_000, k = 5
        func u() -> Double { Double(rng.next() >> 11) / Double(1 << 53) - 0.5 }
        let columns = (0..<k).map { _ in (0..<n).map { _ in u() * 3 } }
        let y = (0..<n).map { r in 0.7 - columns[0][r] + 3 * columns[3][r] + u() }
        let rows = (0..<n).filter { $0 % 7 != 3 }
        let x = Matrix(columns: columns.map { c in rows.map { c[$0] } })
        let ys = rows.map { y[$0] }
        let blocks = RowBlocks(rows: rows.count, cols: k, blockRows: 1000) { start, count, out in
            for j in 0..<k { for r in 0..<count { out[j * count + r] = columns[j][rows[start + r]] } }
        }
        let whole = try LinearModels.ols(x, ys)
        let inBlocks = try #require(LinearModels.ols(blocks, ys))
        #expect(inBlocks.fit.coefficients.count == whole.coefficients.count)
        for (p, q) in zip([inBlocks.fit.intercept] + inBlocks.fit.coefficients, [whole.intercept] + whole.coefficients) {
            #expect(abs(p - q) <= 1e-12 * max(1, abs(q)))
        }
        let blocksSE = try #require(inBlocks.fit.standardErrors), wholeSE = try #require(whole.standardErrors)
        #expect(blocksSE.count == wholeSE.count)
        for (p, q) in zip(blocksSE, wholeSE) { #expect(abs(p - q) <= 1e-10 * q) }
        let predicted = whole.predict(x)
        let blocksPredicted = blocks.times(whole.coefficients, plus: whole.intercept)
        #expect(inBlocks.fitted.count == predicted.count && blocksPredicted.count == predicted.count)
        #expect(zip(inBlocks.fitted, predicted).allSatisfy { abs($0 - $1) <= 1e-12 })
        #expect(zip(blocksPredicted, predicted).allSatisfy { abs($0 - $1) <= 1e-12 })
    }

    /// The batched neighbour search equals sorting every distance (ties: the earlier training row),
    /// for query counts that do not divide into the worker blocks.
    @Test func nearestNeighboursAsBySorting() {
        var rng = SeededRandom(seed: 9)
        let n = 150
        let train = Matrix(columns: (0..<3).map { _ in (0..<n).map { _ in Double(rng.next() % 5) } })  // many ties
        for m in [1, 5, 69, 130] {
            let q = Matrix(columns: (0..<3).map { _ in (0..<m).map { _ in Double(rng.next() % 5) } })
            for k in [1, 4, 150] {
                let fit = KNNFit(k: k, x: train, y: (0..<n).map(Double.init), classes: nil)
                let lists = fit.neighbourLists(q)
                for r in 0..<m {
                    let d = (0..<n).map { i in (0..<3).reduce(0.0) { $0 + pow(train[i, $1] - q[r, $1], 2) } }
                    let expected = (0..<n).sorted { d[$0] != d[$1] ? d[$0] < d[$1] : $0 < $1 }.prefix(k)
                    #expect(lists[r] == Array(expected), "m=\(m) k=\(k) row \(r)")
                }
            }
        }
    }

    /// The k-d tree (512 rows or more, up to 16 dimensions) gives the lists of comparing every
    /// distance, ties included: on integer grids (many equal distances, repeated points), and on
    /// real values, in 1, 2, 5 and 12 dimensions.
    @Test(arguments: [1, 2, 5, 12])
    func kdTreeEqualsComparingEveryDistance(_ dims: Int) {
        var rng = SeededRandom(seed: UInt64(dims))
        let n = 2_000, m = 200, ks = [1, 7, 40]
        for grid in [true, false] {
            func value() -> Double { grid ? Double(rng.next() % 4) : Double(rng.next() >> 11) / Double(1 << 53) * 10 - 5 }
            let train = Matrix(columns: (0..<dims).map { _ in (0..<n).map { _ in value() } })
            let q = Matrix(columns: (0..<dims).map { _ in (0..<m).map { _ in value() } })
            let lists = ks.map { KNNFit(k: $0, x: train, y: (0..<n).map(Double.init), classes: nil).neighbourLists(q) }
            var wrong = 0
            for r in 0..<m {
                let d = (0..<n).map { i in
                    var s = 0.0
                    for j in 0..<dims { let v = train[i, j] - q[r, j]; s += v * v }
                    return s
                }
                let expected = (0..<n).sorted { d[$0] != d[$1] ? d[$0] < d[$1] : $0 < $1 }.prefix(ks.last!)
                for (c, k) in ks.enumerated() where lists[c][r] != Array(expected.prefix(k)) { wrong += 1 }
            }
            #expect(wrong == 0, "dims \(dims) grid \(grid)")
        }
    }

    /// Macro averages run over the classes that occur (true or predicted), as scikit-learn's
    /// default: f1_score([0,0,0], [0,0,1], average="macro") is 0.4 with a third class unseen.
    @Test func macroAverageOverOccurringClasses() {
        let c = Metrics.classification([0, 0, 0], [0, 0, 1], classes: ["a", "b", "c"], probabilities: nil)
        #expect(abs(c.macro.f1 - 0.4) < 1e-12 && abs(c.macro.precision - 0.5) < 1e-12 && abs(c.macro.recall - 1.0 / 3) < 1e-12)
    }

    /// The dummy-variable trap (intercept + every dummy): rank 2 and numpy's minimum-norm answer.
    @Test func olsRankDeficientIsMinimumNorm() throws {
        let x = Matrix(rows: 5, cols: 2, data: [1, 1, 0, 0, 0, 0, 0, 1, 1, 1])
        let fit = try LinearModels.ols(x, [1, 2, 3, 4, 5])
        #expect(fit.rank == 2)
        let expected = [1.83333333333, -0.33333333333, 2.16666666667]
        #expect(fit.coefficients.count + 1 == expected.count)
        for (a, b) in zip([fit.intercept] + fit.coefficients, expected) { #expect(abs(a - b) < 1e-9) }
        #expect(fit.standardErrors == nil)
    }
}

/// Every estimator: deterministic under a seed, fit twice = fit once, fitted state survives encode/decode.
@Suite struct EstimatorConformanceTests {
    func data() throws -> (Matrix, [Double], [Int]) {
        let f = try CSVReader.read(path: packageRoot + "/tutorials/data/iris.csv", options: CSVOptions()).0
        let names = ["Sepal.Length", "Sepal.Width", "Petal.Length", "Petal.Width"]
        let x = Matrix(columns: names.map { n in (0..<f.rowCount).map { f.column(n)!.double($0)! } })
        let species = f.column("Species")!
        let classes = ["setosa", "versicolor", "virginica"]
        return (x, (0..<f.rowCount).map { f.column("Sepal.Length")!.double($0)! * 0 + Double(classes.firstIndex(of: species.text($0)!)!) },
                (0..<f.rowCount).map { classes.firstIndex(of: species.text($0)!)! })
    }

    func roundTrip<T: Codable & Equatable>(_ v: T) throws -> Bool {
        try JSONDecoder().decode(T.self, from: JSONEncoder().encode(v)) == v
    }

    @Test func everyEstimator() throws {
        let (x, yNumeric, yClass) = try data()
        let before = x
        let fits: [(String, () throws -> any Codable)] = [
            ("linear", { try LinearModels.ols(x, yNumeric) }),
            ("ridge", { try LinearModels.ridge(x, yNumeric, alpha: 1) }),
            ("lasso", { try LinearModels.elasticNet(x, yNumeric, alpha: 0.1, l1Ratio: 1) }),
            ("logistic", { try Logistic.fit(x, yClass, classes: ["a", "b", "c"], C: 1) }),
            ("knn", { KNNFit(k: 5, x: x, y: yNumeric, classes: nil) }),
            ("kmeans", { KMeans.fit(x, k: 3, nInit: 3, seed: 7) }),
            ("tree", { Tree.fit(x, yNumeric, classes: ["a", "b", "c"], maxDepth: 4, minSamplesLeaf: 1) }),
            ("bayes", { NaiveBayes.fit(x, yClass, classes: ["a", "b", "c"]) }),
            ("mlp", { MLP.fit(x, yNumeric, classes: ["a", "b", "c"], hidden: [8], epochs: 5, learningRate: 0.01, batch: 32, seed: 3) }),
        ]
        for (name, fit) in fits {
            let a = try fit(), b = try fit()
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            let ea = try encoder.encode(AnyEncodable(a)), eb = try encoder.encode(AnyEncodable(b))
            #expect(ea == eb, "\(name): fitting twice differs")
            #expect(x == before, "\(name) changed its input")
        }
        #expect(try roundTrip(try LinearModels.ols(x, yNumeric)))
        #expect(try roundTrip(try Logistic.fit(x, yClass, classes: ["a", "b", "c"], C: 1)))
        #expect(try roundTrip(KMeans.fit(x, k: 3, nInit: 3, seed: 7)))
        #expect(try roundTrip(KNNFit(k: 5, x: x, y: yNumeric, classes: nil)))
        #expect(try roundTrip(Tree.fit(x, yNumeric, classes: ["a", "b", "c"], maxDepth: 4, minSamplesLeaf: 1)))
        #expect(try roundTrip(MLP.fit(x, yNumeric, classes: ["a", "b", "c"], hidden: [8], epochs: 5, learningRate: 0.01, batch: 32, seed: 3)))
        // Ctrl-C: iterative fits stop at the next iteration and keep what they have.
        #expect(try Logistic.fit(x, yClass, classes: ["a", "b", "c"], C: 1, interrupted: { true }).iterations == 0)
        #expect(MLP.fit(x, yNumeric, classes: ["a", "b", "c"], hidden: [8], epochs: 50, learningRate: 0.01, batch: 32, seed: 3, interrupted: { true }).lossCurve.count == 1)
        // A different seed may give a different k-means start, the same seed the same result.
        #expect(KMeans.fit(x, k: 3, nInit: 1, seed: 1) == KMeans.fit(x, k: 3, nInit: 1, seed: 1))
    }
}

struct AnyEncodable: Encodable {
    let value: any Encodable
    init(_ v: any Encodable) { value = v }
    func encode(to encoder: Encoder) throws { try value.encode(to: encoder) }
}

@Suite struct TreeAndBayesTests {
    struct TreeCase: Decodable {
        let features: [String]
        let classes: [String]
        let depth: Int
        let n_leaves: Int
        let feature_importances: [Double]
        let predictions: [String]
    }
    struct BayesCase: Decodable {
        let features: [String]
        let classes: [String]
        let class_prior: [Double]
        let theta: [[Double]]
        let `var`: [[Double]]
        let predictions: [String]
        let predict_proba: [[Double]]
    }

    func iris(_ features: [String]) throws -> (Matrix, [Int], [String]) {
        let f = try CSVReader.read(path: packageRoot + "/tutorials/data/iris.csv", options: CSVOptions()).0
        let x = Matrix(columns: features.map { n in (0..<f.rowCount).map { f.column(n)!.double($0)! } })
        let classes = ["setosa", "versicolor", "virginica"]
        return (x, (0..<f.rowCount).map { classes.firstIndex(of: f.column("Species")!.text($0)!)! }, classes)
    }

    @Test func treeMatchesScikitLearn() throws {
        let c = try JSONDecoder().decode(TreeCase.self, from: Data(contentsOf: URL(fileURLWithPath: packageRoot + "/Tests/Fixtures/expected/model-tree-iris.json")))
        let (x, y, classes) = try iris(c.features)
        let fit = Tree.fit(x, y.map(Double.init), classes: classes, maxDepth: 3, minSamplesLeaf: 1)
        #expect(fit.depth == c.depth && fit.leaves == c.n_leaves)
        #expect(fit.importances.count == c.feature_importances.count)
        for (a, b) in zip(fit.importances, c.feature_importances) { #expect(abs(a - b) <= 1e-12, "importance \(a) vs \(b)") }
        let predicted = fit.probabilities(x).map { p in classes[p.indices.max { p[$0] < p[$1] || (p[$0] == p[$1] && $0 > $1) }!] }
        #expect(predicted == c.predictions)
    }

    @Test func bayesMatchesScikitLearn() throws {
        let c = try JSONDecoder().decode(BayesCase.self, from: Data(contentsOf: URL(fileURLWithPath: packageRoot + "/Tests/Fixtures/expected/model-bayes-iris.json")))
        let (x, y, classes) = try iris(c.features)
        let fit = NaiveBayes.fit(x, y, classes: classes)
        try #require(fit.priors.count == c.class_prior.count && fit.means.count == c.theta.count && fit.variances.count == c.var.count)
        #expect(zip(fit.means, c.theta).allSatisfy { $0.count == $1.count })
        #expect(zip(fit.variances, c.var).allSatisfy { $0.count == $1.count })
        for (a, b) in zip(fit.priors, c.class_prior) { #expect(abs(a - b) <= 1e-12) }
        for (r, s) in zip(fit.means, c.theta) { for (a, b) in zip(r, s) { #expect(abs(a - b) <= 1e-12 * max(1, abs(b))) } }
        for (r, s) in zip(fit.variances, c.var) { for (a, b) in zip(r, s) { #expect(abs(a - b) <= 1e-12 * max(1, abs(b)), "var \(a) vs \(b)") } }
        let p = fit.probabilities(x)
        try #require(p.count == c.predict_proba.count)
        #expect(zip(p, c.predict_proba).allSatisfy { $0.count == $1.count })
        for (r, s) in zip(p, c.predict_proba) { for (a, b) in zip(r, s) { #expect(abs(a - b) <= 1e-9, "proba \(a) vs \(b)") } }
    }
}

/// Scoring the training rows after a fit stops at Ctrl-C between chunks of rows: the model is
/// kept and the metrics are skipped, rather than seconds of work with no way out.
@Suite struct TrainingMetricsInterruptTests {
    @Test func scoringStopsBetweenChunks() throws {
        _ = FileManager.default.changeCurrentDirectoryPath(packageRoot)
        let (s, _) = recordingSession()
        _ = run("load \"tutorials/data/diamonds.csv\"; fit linear price ~ carat + depth on diamonds as m", in: s)
        let m = try #require(s.model(named: "m"))
        let d = try #require(s.dataset(named: "diamonds"))
        #expect(d.frame.rowCount > Report.scoringChunk)  // more than one chunk
        let (design, _) = try m.design(raw: d.loaded, engine: nil, withTarget: true)
        let calls = Atomic<Int>(0)
        let stopped = Report.training(m, design, interrupted: { calls.add(1, ordering: .relaxed).newValue > 1 })
        #expect(stopped == nil)
        let scoredOrNil = Report.training(m, design, interrupted: { false })
        let scored = try #require(scoredOrNil)
        #expect(scored.metrics.map(\.name) == ["rmse", "mae", "r2"])
        let whole = m.predict(design.x).values
        let chunkedOrNil = Report.predictions(m, design.x, interrupted: { false })
        let chunked = try #require(chunkedOrNil).values
        #expect(chunked.count == whole.count && chunked == whole)
    }
}
