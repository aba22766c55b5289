import Foundation
import Testing

/// Every input the fuzzers kept for the CSV reader, the JSON Lines reader, the parser and the
/// serving protocols' body decoders
/// (Tests/Fuzz/corpus-TARGET), and every input that once crashed one of them
/// (Tests/Fuzz/regressions/TARGET-…), runs through the unsanitized harness without a crash.
/// (The model-file decoder's corpus has its own test, ModelFileFuzzCorpusTests.)
@Suite struct FuzzCorpusTests {
    struct Target: Sendable, CustomStringConvertible {
        /// The name scripts/fuzz takes, the corpus folder's suffix and the regressions' prefix.
        let name: String
        /// The harness, built beside mlsh.
        let product: String
        /// Fewer inputs than this: the corpus folder was emptied or renamed.
        let atLeast: Int
        var description: String { name }
    }

    static let targets = [
        Target(name: "csv", product: "FuzzCSV", atLeast: 100),
        Target(name: "jsonl", product: "FuzzJSONLines", atLeast: 40),
        Target(name: "parser", product: "FuzzParser", atLeast: 300),
        Target(name: "serve", product: "FuzzServeBodies", atLeast: 70),
    ]

    @Test(arguments: targets)
    func corpusReplaysWithoutACrash(_ target: Target) throws {
        let replay = URL(fileURLWithPath: mlshBinary).deletingLastPathComponent().appendingPathComponent(target.product).path
        let corpus = packageRoot + "/Tests/Fuzz/corpus-" + target.name
        let regressions = packageRoot + "/Tests/Fuzz/regressions"
        var inputs = try FileManager.default.contentsOfDirectory(atPath: corpus).sorted().map { corpus + "/" + $0 }
        try #require(inputs.count >= target.atLeast)
        inputs += try FileManager.default.contentsOfDirectory(atPath: regressions)
            .filter { $0.hasPrefix(target.name + "-") }.sorted().map { regressions + "/" + $0 }
        let r = try runProgram(replay, inputs)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "replayed \(inputs.count) inputs\n")
    }
}
