import Crypto
import Foundation
import MLFrame
import MLLearn
import MLModel
@testable import MLShell
import Testing

/// A session with the penguins loaded, cleaned, encoded and scaled: the recipe every model here carries.
func penguinSession() -> Session {
    let (s, _) = recordingSession()
    s.interrupt = InterruptFlag()
    _ = FileManager.default.changeCurrentDirectoryPath(packageRoot)
    _ = run("""
        load "tutorials/data/penguins.csv"
        fill penguins [bill_length_mm, bill_depth_mm, flipper_length_mm, body_mass_g] median
        fill penguins sex mode
        encode penguins onehot [island, sex]
        scale penguins zscore [bill_length_mm, bill_depth_mm, flipper_length_mm, body_mass_g]
        """, in: s)
    return s
}

/// Fits one model in a session and returns it.
func fitted(_ command: String, _ s: Session) throws -> Model {
    let out = run(command + " as m", in: s)
    return try #require(s.model(named: "m"), "\(command): \(out)")
}

/// The models of every algorithm, on the penguins.
let everyAlgorithm = [
    "fit linear body_mass_g ~ . - species - year on penguins",
    "fit ridge body_mass_g ~ . - species - year on penguins alpha=2",
    "fit lasso body_mass_g ~ . - species - year on penguins alpha=0.1",
    "fit elasticnet body_mass_g ~ . - species - year on penguins alpha=0.1",
    "fit logistic species ~ . - year on penguins",
    "fit logistic sex_male ~ bill_length_mm + body_mass_g on penguins",
    "fit knn species ~ . - year on penguins k=3",
    "fit knn body_mass_g ~ bill_length_mm + flipper_length_mm on penguins k=4",
    "fit tree species ~ . - year on penguins max_depth=4",
    "fit tree body_mass_g ~ . - species - year on penguins",
    "fit forest species ~ . - year on penguins n_trees=5 max_depth=4",
    "fit forest body_mass_g ~ . - species - year on penguins n_trees=4",
    "fit boost species ~ . - year on penguins max_iter=5",
    "fit boost body_mass_g ~ . - species - year on penguins max_iter=5",
    "fit bayes species ~ . - year on penguins",
    "fit mlp species ~ . - year on penguins hidden=[8] epochs=30",
    "fit mlp body_mass_g ~ bill_length_mm + flipper_length_mm on penguins hidden=[6, 4] epochs=20",
    "fit kmeans ~ bill_length_mm + flipper_length_mm on penguins k=3",
]

@Suite struct ModelFileRoundTripTests {
    /// At f64, predictions after a save and a load are the same bits, for every algorithm, both
    /// on the training design and from raw rows through the recipe.
    @Test(arguments: everyAlgorithm)
    func roundTripIsExact(_ command: String) throws {
        let s = penguinSession()
        let m = try fitted(command, s)
        let x = try #require(m.trainingSample)
        for compression in Compression.allCases {
            var options = SaveOptions()
            options.compression = compression
            let (bytes, _) = try ModelFile.encode(m, options: options)
            let back = try ModelFile.decode(bytes).model
            let (a, pa) = m.predict(x), (b, pb) = back.predict(x)
            #expect(a.count == b.count)
            #expect(a.map(\.bitPattern) == b.map(\.bitPattern), "\(command)")
            #expect(pa?.count == pb?.count)
            #expect(pa?.flatMap { $0 }.map(\.bitPattern) == pb?.flatMap { $0 }.map(\.bitPattern))
            #expect(back.recipe.entries.count == m.recipe.entries.count)
            #expect(back.inputs == m.inputs)
            #expect(back.profile == m.profile)
            #expect(back.metrics == m.metrics)
        }
        // From raw rows (texts as a client sends them), through the loaded recipe.
        let rows: [[String: RawValue]] = [
            ["island": .text("Biscoe"), "bill_length_mm": .text("45.1"), "bill_depth_mm": .number(14.5), "flipper_length_mm": .number(215),
             "body_mass_g": .number(5000), "sex": .text("female")],
            ["island": .text("Dream"), "bill_length_mm": .missing, "bill_depth_mm": .number(18), "flipper_length_mm": .text("190"),
             "body_mass_g": .text("NA"), "sex": .missing],
        ]
        let back = try ModelFile.decode(ModelFile.encode(m, options: SaveOptions()).bytes).model
        let engine = SessionExpressionEngine(session: s, datasetName: "penguins")
        #expect(try m.predict(rows: rows, engine: engine) == back.predict(rows: rows, engine: nil))
    }

