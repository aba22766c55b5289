import Foundation
import MLFrame
import MLModel
@testable import MLShell
import Testing

/// `export MODEL onnx`: each model is fitted in a session, exported by the command, and loaded
/// by ONNX Runtime (scripts/onnx_check.py, in the pinned venv scripts/onnx-venv makes), which
/// also runs onnx.checker. Its answers on the raw rows, and on rows with a value taken out or
/// changed to one never seen, must be mlsh's own predict's: the same rows answered, the same
/// labels and clusters, values and probabilities within 1e-9 relative. ONNX Runtime is the
/// independent engine here; mlsh's answers are checked against scikit-learn elsewhere.
@Suite(.serialized) struct ONNXExportTests {
    struct Case {
        var name: String
        /// Loads `raw` (the file as loaded, before any step) and fits `m`.
        var script: String
        var file: String
        /// 3: trees as TreeEnsembleRegressor for older runtimes, whose sums are float32.
        var mlOpset = 5
    }

    static let cases: [Case] = [
        Case(name: "linear", script: "fit linear mpg ~ wt + hp on raw as m", file: "mtcars"),
        Case(name: "linear-renames-in-one-step", script: "rename raw wt=w hp=wt\nfit linear mpg ~ w + wt on raw as m", file: "mtcars"),
        Case(name: "ridge-derive-scale-clip-cast", script: """
            derive raw power = hp / wt, heavy = wt > 3.5 and am == 0, r = round(qsec / 3, 1), m2 = max(gear, carb) % 3, lq = log(qsec - 16)
            clean raw outliers disp method=iqr k=1 action=clip
            cast raw cyl float
            cast raw vs bool
            scale raw zscore [wt, disp]
            scale raw robust [power]
            fit ridge mpg ~ wt + disp + power + heavy + cyl + vs + r + m2 + lq on raw alpha=2 as m
            """, file: "mtcars"),
        Case(name: "logistic-titanic-fill-onehot", script: """
            fill raw age median
            encode raw onehot [sex, passengerClass] drop=first
            fit logistic survived ~ . - name on raw as m
            """, file: "titanic"),
        Case(name: "logistic-multiclass-penguins", script: """
            fill raw [bill_length_mm, bill_depth_mm, flipper_length_mm, body_mass_g] median
            fill raw sex mode
            encode raw onehot [island, sex]
            scale raw zscore [bill_length_mm, bill_depth_mm, flipper_length_mm, body_mass_g]
            fit logistic species ~ . - year on raw as m
            """, file: "penguins"),
        Case(name: "bayes-penguins-minmax", script: """
            scale raw minmax [bill_length_mm, body_mass_g]
            fit bayes species ~ bill_length_mm + bill_depth_mm + flipper_length_mm + body_mass_g on raw as m
            """, file: "penguins"),
        Case(name: "mlp-iris-normalize", script: """
            normalize raw l2 [Sepal.Length, Sepal.Width, Petal.Length]
            fit mlp Species ~ . on raw hidden=[8] epochs=50 seed=1 as m
            """, file: "iris"),
        Case(name: "mlp-regression-l1", script: """
            normalize raw l1 [wt, qsec]
            normalize raw max [hp, disp]
            fit mlp mpg ~ wt + qsec + hp + disp on raw hidden=[6, 4] epochs=30 seed=3 as m
            """, file: "mtcars"),
        Case(name: "kmeans-iris", script: "fit kmeans ~ Petal.Length + Petal.Width + Sepal.Width on raw k=3 seed=2 as m", file: "iris"),
        Case(name: "tree-penguins-ordinal", script: """
            encode raw ordinal island order=[Torgersen, Dream, Biscoe]
            encode raw ordinal sex
            fit tree species ~ island + sex + bill_length_mm + flipper_length_mm on raw max_depth=5 as m
            """, file: "penguins"),
        Case(name: "tree-regression-airquality-fill-model", script: """
            fill raw Solar.R median
            fill raw Ozone model
            fit tree Temp ~ Ozone + Solar.R + Wind on raw as m
            """, file: "airquality"),
        Case(name: "forest-classes-iris", script: "fit forest Species ~ . on raw n_trees=25 seed=4 as m", file: "iris"),
        Case(name: "forest-regression-mtcars", script: "fit forest mpg ~ . - model on raw n_trees=20 seed=5 as m", file: "mtcars"),
        Case(name: "boost-titanic-categories-missing", script: "fit boost survived ~ sex + passengerClass + age on raw max_iter=30 as m", file: "titanic"),
        Case(name: "boost-multiclass-penguins", script: "fit boost species ~ . - year on raw max_iter=20 as m", file: "penguins"),
        Case(name: "boost-regression-cars-depthwise", script: "cast raw Year float\nfit boost Miles_per_Gallon ~ . - Name on raw max_iter=40 growth=depthwise max_depth=3 as m", file: "cars"),
        Case(name: "opset3-tree-ordinal", script: """
            encode raw ordinal island order=[Torgersen, Dream, Biscoe]
            encode raw ordinal sex
            fit tree species ~ island + sex + bill_length_mm + flipper_length_mm on raw max_depth=5 as m
            """, file: "penguins", mlOpset: 3),
        Case(name: "opset3-forest-classes", script: "fit forest Species ~ . on raw n_trees=25 seed=4 as m", file: "iris", mlOpset: 3),
        Case(name: "opset3-boost-missing", script: "fit boost Ozone ~ Solar.R + Wind + Temp on raw max_iter=30 as m", file: "airquality", mlOpset: 3),
        Case(name: "opset3-boost-classes", script: "encode raw ordinal island\nfit boost species ~ island + bill_length_mm + bill_depth_mm on raw max_iter=20 as m", file: "penguins", mlOpset: 3),
        Case(name: "linear-bool-target-derive-text", script: """
            derive raw male = sex == "male", young = age < 18 or sex != "male"
            fit logistic survived ~ male + young on raw as m
            """, file: "titanic"),
    ]

