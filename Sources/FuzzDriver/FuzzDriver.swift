// What every fuzz harness shares: under libFuzzer (built with -DFUZZING by scripts/fuzz) the
// driver hands each input to the harness's function; without it, the same function replays the
// files named on the command line (the tests run the committed corpora that way) and says how
// many it read, so a replay that read nothing cannot pass unnoticed.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public typealias FuzzInput = (UnsafePointer<UInt8>, Int) -> Void

/// libFuzzer's callback is a C function and cannot capture: the harness's function waits here.
nonisolated(unsafe) private var harness: FuzzInput?

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                                 _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                                 _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt
#endif

/// Runs `one` over every input: libFuzzer's when fuzzing, the named files otherwise; then
/// `cleanUp` (scratch files), and exits.
public func runFuzzTarget(cleanUp: @escaping @convention(c) () -> Void = {}, _ one: @escaping FuzzInput) -> Never {
    harness = one
    #if FUZZING
    atexit(cleanUp)
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv) { data, count in
        harness?(data, count)
        return 0
    })
    #else
    var replayed = 0
    for path in CommandLine.arguments.dropFirst() {
        guard let bytes = readWholeFile(path) else { continue }
        // An empty file still needs a valid pointer to pass.
        bytes.withUnsafeBufferPointer { b in harness?(b.baseAddress ?? UnsafePointer(bitPattern: 1)!, b.count) }
        replayed += 1
    }
    cleanUp()
    print("replayed \(replayed) inputs")
    exit(0)
    #endif
}

/// A whole file's bytes, or nil when it cannot be read.
public func readWholeFile(_ path: String) -> [UInt8]? {
    guard let f = fopen(path, "rb") else { return nil }
    defer { fclose(f) }
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = fread(&chunk, 1, chunk.count, f)
        if n > 0 { out += chunk[0..<n] }
        if n < chunk.count { break }
    }
    return ferror(f) == 0 ? out : nil
}

/// Writes an input to a scratch file, for readers that take a path.
public func writeScratch(_ bytes: UnsafeBufferPointer<UInt8>, to path: String) -> Bool {
    guard let f = fopen(path, "wb") else { return false }
    let n = bytes.count == 0 ? 0 : fwrite(bytes.baseAddress!, 1, bytes.count, f)
    return fclose(f) == 0 && n == bytes.count
}

/// A scratch file's path for this process: in /dev/shm where there is one (no disk writes).
public func scratchPath(extension ext: String) -> String {
    "\(access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp")/mlsh-fuzz-\(getpid()).\(ext)"
}
