// The model-file decoder under libFuzzer (scripts/fuzz modelfile SECONDS), and the same inputs
// replayed without it (`FuzzModelFile FILE…`, which the tests run over the committed corpus).
//
// The first byte of an input chooses what it is, so that mutations reach past the checksum:
//   0: a whole file, as it is;
//   1: a file without its trailer: the harness appends a valid SHA-256 and "unsigned";
//   2: a payload (model JSON and tensors), decoded directly.
import Crypto
import FuzzDriver
import MLModel

func decodeOne(_ data: UnsafePointer<UInt8>, _ count: Int) {
    guard count > 0 else { return }
    let body = Array(UnsafeBufferPointer(start: data + 1, count: count - 1))
    switch data[0] % 3 {
    case 0: _ = try? ModelFile.decode(body)
    case 1: _ = try? ModelFile.decode(body + Array(SHA256.hash(data: body)) + [0])
    default: _ = try? ModelFile.decodePayload(body)
    }
}

runFuzzTarget(decodeOne)