    @Test func exportedModelsAnswerAsMlshDoes() throws {
        let dir = NSTemporaryDirectory() + "mlsh-onnx-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var manifest: [[String: Any]] = []
        for c in Self.cases {
            let (session, _) = recordingSession()
            let path = "\(dir)/\(c.name).onnx"
            let out = run("load \"tutorials/data/\(c.file).csv\" as raw\nload \"tutorials/data/\(c.file).csv\" as source\n\(c.script)\nexport m onnx \"\(path)\" ml_opset=\(c.mlOpset)", in: session)
            #expect(out.contains("exported m to \(path)"), "\(c.name): \(out)")
            let model = try #require(session.model(named: "m"), "\(c.name)")
            let source = try #require(session.dataset(named: "source")).frame
            let rows = Self.rows(source, model)
            let engine = SessionExpressionEngine(session: session, datasetName: "raw")
            let answers = try model.predict(rows: rows.map { $0.mapValues(\.raw) }, engine: engine)
            #expect(answers.count == rows.count)
            try Self.jsonLines(rows.map { $0.mapValues(\.json) }).write(toFile: "\(dir)/\(c.name).rows.jsonl", atomically: true, encoding: .utf8)
            try Self.jsonLines(answers.map(Self.expected)).write(toFile: "\(dir)/\(c.name).expected.jsonl", atomically: true, encoding: .utf8)
            var entry: [String: Any] = ["name": c.name, "onnx": path, "rows": "\(dir)/\(c.name).rows.jsonl", "expected": "\(dir)/\(c.name).expected.jsonl"]
            // Float32 sums: about 1e-7 of the value, and a label may differ where two classes are that close.
            if c.mlOpset == 3 { entry["tolerance"] = 1e-5; entry["near_tie"] = 1e-5 }
            manifest.append(entry)
        }
        try JSONSerialization.data(withJSONObject: manifest).write(to: URL(fileURLWithPath: dir + "/manifest.json"))
        let py = try runProgram("/bin/bash", [packageRoot + "/scripts/onnx-venv"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(py.hasSuffix("/python"), "onnx-venv printed \(py)")
        let check = try runProgram(py, [packageRoot + "/scripts/onnx_check.py", dir + "/manifest.json"])
        // Each case's largest absolute and relative error, in the test log.
        print(check.stdout)
        let lines = check.stdout.split(separator: "\n")
        #expect(lines.count == Self.cases.count, "\(check.stdout)\n\(check.stderr)")
        for line in lines {
            let r = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(r["ok"] as? Bool == true, "\(line)")
            #expect(r["checker"] as? String == "ok", "\(line)")
            #expect((r["answered"] as? Int ?? 0) > 20, "too few answered rows to mean anything: \(line)")
        }
        #expect(check.status == 0, "\(check.stdout)\n\(check.stderr)")
    }

    /// A raw cell both ways: for mlsh's predict, and as JSON for the checker.
    struct Cell {
        var raw: RawValue
        var json: Any
    }

    /// Every source row with its used inputs, then, for the first rows, a copy with one input
    /// missing and (text inputs) one with a value never seen.
    static func rows(_ frame: Frame, _ model: Model) -> [[String: Cell]] {
        let used = model.usedInputs.map(\.name)
        func cell(_ c: Column, _ r: Int) -> Cell {
            guard c.isValid(r) else { return Cell(raw: .missing, json: NSNull()) }
            switch c.type {
            case .float64, .int64:
                let d = c.double(r)!
                return d.isFinite ? Cell(raw: .number(d), json: d) : Cell(raw: .missing, json: NSNull())
            case .bool: let b = c.double(r)! == 1; return Cell(raw: .bool(b), json: b)
            case .string, .date: let t = c.text(r)!; return Cell(raw: .text(t), json: t)
            }
        }
        var rows: [[String: Cell]] = (0..<frame.rowCount).map { r in
            Dictionary(uniqueKeysWithValues: used.map { ($0, cell(frame.column($0)!, r)) })
        }
        for r in 0..<min(8, frame.rowCount) {
            for name in used {
                var row = rows[r]
                row[name] = Cell(raw: .missing, json: NSNull())
                rows.append(row)
                if frame.column(name)!.type == .string {
                    // A value never seen, and the texts a request means as missing.
                    for t in ["never-seen", "NA", "NaN"] {
                        row[name] = Cell(raw: .text(t), json: t)
                        rows.append(row)
                    }
                }
            }
        }
        return rows
    }

    static func expected(_ p: Prediction) -> [String: Any] {
        var out: [String: Any] = ["answered": p.value != nil]
        switch p.value {
        case .number(let d)?: out["value"] = d
        case .int(let i)?: out["value"] = i
        case .bool(let b)?: out["value"] = b
        case .text(let t)?: out["value"] = t
        case nil: out["value"] = NSNull()
        }
        out["probabilities"] = p.probabilities ?? NSNull()
        return out
    }

    static func jsonLines(_ objects: [[String: Any]]) throws -> String {
        try objects.map { String(decoding: try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]), as: UTF8.self) }.joined(separator: "\n") + "\n"
    }
}