    /// Quantized weights stay within the change `save` reports, measured again here on the same
    /// rows from the decoded file; f32 and f16 keep every class.
    @Test(arguments: [QuantizedType.f32, .f16, .int8], [everyAlgorithm[0], everyAlgorithm[4], everyAlgorithm[6], everyAlgorithm[11]])
    func quantizedWithinReportedBound(_ dtype: QuantizedType, _ command: String) throws {
        let s = penguinSession()
        let m = try fitted(command, s)
        var options = SaveOptions()
        options.quantize = dtype
        let (bytes, report) = try ModelFile.encode(m, options: options)
        let loaded = try ModelFile.decode(bytes)
        let x = try #require(m.trainingSample)
        let (a, pa) = m.predict(x), (b, pb) = loaded.model.predict(x)
        try #require(a.count == b.count)
        try #require((pa == nil) == (pb == nil))
        if let pa, let pb {
            try #require(pa.count == pb.count)
            #expect(zip(pa, pb).allSatisfy { $0.count == $1.count })
        }
        let changes = pa.map { p in zip(p.joined(), pb!.joined()).map { abs($0 - $1) } } ?? zip(a, b).map { abs($0 - $1) }
        let bound = try #require(report.quantization.maxAbsoluteChange)
        try #require(!changes.isEmpty)
        #expect(changes.max()! <= bound)
        #expect(loaded.header.quantization.maxAbsoluteChange == bound)
        #expect(report.quantization.rows == x.rows)
        if m.classes != nil {
            let same = Double(zip(a, b).filter { $0 == $1 }.count) / Double(a.count)
            #expect(report.quantization.labelAgreement == same)
            if dtype != .int8 { #expect(same == 1) }
        }
        // Stored weights are smaller than f64 ones, where there are enough of them to outweigh
        // int8's scales (the k-NN model's training rows).
        guard case .knn = m.estimator else { return }
        options.quantize = .f64
        options.compression = .none
        var smaller = options
        smaller.quantize = dtype
        #expect(try ModelFile.encode(m, options: smaller).report.payloadBytes < ModelFile.encode(m, options: options).report.payloadBytes)
    }

    /// A derive step that reads a session value keeps that value: the model alone gives the same answers.
    @Test func deriveBindsSessionValuesAtFitTime() throws {
        let s = penguinSession()
        _ = run("print 1000 as grams_per_kg\nderive penguins mass_kg = body_mass_g / grams_per_kg", in: s)
        let m = try fitted("fit linear flipper_length_mm ~ mass_kg + bill_length_mm on penguins", s)
        let derive = m.recipe.entries.compactMap { e -> String? in if case .derive(_, let x) = e.step { return x }; return nil }
        #expect(derive == ["body_mass_g / 1000"])
        let back = try ModelFile.decode(ModelFile.encode(m, options: SaveOptions()).bytes).model
        _ = run("print 1 as grams_per_kg", in: s)  // a later change in the session does not reach the model
        let row: [[String: RawValue]] = [["body_mass_g": .number(4000), "bill_length_mm": .number(44)]]
        let fresh = Session(terminal: .plain, output: CapturedOutput())
        let p = try back.predict(rows: row, engine: SessionExpressionEngine(session: fresh, datasetName: "x"))
        let q = try m.predict(rows: row, engine: SessionExpressionEngine(session: fresh, datasetName: "x"))
        #expect(p == q)
        guard case .number(let v)? = p[0].value else { Issue.record("no number: \(p)"); return }
        #expect(v.isFinite)
    }

    /// The inputs a model uses are traced back through its recipe: a one-hot column to the column
    /// it encodes, a derived column to the names it reads, a renamed one to its old name; the
    /// target and the columns nothing reads are not among them. The file's header says the same.
    @Test func usedInputsFollowTheRecipe() throws {
        let s = penguinSession()
        _ = run("""
            derive penguins ratio = bill_length_mm / `bill_depth_mm`
            rename penguins flipper_length_mm=flipper
            scale penguins zscore [flipper]
            """, in: s)
        let m = try fitted("fit logistic species ~ island_Dream + ratio + flipper on penguins", s)
        #expect(m.usedInputs.map(\.name) == ["island", "bill_length_mm", "bill_depth_mm", "flipper_length_mm"])
        #expect(m.unusedInputs.map(\.name) == ["species", "body_mass_g", "sex", "year"])
        let back = try ModelFile.decode(ModelFile.encode(m, options: SaveOptions()).bytes)
        #expect(back.header.used == ["island", "bill_length_mm", "bill_depth_mm", "flipper_length_mm"])
        // A row with only those inputs is answered.
        let row: [[String: RawValue]] = [["island": .text("Dream"), "bill_length_mm": .number(46), "bill_depth_mm": .number(17), "flipper_length_mm": .number(190)]]
        let fresh = Session(terminal: .plain, output: CapturedOutput())
        #expect(try back.model.predict(rows: row, engine: SessionExpressionEngine(session: fresh, datasetName: "x")).count == 1)
    }
}

@Suite struct ModelFileErrorTests {
    func smallModel(_ command: String = everyAlgorithm[4], options: SaveOptions = SaveOptions()) throws -> [UInt8] {
        let s = penguinSession()
        return try ModelFile.encode(try fitted(command, s), options: options).bytes
    }

