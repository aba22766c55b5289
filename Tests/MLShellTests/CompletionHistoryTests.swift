import Foundation
@testable import MLShell
import Testing

@Suite struct CompletionTests {
    func complete(_ line: String, session: Session? = nil) -> [String] {
        let s = session ?? recordingSession().0
        return Completer(session: s).complete(line: line, cursor: line.utf8.count).candidates
    }

    @Test func verbsAtTheStart() {
        #expect(complete("pr") == ["predict", "print"])
        #expect(complete("pri") == ["print"])
        #expect(complete("") == CommandRegistry.standard.allNames.sorted())
        #expect(complete("print 1; he") == ["head", "help"])
        #expect(complete("ex") == ["exit", "export"])
    }

    @Test func argumentsFromTheSpec() {
        #expect(complete("set ") == ["color", "echo", "maxrows", "maxwidth", "seed", "table", "timer"])
        #expect(complete("set co") == ["color"])
        #expect(complete("set color ") == ["auto", "off", "on"])
        #expect(complete("help hi") == ["history"])
        #expect(complete("fit lin") == ["linear"])
        #expect(complete("cv ") == ["bayes", "boost", "elasticnet", "forest", "kmeans", "knn", "lasso", "linear", "logistic", "mlp", "ridge", "tree"])
        // With data loaded, a position with its own words still offers only them.
        let (s, _) = recordingSession()
        _ = run("load \"tutorials/data/penguins.csv\"", in: s)
        #expect(complete("set ", session: s) == ["color", "echo", "maxrows", "maxwidth", "seed", "table", "timer"])
        #expect(complete("search lo", session: s) == ["logistic"])
        // join and concat: datasets where datasets go, the left one's columns after `on`.
        let (t, _) = recordingSession()
        _ = run("load \"tutorials/data/penguins.csv\"\ngroup penguins by island summarize n=count() as islands", in: t)
        #expect(complete("join ", session: t) == ["islands", "penguins"])
        #expect(complete("join penguins is", session: t) == ["islands"])
        #expect(complete("join penguins islands ", session: t) == ["on"])
        #expect(complete("join penguins islands on is", session: t) == ["island"])
        #expect(complete("join penguins islands on island h", session: t) == ["how="])
        #expect(complete("concat pen", session: t) == ["penguins"])
        // export: the model, then its one format.
        _ = run("fit linear body_mass_g ~ flipper_length_mm on penguins as mass", in: t)
        #expect(complete("export ma", session: t) == ["mass"])
        #expect(complete("export mass ", session: t) == ["onnx"])
        #expect(complete("load \"postgresql://u@h/db\" ta", session: t) == ["table="])
        #expect(complete("concat penguins, ", session: t) == ["islands", "penguins"])
        #expect(complete("fit linear body_mass_g ~ flipper", session: s) == ["flipper_length_mm"])
    }

    /// Every word position a spec knows: plot kinds before options, a model's plots after its
    /// name, a method after an optional dataset, a strategy after the columns.
    @Test func wordPositionsFromTheSpec() {
        _ = FileManager.default.changeCurrentDirectoryPath(packageRoot)
        let (s, _) = recordingSession()
        _ = run("load \"tutorials/data/penguins.csv\"; fit logistic species ~ bill_length_mm on penguins as m", in: s)
        #expect(complete("plot h", session: s) == ["heatmap", "hist"])
        #expect(complete("plot sc", session: s) == ["scatter"])
        #expect(complete("plot ", session: s) == ["bar", "box", "heatmap", "hist", "line", "m", "scatter"])
        #expect(complete("plot m con", session: s) == ["confusion"])
        #expect(complete("plot m ", session: s) == ["clusters", "confusion", "importance", "loss", "pr", "residuals", "roc", "threshold"])
        #expect(complete("plot hist bill", session: s) == ["bill_depth_mm", "bill_length_mm"])
        #expect(complete("encode o", session: s) == ["onehot", "order=", "ordinal"])
        #expect(complete("encode penguins o", session: s) == ["onehot", "ordinal"])
        #expect(complete("encode pen", session: s) == ["penguins"])
        #expect(complete("encode penguins onehot is", session: s) == ["island"])
        #expect(complete("scale penguins ", session: s).prefix(3) == ["minmax", "robust", "zscore"])
        #expect(complete("clean d", session: s) == ["duplicates"])
        #expect(complete("fill penguins sex mo", session: s) == ["mode", "model"])
        #expect(complete("cast penguins year fl", session: s) == ["float"])
        #expect(complete("keygen \"k\" a", session: s) == ["aes"])
    }

    @Test func boundNames() {
        let (s, _) = recordingSession()
        _ = run("print 1 as alpha; print 2 as alpine", in: s)
        #expect(complete("print al", session: s) == ["alpha", "alpine"])
        #expect(complete("print 1 + alph", session: s) == ["alpha"])
    }

    @Test func columnAndDatasetNames() {
        _ = FileManager.default.changeCurrentDirectoryPath(packageRoot)
        let (s, _) = recordingSession()
        _ = run("load \"tutorials/data/penguins.csv\"; load \"tutorials/data/iris.csv\"", in: s)
        #expect(complete("where penguins bill_l", session: s) == ["bill_length_mm"])
        #expect(complete("show pen", session: s) == ["penguins"])
        #expect(complete("describe cols=[Sepal.W", session: s) == ["Sepal.Width"])
        #expect(complete("count by Spe", session: s) == ["Species"])
    }

    @Test func pathsInsideQuotes() throws {
        let dir = NSTemporaryDirectory() + "mlsh-complete-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: dir + "/data.csv", contents: Data())
        _ = FileManager.default.createFile(atPath: dir + "/data2.csv", contents: Data())
        _ = FileManager.default.createFile(atPath: dir + "/.hidden", contents: Data())
        let line = "run \"\(dir)/"
        let c = Completer(session: recordingSession().0).complete(line: line, cursor: line.utf8.count)
        #expect(c.start == 5)
        #expect(c.candidates == ["\(dir)/data.csv\"", "\(dir)/data2.csv\"", "\(dir)/sub/"])
        #expect(complete("run \"\(dir)/su") == ["\(dir)/sub/"])
    }
}

@Suite struct HistoryStoreTests {
    @Test func appendAndLoadRoundTrip() throws {
        let path = NSTemporaryDirectory() + "mlsh-history-\(UUID().uuidString)"
        let store = HistoryStore(path: path)
        #expect(store.load() == [])
        let entries = ["print 1", "print [1,\n2]", "print \"a\\\\b\"", "print \"ü\""]
        for e in entries { store.append(e) }
        #expect(store.load() == entries)
        #expect(store.load(limit: 2) == Array(entries.suffix(2)))
    }

    @Test func twoWritersLoseNothing() async throws {
        let path = NSTemporaryDirectory() + "mlsh-history-\(UUID().uuidString)"
        await withTaskGroup(of: Void.self) { group in
            for writer in 0..<2 {
                group.addTask {
                    let store = HistoryStore(path: path)
                    for i in 0..<500 { store.append("print \(writer * 1000 + i)") }
                }
            }
        }
        let loaded = HistoryStore(path: path).load(limit: 5000)
        #expect(loaded.count == 1000)
        #expect(Set(loaded).count == 1000)
    }
}