/// What cannot be exported exactly is refused, with the reason and what to do instead.
@Suite struct ONNXExportRefusalTests {
    func refusal(_ script: String, file: String = "airquality") -> String {
        let out = run("load \"tutorials/data/\(file).csv\" as raw\n" + script + "\nexport m onnx \"/tmp/mlsh-onnx-refused-\(getpid()).onnx\"")
        return out.components(separatedBy: "\n").drop { !$0.contains("error:") }.joined(separator: "\n")
    }

    @Test func knnIsRefused() {
        #expect(refusal("fit knn Ozone ~ Wind + Temp on raw as m") == """
            <input>:3:8: error: cannot export m to ONNX: knn answers by searching its training rows, and ONNX has no nearest-neighbour search
             3 | export m onnx "/tmp/mlsh-onnx-refused-\(getpid()).onnx"
               |        ^
            hint: fit tree, forest, boost or linear instead; compare them with compare

            """)
    }

    @Test func fillKnnIsRefused() {
        let out = refusal("fill raw Ozone knn k=3\nfit linear Temp ~ Ozone + Wind on raw as m")
        #expect(out.hasPrefix("<input>:4:8: error: cannot export m to ONNX: recipe step 1 (fill raw Ozone knn k=3) fills from the nearest training rows"), "\(out)")
        #expect(out.contains("hint: fill with median, mean or model instead, fit again, and export"), "\(out)")
    }

    @Test func unknownErrorAndTextCastsAreRefused() {
        let onehot = refusal("encode raw onehot sex unknown=error\nfit logistic survived ~ sex_male + age on raw as m", file: "titanic")
        #expect(onehot.contains("stops at a category it has not seen (unknown=error), and a graph cannot stop one row"), "\(onehot)")
        let cast = refusal("cast raw Month string\ncast raw Month float\nfit linear Temp ~ Month + Wind on raw as m")
        #expect(cast.contains("converts between text and other types"), "\(cast)")
        let unused = refusal("cast raw Day string\nfit linear Temp ~ Month + Wind on raw as m")
        #expect(unused.isEmpty, "a step on a column the model does not use is left out: \(unused)")
    }

    @Test func outputNamesAndOtherFilesAreKept() throws {
        let dir = NSTemporaryDirectory() + "mlsh-onnx-names-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "label,y\n1,2\n2,4.1\n3,5.9\n4,8.2\n".write(toFile: dir + "/named.csv", atomically: true, encoding: .utf8)
        let clash = run("load \"\(dir)/named.csv\"\nfit linear y ~ label on named as m\nexport m onnx \"\(dir)/m.onnx\"")
        #expect(clash.contains("error: cannot export m to ONNX: the input 'label' has the name of one of the graph's outputs (answered, prediction, label, probabilities, cluster)"), "\(clash)")
        try "a,b\n1,2\n".write(toFile: dir + "/data.csv", atomically: true, encoding: .utf8)
        let over = run("load \"tutorials/data/mtcars.csv\"\nfit linear mpg ~ wt on mtcars as m\nexport m onnx \"\(dir)/data.csv\"")
        #expect(over.contains("error: '\(dir)/data.csv' exists and is not named .onnx: export does not write over it"), "\(over)")
        #expect(try String(contentsOfFile: dir + "/data.csv", encoding: .utf8) == "a,b\n1,2\n")
        mkfifo(dir + "/fifo.onnx", 0o600)
        let fifo = run("load \"tutorials/data/mtcars.csv\"\nfit linear mpg ~ wt on mtcars as m\nexport m onnx \"\(dir)/fifo.onnx\"")
        #expect(fifo.contains("fifo.onnx' is not a regular file (a device, pipe or socket): nothing was written"), "\(fifo)")
    }

    @Test func inspectReadsAnONNXFile() throws {
        let path = NSTemporaryDirectory() + "mlsh-onnx-inspect-\(getpid()).onnx"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let out = run("""
            load "tutorials/data/iris.csv"
            fit logistic Species ~ Petal.Length + Petal.Width on iris as m
            export m onnx "\(path)"
            inspect "\(path)"
            """)
        let shown = out.components(separatedBy: "inspect").last ?? ""
        #expect(out.contains("\(path): ONNX model, IR version 10, "), "\(out)")
        #expect(out.contains("  opsets: ai.onnx 21\n"), "\(out)")
        #expect(out.contains("""
              inputs:
                Petal.Length   double [N, 1]
                Petal.Width    double [N, 1]
              outputs:
                answered       bool [N]
                label          string [N]
                probabilities  double [N, 3]
              mlsh.model: m
              mlsh.algorithm: logistic
              mlsh.formula: Species ~ Petal.Length + Petal.Width
              mlsh.task: classification
              mlsh.target: Species
              mlsh.classes: setosa, versicolor, virginica
            """), "\(shown)")
        try Data("not protobuf".utf8).write(to: URL(fileURLWithPath: path))
        #expect(run("inspect \"\(path)\"").contains("error: the file is not an ONNX model"))
    }

    @Test func olderRuntimesHaveTheirLimits() {
        let text = run("load \"tutorials/data/titanic.csv\"\nfit boost survived ~ sex + age on titanic max_iter=5 as m\nexport m onnx \"/tmp/mlsh-onnx-3-\(getpid()).onnx\" ml_opset=3")
        #expect(text.contains("error: cannot export m to ONNX: its trees split on categories of text, which ai.onnx.ml 3 cannot express"), "\(text)")
        let four = run("load \"tutorials/data/mtcars.csv\"\nfit linear mpg ~ wt on mtcars as m\nexport m onnx \"/tmp/mlsh-onnx-4-\(getpid()).onnx\" ml_opset=4")
        #expect(four.contains("error: ml_opset= is 5 (the default) or 3 (for ONNX Runtime before 1.21), not 4"), "\(four)")
    }

    @Test func aModelReadBackFromItsFileExportsTheSameGraph() throws {
        let dir = NSTemporaryDirectory() + "mlsh-onnx-file-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let out = run("""
            load "tutorials/data/penguins.csv"
            fill penguins sex mode
            encode penguins onehot sex
            fit boost species ~ . - year on penguins max_iter=5 as m
            export m onnx "\(dir)/a.onnx"
            save m "\(dir)/m.mlsm"
            load model "\(dir)/m.mlsm" as back
            export back onnx "\(dir)/b.onnx"
            export back onnx "\(dir)"
            """)
        #expect(out.contains("exported back to \(dir)/b.onnx"), "\(out)")
        #expect(out.contains("error: '\(dir)' is a directory"), "\(out)")
        let a = try Data(contentsOf: URL(fileURLWithPath: dir + "/a.onnx")), b = try Data(contentsOf: URL(fileURLWithPath: dir + "/b.onnx"))
        // The same graph but the model's name in the metadata and doc string.
        #expect(a.count > 1000 && abs(a.count - b.count) < 40, "\(a.count) vs \(b.count)")
    }
}

/// A fill fitted with the target among its predictors does not read a new row's own label: the
/// answer is the same with the target given or left out (it was not: evaluate saw the label).
@Test func aFillFromTheTargetDoesNotReadTheLabel() throws {
    let (session, _) = recordingSession()
    let out = run("""
        load "tutorials/data/airquality.csv" as raw
        fill raw Ozone model
        fit linear Temp ~ Ozone + Wind on raw as m
        """, in: session)
    let model = try #require(session.model(named: "m"), "\(out)")
    let with = try model.predict(rows: [["Ozone": .missing, "Wind": .number(7.4), "Temp": .number(90)]], engine: nil)
    let without = try model.predict(rows: [["Ozone": .missing, "Wind": .number(7.4)]], engine: nil)
    #expect(with.count == 1 && without.count == 1)
    #expect(with[0].value == without[0].value, "\(with) vs \(without)")
}