    func error(_ bytes: [UInt8], verify: String? = nil, key: SealingKey? = nil) -> ModelFileError? {
        do {
            _ = try ModelFile.decode(bytes, verify: verify, key: key)
            return nil
        } catch let e as ModelFileError {
            return e
        } catch {
            Issue.record("not a ModelFileError: \(error)")
            return nil
        }
    }

    /// Every prefix of a file is refused, with the truncation named; no prefix crashes.
    @Test func everyTruncationIsRefused() throws {
        let bytes = try smallModel(everyAlgorithm[0])
        for n in 0..<bytes.count {
            let e = error(Array(bytes[..<n]))
            #expect(e != nil, "a prefix of \(n) bytes was read")
            if n >= 8, let e {
                if case .truncated = e {} else if case .corrupt = e {} else { Issue.record("\(n) bytes: \(e.message)") }
            }
        }
        #expect(error(bytes + [0]) == .corrupt("1 byte follows its end"))
    }

    /// A changed byte anywhere is refused (the checksum, or the layout before it).
    @Test func everyChangedByteIsRefused() throws {
        let bytes = try smallModel(everyAlgorithm[0])
        for i in 0..<bytes.count {
            var b = bytes
            b[i] ^= 0x5A
            #expect(error(b) != nil, "byte \(i) changed and the file was read")
        }
    }

    @Test func notAModelAndNewerVersions() throws {
        #expect(error(Array("species,island\nAdelie,Dream\n".utf8)) == .notAModel)
        #expect(error([]) == .notAModel)
        var bytes = try smallModel()
        bytes[8] = 2
        let e = try #require(error(bytes))
        #expect(e.message == "this model file has format version 2; this mlsh reads version 1")
        #expect(e.hint == "it was saved by a newer mlsh; update mlsh to one that reads format 2")
    }

    func keys(_ dir: String, _ name: String, aes: Bool = false) throws -> String {
        _ = try KeyFile.generate(dir + "/" + name, aes: aes)
        return dir + "/" + name
    }

    @Test func signaturesAreVerified() throws {
        let dir = NSTemporaryDirectory() + "mlsh-sign-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let a = try keys(dir, "a"), b = try keys(dir, "b")
        #expect((try FileManager.default.attributesOfItem(atPath: a + ".key")[.posixPermissions] as? Int) == 0o600)
        var options = SaveOptions()
        options.sign = a + ".key"
        let signed = try smallModel(options: options)
        let ok = try ModelFile.decode(signed, verify: a + ".pub")
        guard case .verified = ok.signature else { Issue.record("not verified: \(ok.signature)"); return }
        guard case .signed = try ModelFile.decode(signed).signature else { Issue.record("signature not reported"); return }
        guard case .wrongSigner = try #require(error(signed, verify: b + ".pub")) else { Issue.record("another key passed"); return }
        #expect(error(try smallModel(), verify: a + ".pub") == .unsigned)
        // Changed after signing, with the checksum made anew: the signature no longer holds.
        var tampered = signed
        let h = Int(tampered[12]) | Int(tampered[13]) << 8 | Int(tampered[14]) << 16
        let bodyStart = 24 + h
        tampered[bodyStart + 20] ^= 1
        let end = tampered.count - 33 - 96
        let digest = SHA256Digest(of: Array(tampered[..<end]))
        tampered.replaceSubrange(end..<(end + 32), with: digest)
        #expect(error(tampered, verify: a + ".pub") == .badSignature)
        #expect(error(tampered) == .badSignature)
        // The wrong kind of key file is named for what it is.
        #expect(error(signed, verify: a + ".key")?.message == "\(a).key is a private signing key (for sign=), where a public key (for verify=) is needed")
        // keygen does not overwrite a key.
        #expect(throws: ModelFileError.self) { _ = try KeyFile.generate(a, aes: false) }
    }

