// The model-file decoder under libFuzzer (scripts/fuzz modelfile SECONDS), and the same inputs
// replayed without it (`FuzzModelFile FILE…`, which the tests run over the committed corpus).
//
// The first byte of an input chooses what it is, so that mutations reach past the checksum:
//   0: a whole file, as it is;
//   1: a file without its trailer: the harness appends a valid SHA-256 and "unsigned";
//   2: a payload (model JSON and tensors), decoded directly.
import Crypto
import MLModel
#if canImport(Glibc)
import Glibc
#endif

func decodeOne(_ data: UnsafePointer<UInt8>, _ count: Int) {
    guard count > 0 else { return }
    let body = Array(UnsafeBufferPointer(start: data + 1, count: count - 1))
    switch data[0] % 3 {
    case 0: _ = try? ModelFile.decode(body)
    case 1: _ = try? ModelFile.decode(body + Array(SHA256.hash(data: body)) + [0])
    default: _ = try? ModelFile.decodePayload(body)
    }
}

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt
var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, count in
    decodeOne(data, count)
    return 0
})
#else
var replayed = 0
for path in CommandLine.arguments.dropFirst() {
    guard let bytes = try? AtomicFile.read(path) else { continue }
    bytes.withUnsafeBufferPointer { b in decodeOne(b.baseAddress ?? UnsafePointer(bitPattern: 1)!, b.count) }
    replayed += 1
}
print("replayed \(replayed) inputs")
#endif
