import Foundation
import Testing

/// docs/model-file.md is complete: scripts/read_mlsm.py, written from that page alone (Python's
/// standard library and numpy, nothing of mlsh's), reads the model files mlsh writes and predicts
/// what mlsh predicts. It runs in the pinned, git-ignored venv scripts/.venv-reader, which
/// scripts/reader-venv makes (python3 -m venv, pip install numpy==PIN) when it is missing.
@Suite struct ModelFileReaderTests {
    /// One model file, the raw rows it predicts for, and how many of them lack a feature.
    struct Case: Sendable {
        let model: String
        let data: String
        let unanswered: Int
    }

    static let cases = [
        Case(model: "clf", data: "penguins", unanswered: 0),    // logistic, 3 classes (softmax), f64, zlib
        Case(model: "clf8", data: "penguins", unanswered: 0),   // the same with int8 weights (a scale per feature)
        Case(model: "reg", data: "penguins", unanswered: 2),    // linear; a row step (where) skipped; body mass not filled
        Case(model: "rdg16", data: "penguins", unanswered: 2),  // ridge, f16 weights, no compression
        Case(model: "bin", data: "titanic", unanswered: 0),     // logistic, 2 classes (sigmoid)
    ]

    /// Fits the models, each on a recipe of fill, one-hot and z-score, saves them, and writes mlsh's
    /// own predictions on the raw rows (the quantized models as `load model` reads them back).
    static func script(_ dir: String) -> String {
        """
        load "tutorials/data/penguins.csv" as p
        fill p [bill_length_mm, bill_depth_mm, flipper_length_mm, body_mass_g] median
        fill p sex mode
        encode p onehot [island, sex]
        scale p zscore [bill_length_mm, bill_depth_mm, flipper_length_mm, body_mass_g]
        fit logistic species ~ . - year on p as clf
        save clf "\(dir)/clf.mlsm"
        save clf "\(dir)/clf8.mlsm" quantize=int8
        load "tutorials/data/penguins.csv" as q
        where q year >= 2007
        fill q [bill_length_mm, bill_depth_mm] median
        encode q onehot [island, sex] drop=first
        scale q zscore [bill_length_mm, bill_depth_mm, body_mass_g]
        fit linear flipper_length_mm ~ bill_length_mm + bill_depth_mm + body_mass_g + island_Dream + island_Torgersen + sex_male on q as reg
        save reg "\(dir)/reg.mlsm"
        fit ridge flipper_length_mm ~ bill_length_mm + bill_depth_mm + body_mass_g + island_Dream + island_Torgersen + sex_male on q alpha=3 as rdg
        save rdg "\(dir)/rdg16.mlsm" quantize=f16 compress=none
        load "tutorials/data/titanic.csv" as t
        fill t age median
        encode t onehot [sex, passengerClass]
        scale t zscore age
        fit logistic survived ~ . - name on t as bin
        save bin "\(dir)/bin.mlsm"
        load model "\(dir)/clf8.mlsm" as clf8
        load model "\(dir)/rdg16.mlsm" as rdg16
        load "tutorials/data/penguins.csv" as penguins
        load "tutorials/data/titanic.csv" as titanic
        predict clf on penguins as a
        write a "\(dir)/clf.csv"
        predict clf8 on penguins as b
        write b "\(dir)/clf8.csv"
        predict reg on penguins as c
        write c "\(dir)/reg.csv"
        predict rdg16 on penguins as d
        write d "\(dir)/rdg16.csv"
        predict bin on titanic as e
        write e "\(dir)/bin.csv"

        """
    }

    @Test func pythonReaderPredictsWhatMlshPredicts() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.script(dir).write(toFile: dir + "/fit.mlsh", atomically: true, encoding: .utf8)
        let fit = try runMlsh([dir + "/fit.mlsh"])
        try #require(fit.status == 0, "\(fit.stdout)\(fit.stderr)")
        let python = try Self.readerPython()

