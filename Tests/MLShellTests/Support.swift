import Foundation
import MLDiagnostics
import MLLanguage
@testable import MLShell
import Testing

/// The package's root folder, found from this file's path.
let packageRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// The mlsh binary built beside the test runner.
let mlshBinary: String = {
    let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    return URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("mlsh").path
}()

struct ProcessResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// Runs the mlsh binary with arguments, optional standard input (text, or raw bytes that need not
/// be valid UTF-8), in a folder.
func runMlsh(_ args: [String], stdin: String? = nil, stdinBytes: Data? = nil, cwd: String = packageRoot,
             env extra: [String: String] = [:]) throws -> ProcessResult {
    var env = ProcessInfo.processInfo.environment
    env["MLSH_HISTORY"] = NSTemporaryDirectory() + "mlsh-test-history-\(getpid())"
    env["NO_COLOR"] = "1"
    for (k, v) in extra { env[k] = v }
    return try runProgram(mlshBinary, args, stdin: stdin, stdinBytes: stdinBytes, cwd: cwd, environment: env)
}

/// Runs a program with arguments, optional standard input, in a folder, reading its output and
/// errors while it runs (so that a large output cannot block it).
func runProgram(_ executable: String, _ args: [String], stdin: String? = nil, stdinBytes: Data? = nil, cwd: String = packageRoot,
                environment: [String: String]? = nil) throws -> ProcessResult {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = args
    p.currentDirectoryURL = URL(fileURLWithPath: cwd)
    if let environment { p.environment = environment }
    let out = Pipe(), err = Pipe(), input = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = input
    try p.run()
    if let stdin { input.fileHandleForWriting.write(stdin.data(using: .utf8)!) }
    if let stdinBytes { input.fileHandleForWriting.write(stdinBytes) }
    try input.fileHandleForWriting.close()
    final class Box: @unchecked Sendable { var data = Data() }  // each written by one thread, read after wait
    let outBox = Box(), errBox = Box()
    let group = DispatchGroup()
    DispatchQueue.global().async(group: group) { outBox.data = out.fileHandleForReading.readDataToEndOfFile() }
    DispatchQueue.global().async(group: group) { errBox.data = err.fileHandleForReading.readDataToEndOfFile() }
    group.wait()
    p.waitUntilExit()
    return ProcessResult(status: p.terminationStatus, stdout: String(decoding: outBox.data, as: UTF8.self),
                         stderr: String(decoding: errBox.data, as: UTF8.self))
}

/// Runs synchronous shell work on a thread of its own, not one of Swift's cooperative pool:
/// what serves waits synchronously, as the prompt's thread does (RunningServer.stop).
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.stackSize = 8 << 20
        thread.start()
    }
}

/// A fresh session that records everything it prints, as `mlsh check` does.
func recordingSession() -> (Session, CapturedOutput) {
    let out = CapturedOutput()
    let s = Session(terminal: .plain, output: out)
    s.recording = true
    return (s, out)
}

/// Runs source text in a session and returns what it printed (output and errors, in order).
func run(_ text: String, in session: Session? = nil, name: String = "<input>") -> String {
    let (fresh, out) = recordingSession()
    let s = session ?? fresh
    let sink = s.output
    let capture = (sink as? CapturedOutput) ?? out
    s.output = capture
    Runner.run(SourceFile(name: name, text: text), in: s)
    s.output = sink
    return capture.take()
}

/// The diagnostics of parsing `text`, rendered without colour.
func syntaxErrors(_ text: String, name: String = "<input>") -> String {
    let script = Parser.parse(SourceFile(name: name, text: text))
    return script.diagnostics.map { DiagnosticRenderer(color: false).render($0) }.joined()
}

/// Compares text with a file under Tests/MLShellTests/Snapshots; RECORD_SNAPSHOTS=1 rewrites it.
func assertSnapshot(_ actual: String, named name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
    let path = packageRoot + "/Tests/MLShellTests/Snapshots/\(name).txt"
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" || !FileManager.default.fileExists(atPath: path) {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try actual.write(toFile: path, atomically: true, encoding: .utf8)
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] != "1" {
            Issue.record("snapshot \(name) did not exist; recorded it — check it and run again", sourceLocation: sourceLocation)
        }
        return
    }
    let expected = try String(contentsOfFile: path, encoding: .utf8)
    if expected != actual {
        let diff = LineDiff.unified(expected: expected.components(separatedBy: "\n"), actual: actual.components(separatedBy: "\n"))
        let message = "snapshot \(name) differs (RECORD_SNAPSHOTS=1 re-records):\n" + diff.joined(separator: "\n")
        Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
    }
}

/// Prose as it was before wrapping to the width: each continuation line (two spaces, then text)
/// joined back to the line it continues. For tests that pin a long message's exact words.
func unwrapped(_ text: String) -> String {
    text.replacing(#/\n  (?=[^ ])/#, with: " ")
}