    @Test func encryptionNeedsTheRightKey() throws {
        let dir = NSTemporaryDirectory() + "mlsh-seal-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let k1 = try keys(dir, "one", aes: true), k2 = try keys(dir, "two", aes: true)
        var options = SaveOptions()
        options.encrypt = .file(path: k1 + ".aes")
        let sealed = try smallModel(options: options)
        #expect(throws: Never.self) { _ = try ModelFile.decode(sealed, key: .file(path: k1 + ".aes")) }
        #expect(error(sealed) == .needsKey(.file))
        #expect(error(sealed, key: .file(path: k2 + ".aes")) == .wrongKey(.file))
        #expect(error(sealed, key: .passphrase("x")) == .needsKey(.file))
        options.encrypt = .passphrase("correct horse")
        let phrased = try smallModel(options: options)
        #expect(throws: Never.self) { _ = try ModelFile.decode(phrased, key: .passphrase("correct horse")) }
        #expect(error(phrased, key: .passphrase("wrong horse")) == .wrongKey(.passphrase))
        #expect(error(phrased) == .needsKey(.passphrase))
        // inspect reads the header of a sealed file without its key.
        try AtomicFile.write(phrased, to: dir + "/p.mlsm")
        #expect(try ModelFile.inspect(dir + "/p.mlsm").header.encryption?.kdf?.name == "scrypt")
    }
}

/// SHA-256 through swift-crypto, for rebuilding a checksum in a test.
func SHA256Digest(of bytes: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: bytes)) }