        for c in Self.cases {
            let read = try runProgram(python, [packageRoot + "/scripts/read_mlsm.py", "\(dir)/\(c.model).mlsm",
                                                 "\(packageRoot)/tutorials/data/\(c.data).csv"])
            try #require(read.status == 0, "read_mlsm.py on \(c.model).mlsm: \(read.stderr)")
            let want = try Table(String(contentsOfFile: "\(dir)/\(c.model).csv", encoding: .utf8))
            let got = Table(read.stdout)
            // The same rows (counted before any value is compared) and the same prediction columns.
            try #require(got.rows.count == want.rows.count, "\(c.model): the reader gave \(got.rows.count) rows, mlsh \(want.rows.count)")
            try #require(got.header == want.header.filter { $0 == "prediction" || $0.hasPrefix("p_") }, "\(c.model): \(got.header) vs \(want.header)")
            try #require(!got.header.isEmpty && !want.rows.isEmpty, "\(c.model): nothing to compare")
            let classifier = got.header.count > 1
            for name in got.header {
                let g = try #require(got.column(name)), w = try #require(want.column(name))
                var worst = 0.0, worstRow = -1, wrongLabels = 0, unanswered = 0
                for r in 0..<w.count {
                    if w[r].isEmpty || g[r].isEmpty {
                        #expect(w[r].isEmpty && g[r].isEmpty, "\(c.model) row \(r + 1) \(name): mlsh '\(w[r])', reader '\(g[r])'")
                        unanswered += 1
                    } else if classifier && name == "prediction" {
                        if g[r] != w[r] { wrongLabels += 1 }
                    } else {
                        let a = try #require(Double(g[r]), "\(c.model) row \(r + 1) \(name): '\(g[r])' is not a number")
                        let b = try #require(Double(w[r]), "\(c.model) row \(r + 1) \(name): '\(w[r])' is not a number")
                        // Probabilities: absolute; regression values: relative (to at least 1).
                        let d = classifier ? abs(a - b) : abs(a - b) / Swift.max(1, abs(b))
                        if !worst.isNaN && !(d <= worst) { worst = d; worstRow = r }  // a NaN stays the worst
                    }
                }
                #expect(unanswered == c.unanswered, "\(c.model) \(name): \(unanswered) rows without a prediction")
                #expect(wrongLabels == 0, "\(c.model): \(wrongLabels) labels differ")
                #expect(worst <= 1e-12, "\(c.model) \(name): differs by \(worst) at row \(worstRow + 1)")
            }
        }
    }

    /// The reader checks the file as the page says: a changed byte, a byte too many, a newer
    /// version; and it names a recipe step it does not implement instead of predicting wrongly.
    @Test func pythonReaderRefusesWhatItCannotRead() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fit = try runMlsh(["-c", """
            load "\(packageRoot)/tutorials/data/mtcars.csv"; fit linear mpg ~ wt + hp on mtcars as m; save m "m.mlsm"
            normalize mtcars l2 [wt, hp]; fit linear mpg ~ wt + hp on mtcars as n; save n "n.mlsm"
            """], cwd: dir)
        try #require(fit.status == 0, "\(fit.stderr)")
        let python = try Self.readerPython()
        let good = try Data(contentsOf: URL(fileURLWithPath: dir + "/m.mlsm"))
        var changed = good
        changed[good.count / 2] ^= 1
        var newer = good
        newer[8] = 2
        let damaged: [(String, Data, String)] = [
            ("changed", changed, "its SHA-256 checksum does not match its content"),
            ("longer", good + Data([0]), "bytes follow its end"),
            ("shorter", good.prefix(good.count - 1), "it is truncated"),
            ("newer", newer, "this model file has format version 2; this reader reads version 1"),
        ]
        let csv = packageRoot + "/tutorials/data/mtcars.csv"
        let ok = try runProgram(python, [packageRoot + "/scripts/read_mlsm.py", dir + "/m.mlsm", csv])
        #expect(ok.status == 0 && ok.stdout.hasPrefix("prediction\n"), "\(ok.stderr)")
        for (name, bytes, message) in damaged {
            try bytes.write(to: URL(fileURLWithPath: "\(dir)/\(name).mlsm"))
            let r = try runProgram(python, [packageRoot + "/scripts/read_mlsm.py", "\(dir)/\(name).mlsm", csv])
            #expect(r.status != 0 && r.stdout.isEmpty && r.stderr.contains(message), "\(name): \(r.stderr)")
        }
        let n = try runProgram(python, [packageRoot + "/scripts/read_mlsm.py", dir + "/n.mlsm", csv])
        #expect(n.status != 0 && n.stderr.contains("recipe step 'normalize' (state 'none') is not implemented"), "\(n.stderr)")
    }

    // MARK: - Support

    static func tempDir() throws -> String {
        let dir = NSTemporaryDirectory() + "mlsh-reader-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// The venv's Python, from scripts/reader-venv (which makes the venv when it is missing).
    static func readerPython() throws -> String {
        let venv = try runProgram(packageRoot + "/scripts/reader-venv", [])
        try #require(venv.status == 0, "scripts/reader-venv failed: \(venv.stderr)")
        return venv.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A CSV text (RFC 4180: quoted fields, "" for a quote inside them) as a header and rows.
    struct Table {
        let header: [String]
        let rows: [[String]]

        init(_ text: String) {
            var all: [[String]] = [], row: [String] = [], field = "", quoted = false
            let s = Array(text.unicodeScalars)
            var i = 0
            while i < s.count {
                let c = s[i]
                if quoted {
                    if c != "\"" {
                        field.unicodeScalars.append(c)
                    } else if i + 1 < s.count && s[i + 1] == "\"" {
                        field.unicodeScalars.append(c)
                        i += 1
                    } else {
                        quoted = false
                    }
                } else if c == "\"" {
                    quoted = true
                } else if c == "," {
                    row.append(field)
                    field = ""
                } else if c == "\n" {
                    row.append(field)
                    all.append(row)
                    row = []
                    field = ""
                } else if c != "\r" {
                    field.unicodeScalars.append(c)
                }
                i += 1
            }
            if !field.isEmpty || !row.isEmpty { all.append(row + [field]) }
            header = all.first ?? []
            rows = Array(all.dropFirst())
        }

        func column(_ name: String) -> [String]? {
            guard let j = header.firstIndex(of: name) else { return nil }
            return rows.map { j < $0.count ? $0[j] : "" }
        }
    }
}
