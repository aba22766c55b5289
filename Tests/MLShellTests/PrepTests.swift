import Foundation
import MLDiagnostics
import MLFrame
import MLFrameIO
@testable import MLPrep
import Testing

/// The transformers' numbers against scikit-learn (Tests/Fixtures/expected/prep-*.json, made by
/// scripts/expected/make_prep_expected.py), to 1e-12.
@Suite struct PrepMatchesScikitLearnTests {
    struct Expected: Decodable {
        let dataset: String
        let columns: [String]
        let output_columns: [String]
        let output: [[Double?]]
        let fit_rows: Int?
    }

    func expected(_ name: String) throws -> Expected {
        try JSONDecoder().decode(Expected.self, from: Data(contentsOf: URL(fileURLWithPath: packageRoot + "/Tests/Fixtures/expected/prep-\(name).json")))
    }

    func load(_ dataset: String) throws -> Frame {
        try CSVReader.read(path: packageRoot + "/tutorials/data/\(dataset).csv", options: CSVOptions()).0
    }

    /// Compares the step's output columns with scikit-learn's, cell by cell.
    func compare(_ frame: Frame, _ e: Expected, columns: [String]? = nil, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let names = columns ?? e.output_columns
        #expect(!names.isEmpty, "no column to compare", sourceLocation: sourceLocation)
        #expect(frame.rowCount == e.output.count, "\(frame.rowCount) rows vs scikit-learn's \(e.output.count)", sourceLocation: sourceLocation)
        for (k, name) in names.enumerated() {
            guard let c = frame.column(name) else { Issue.record("no column \(name)", sourceLocation: sourceLocation); continue }
            var worst = 0.0
            for r in 0..<e.output.count {
                let want = e.output[r][k], got = c.double(r)
                if want == nil || got == nil {
                    #expect((want == nil) == (got == nil), "\(name) row \(r): \(String(describing: got)) vs \(String(describing: want))", sourceLocation: sourceLocation)
                    continue
                }
                worst = max(worst, abs(got! - want!) / max(1, abs(want!)))
            }
            #expect(worst <= 1e-12, "\(name): relative difference \(worst)", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: [("mean", FillHow.mean), ("median", .median), ("most_frequent", .mode), ("constant", .number(0))])
    func simpleImputer(_ name: String, _ how: FillHow) throws {
        let e = try expected("simple-imputer-\(name)")
        let result = try StepRunner.run(.fill(columns: e.columns, how: how), on: try load(e.dataset), engine: nil)
        compare(result.frame, e, columns: e.columns)
    }

    @Test func knnImputer() throws {
        let e = try expected("knn-imputer")
        let result = try StepRunner.run(.fill(columns: e.columns, how: .knn(k: 5)), on: try load(e.dataset), engine: nil)
        compare(result.frame, e, columns: e.columns)
    }

    @Test(arguments: [("standard-scaler", ScaleMethod.zscore), ("minmax-scaler", .minmax), ("robust-scaler", .robust)])
    func scalers(_ name: String, _ method: ScaleMethod) throws {
        let e = try expected(name)
        let result = try StepRunner.run(.scale(columns: e.columns, method: method), on: try load(e.dataset), engine: nil)
        compare(result.frame, e, columns: e.columns)
    }

    @Test(arguments: [Norm.l1, .l2, .max])
    func normalizer(_ norm: Norm) throws {
        let e = try expected("normalizer-\(norm.rawValue)")
        let result = try StepRunner.run(.normalize(columns: e.columns, norm: norm), on: try load(e.dataset), engine: nil)
        compare(result.frame, e, columns: e.columns)
    }

    @Test(arguments: [("onehot-encoder", false), ("onehot-encoder-drop-first", true)])
    func oneHot(_ name: String, _ dropFirst: Bool) throws {
        let e = try expected(name)
        let result = try StepRunner.run(.oneHot(columns: e.columns, dropFirst: dropFirst, unknown: .ignore, maxLevels: 100), on: try load(e.dataset), engine: nil)
        compare(result.frame, e)
    }

    @Test func ordinal() throws {
        let e = try expected("ordinal-encoder")
        compare(try StepRunner.run(.ordinal(column: "island", order: nil), on: try load(e.dataset), engine: nil).frame, e, columns: ["island"])
        let given = try expected("ordinal-encoder-categories")
        compare(try StepRunner.run(.ordinal(column: "island", order: ["Torgersen", "Dream", "Biscoe"]), on: try load(e.dataset), engine: nil).frame, given, columns: ["island"])
    }

    /// Re-fitting a recipe on a subset of rows then applying it equals the transformer fitted on that subset.
    @Test func refitOnASubsetThenApply() throws {
        let e = try expected("standard-scaler-first200")
        let source = try load(e.dataset)
        var recipe = Recipe()
        recipe.entries = [Recipe.Entry(step: .scale(columns: e.columns, method: .zscore), state: .none, command: "scale", fittedOn: nil)]
        let (fitted, _, _) = try recipe.refit(source: source, rows: Array(0..<(e.fit_rows ?? 200)), engine: nil)
        compare(try fitted.apply(source, engine: nil), e, columns: e.columns)
    }
}

@Suite struct RecipePropertyTests {
    func penguins() throws -> Frame {
        try CSVReader.read(path: packageRoot + "/tutorials/data/penguins.csv", options: CSVOptions()).0
    }

    /// A recipe of many kinds of column step, fitted on all penguins.
    func fittedRecipe(_ frame: Frame) throws -> Recipe {
        let steps: [RecipeStep] = [
            .fill(columns: ["bill_length_mm", "body_mass_g"], how: .median),
            .fill(columns: ["sex"], how: .mode),
            .clip(column: "flipper_length_mm", method: .iqr, k: 1.5),
            .oneHot(columns: ["island", "sex"], dropFirst: false, unknown: .ignore, maxLevels: 100),
            .ordinal(column: "species", order: nil),
            .scale(columns: ["bill_length_mm", "body_mass_g"], method: .robust),
            .fill(columns: ["bill_depth_mm"], how: .knn(k: 3)),
            .cast(column: "year", type: .string),
        ]
        var f = frame
        var entries: [Recipe.Entry] = []
        for s in steps {
            let r = try StepRunner.run(s, on: f, engine: nil)
            entries.append(Recipe.Entry(step: s, state: r.state, command: "", fittedOn: nil))
            f = r.frame
        }
        return Recipe(entries: entries)
    }

    func same(_ a: Frame, _ b: Frame) -> Bool {
        guard a.columnNames == b.columnNames, a.rowCount == b.rowCount else { return false }
        for (x, y) in zip(a.columns, b.columns) {
            for i in 0..<a.rowCount {
                if let p = x.double(i), let q = y.double(i) { if abs(p - q) > 1e-12 * max(1, abs(q)) { return false } }
                else if x.text(i) != y.text(i) { return false }
            }
        }
        return true
    }

    @Test func oneRowEqualsItsRowOfAll() throws {
        let source = try penguins()
        let recipe = try fittedRecipe(source)
        let all = try recipe.apply(source, engine: nil)
        for r in [0, 3, 100, 271, 343] {  // rows 3 and 271 are missing every measurement
            let one = try recipe.apply(source.take([r]), engine: nil)
            #expect(same(one, all.take([r])), "row \(r)")
        }
    }

    @Test func unseenCategoriesAndMissingValues() throws {
        let source = try penguins()
        let recipe = try fittedRecipe(source)
        let raw = Frame(columns: [
            Column(name: "species", storage: .string(codes: [0], dictionary: ["Emperor"])),
            Column(name: "island", storage: .string(codes: [0], dictionary: ["Atlantis"])),
            Column(name: "bill_length_mm", storage: .float([.nan]), validity: Bitmap(count: 1, allValid: false)),
            Column(name: "bill_depth_mm", storage: .float([18]), validity: nil),
            Column(name: "flipper_length_mm", storage: .int([400])),
            Column(name: "body_mass_g", storage: .int([0]), validity: Bitmap(count: 1, allValid: false)),
            Column(name: "sex", storage: .string(codes: [0], dictionary: [""]), validity: Bitmap(count: 1, allValid: false)),
            Column(name: "year", storage: .int([2030])),
        ])
        let out = try recipe.apply(raw, engine: nil)
        #expect(out.column("island_Biscoe")?.double(0) == 0 && out.column("island_Dream")?.double(0) == 0 && out.column("island_Torgersen")?.double(0) == 0)
        #expect(out.column("sex_male")?.double(0) == 1)  // filled with the mode, then encoded
        #expect(out.column("species")?.isValid(0) == false)  // unseen in an ordinal: missing
        #expect(out.column("flipper_length_mm")?.double(0) == 247.5)  // clipped to the fitted upper bound, q3 + 1.5 IQR
        #expect(out.column("bill_length_mm")?.double(0) == 0)  // median fill, then robust scale: the median is 0
        var strict = recipe
        strict.entries[3] = Recipe.Entry(step: .oneHot(columns: ["island", "sex"], dropFirst: false, unknown: .error, maxLevels: 100),
                                         state: recipe.entries[3].state, command: "", fittedOn: nil)
        #expect(throws: Diagnostic.self) { try strict.apply(raw, engine: nil) }
    }

    @Test func encodeDecodeRoundTrip() throws {
        let source = try penguins()
        let recipe = try fittedRecipe(source)
        let data = try JSONEncoder().encode(recipe)
        let back = try JSONDecoder().decode(Recipe.self, from: data)
        #expect(back.entries.map(\.step) == recipe.entries.map(\.step))
        #expect(back.entries.map(\.state) == recipe.entries.map(\.state))
        #expect(same(try back.apply(source, engine: nil), try recipe.apply(source, engine: nil)))
    }

    @Test func leakageIsFound() throws {
        let source = try penguins()
        let all = Array(0..<source.rowCount)
        let recipe = Recipe(entries: [
            Recipe.Entry(step: .scale(columns: ["body_mass_g"], method: .zscore), state: .none, command: "scale penguins zscore", fittedOn: all),
            Recipe.Entry(step: .select(columns: ["body_mass_g"]), state: .none, command: "select", fittedOn: nil),
        ])
        #expect(recipe.leaks(into: [5, 9]).map(\.command) == ["scale penguins zscore"])
        let (refitted, _, _) = try recipe.refit(source: source, rows: Array(0..<100), engine: nil)
        #expect(refitted.leaks(into: [200]).isEmpty)
        #expect(refitted.leaks(into: [50]).count == 1)
    }

    @Test func oneHotRefusesTooManyLevels() throws {
        let names = (0..<150).map { "n\($0)" }
        let frame = Frame(columns: [Column(name: "id", storage: .string(codes: (0..<150).map(UInt32.init), dictionary: names))])
        #expect(throws: Diagnostic.self) {
            try StepRunner.run(.oneHot(columns: ["id"], dropFirst: false, unknown: .ignore, maxLevels: 100), on: frame, engine: nil)
        }
        #expect(try StepRunner.run(.oneHot(columns: ["id"], dropFirst: false, unknown: .ignore, maxLevels: 150), on: frame, engine: nil).frame.columns.count == 150)
    }
}