/// The commands as a user meets them: their output and their errors, through the binary.
@Suite struct ModelFileCommandTests {
    func tempDir() throws -> String {
        let dir = NSTemporaryDirectory() + "mlsh-save-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    let fit = "load \"\(packageRoot)/tutorials/data/mtcars.csv\"; fit linear mpg ~ wt + hp on mtcars as m"

    @Test func errorsSayWhatAndWhere() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func err(_ command: String) throws -> String {
            let r = try runMlsh(["-c", fit + "; " + command], cwd: dir)
            #expect(r.status != 0)
            return r.stderr
        }
        #expect(try err("save n \"m.mlsm\"").contains("hint: did you mean 'm'?"))
        #expect(try err("save m \"\(dir)\"").contains("error: '\(dir)' is a directory"))
        #expect(try unwrapped(err("save m \"m.mlsm\" compres=none")).contains("hint: did you mean 'compress'? (the options of 'save' are: compress, quantize, encrypt, sign, replace)"))
        #expect(try err("save m \"m.mlsm\" quantize=int4").contains("int4"))
        #expect(try err("save m \"/proc/m.mlsm\"").contains("error: cannot write in /proc:"))
        #expect(try err("load model \"\(packageRoot)/tutorials/data/mtcars.csv\"")
            .contains("error: this is not an mlsh model file (it does not start with the model file's magic bytes)"))
        #expect(try err("load model \"nothing.mlsm\"").contains("error: no file nothing.mlsm"))
        #expect(try err("load model \"\(dir)\"").contains("error: \(dir) is a folder, not a model file"))
        #expect(try err("load \"x.csv\" key=\"k.aes\"").contains("error: key= is for model files"))
        #expect(try err("save m \"m.mlsm\" sign=\"nokey.key\"").contains("error: no file nokey.key"))
        #expect(try err("save m m.mlsm").contains("hint: a text goes in quotes: \"m.mlsm\""))
        #expect(try err("save m \"\"").contains("error: the file name is empty"))
        #expect(try err("keygen \"\"").contains("error: keygen needs a name for the key files"))
        // A failed save leaves no file behind.
        #expect((try FileManager.default.contentsOfDirectory(atPath: dir)).isEmpty)
        // A file that is not a model is not written over unasked; a model file is.
        try "a,b\n1,2\n".write(toFile: dir + "/data.csv", atomically: true, encoding: .utf8)
        #expect(try err("save m \"data.csv\"").contains("error: 'data.csv' exists and is not a model file: save does not write over it"))
        #expect(try String(contentsOfFile: dir + "/data.csv", encoding: .utf8) == "a,b\n1,2\n")
        #expect(try runMlsh(["-c", fit + "; save m \"m.mlsm\"; save m \"m.mlsm\" quantize=f32"], cwd: dir).status == 0)
        #expect(try err("load \"m.mlsm\"").contains("hint: load model \"m.mlsm\" reads it"))
    }

    /// A save that runs out of room (a file-size limit stands in for a full disk) fails, says
    /// so, and leaves the old file whole.
    @Test func aFullDiskLeavesTheOldFile() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try runMlsh(["-c", fit + "; save m \"m.mlsm\""], cwd: dir).status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: dir + "/m.mlsm"))
        let big = "load \"\(packageRoot)/tutorials/data/diamonds.csv\"; fit knn price ~ carat + depth + table on diamonds k=3 as m; save m \"m.mlsm\" compress=none"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "ulimit -f 64; exec \"$0\" -c \"$1\"", mlshBinary, big]
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        let err = Pipe()
        p.standardError = err
        p.standardOutput = Pipe()
        try p.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus != 0)
        #expect(message.contains("error: cannot write m.mlsm: File too large; the old file, if any, is untouched"), "\(message)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/m.mlsm")) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["m.mlsm"])
    }

    /// `kill -9` at any moment of a save leaves a whole file: the old one or the new one.
    @Test func killDuringSaveLeavesAWholeFile() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try runMlsh(["-c", fit + "; save m \"m.mlsm\""], cwd: dir).status == 0)
        let script = "load \"\(packageRoot)/tutorials/data/diamonds.csv\"; fit knn price ~ carat + depth + table on diamonds k=3 as m; "
            + Array(repeating: "save m \"m.mlsm\" compress=none", count: 40).joined(separator: "; ")
        for delay in [0.0, 0.01, 0.03, 0.07, 0.12, 0.2] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: mlshBinary)
            p.arguments = ["-c", script]
            p.currentDirectoryURL = URL(fileURLWithPath: dir)
            let out = Pipe()
            p.standardOutput = out
            p.standardError = Pipe()
            try p.run()
            // Once the first save is done the shell is saving again and again: kill it in the middle of one.
            var seen = ""
            while !seen.contains("saved m") {
                let chunk = out.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                seen += String(decoding: chunk, as: UTF8.self)
            }
            #expect(seen.contains("saved m"))
            Thread.sleep(forTimeInterval: delay)
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            let loaded = try ModelFile.load(dir + "/m.mlsm")
            #expect(loaded.model.algorithm == .linear || loaded.model.algorithm == .knn)
        }
    }

    /// The tour of the commands, as the README shows it.
    @Test func saveLoadPredictThroughTheBinary() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try runMlsh(["-c", fit + "; save m \"m.mlsm\"; load model \"m.mlsm\" as m2; predict m2 wt=3 hp=120; inspect \"m.mlsm\""], cwd: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("loaded m2 from m.mlsm ("))
        #expect(r.stdout.contains("linear mpg ~ wt + hp (regression), 2 raw inputs"))
        #expect(r.stdout.contains("\n21.") || r.stdout.contains("\n22."))
        #expect(r.stdout.contains("m.mlsm: mlsh model file, format 1, "))
        #expect(r.stdout.contains("  signature: not signed"))
    }
}

/// Every input the fuzzer kept (Tests/Fuzz/corpus-modelfile, and any crash found since, in
/// Tests/Fuzz/regressions) runs through the decoder without a crash.
@Suite struct ModelFileFuzzCorpusTests {
    @Test func corpusReplaysWithoutACrash() throws {
        let replay = URL(fileURLWithPath: mlshBinary).deletingLastPathComponent().appendingPathComponent("FuzzModelFile").path
        var inputs: [String] = []
        for folder in ["Tests/Fuzz/corpus-modelfile", "Tests/Fuzz/regressions"] {
            let dir = packageRoot + "/" + folder
            inputs += try FileManager.default.contentsOfDirectory(atPath: dir).sorted().map { dir + "/" + $0 }
        }
        try #require(inputs.count >= 27)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: replay)
        p.arguments = inputs
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        #expect(text == "replayed \(inputs.count) inputs\n")
    }
}
