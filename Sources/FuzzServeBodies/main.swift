// The serving protocols' body decoders under libFuzzer (scripts/fuzz serve SECONDS), and the same
// inputs replayed without it (`FuzzServeBodies FILE…`, which the tests run over the committed
// corpus).
//
// Every request is decoded for one fixed model, Tests/Fuzz/serve-model.mlsm (the penguins
// classifier of tutorial 06: a recipe that fills and one-hot encodes, a text input and two
// numbers), read once at start from the folder the harness runs in (the package root). The
// first byte of an input chooses the decoder; the rest is the body:
//   0: Open Inference (V2) JSON;  1: V2 with binary tensors (the next 2 bytes are the JSON
//   header's length);  2: KServe V1;  3: MLflow JSON;  4: MLflow CSV.
// A body that decodes goes through the model (BatchPredictor, the server's one path) and its
// answer is encoded, so a crash anywhere from the bytes to the answer is a finding; a refusal
// (ServeError, a 4xx) is the expected answer to a bad body.
import FuzzDriver
import MLModel
import MLServeProtocol
#if canImport(Glibc)
import Glibc
#endif

let modelPath = "Tests/Fuzz/serve-model.mlsm"
let model: Model = {
    do {
        return try ModelFile.load(modelPath).model
    } catch {
        let message = "FuzzServeBodies: cannot read \(modelPath) (run from the package root): \(error)\n"
        _ = message.withCString { write(2, $0, strlen($0)) }
        exit(2)
    }
}()

func answer(_ batch: InferenceBatch) throws(ServeError) -> [UInt8] {
    let answers = try BatchPredictor.predict(batch, model: model, engine: .none, interrupted: { false })
    return KServeV1.encode(answers)
}

func readOne(_ data: UnsafePointer<UInt8>, _ count: Int) {
    guard count > 0 else { return }
    let choice = data[0] % 5
    var body = Array(UnsafeBufferPointer(start: data + 1, count: count - 1))
    do throws(ServeError) {
        switch choice {
        case 0, 1:
            var jsonLength: Int? = nil
            if choice == 1 {
                guard body.count >= 2 else { return }
                jsonLength = Int(body[0]) | Int(body[1]) << 8
                body.removeFirst(2)
            }
            let request = try OpenInference.decode(body, model: model, jsonLength: jsonLength)
            let answers = try BatchPredictor.predict(request.batch, model: model, engine: .none, interrupted: { false })
            _ = OpenInference.encode(answers, model: model, id: request.id, outputs: request.outputs)
        case 2:
            _ = try answer(try KServeV1.decode(body, model: model))
        case 3:
            _ = try answer(try MLflowScoring.decode(body, contentType: .json, model: model))
        default:
            _ = try answer(try MLflowScoring.decode(body, contentType: .csv, model: model))
        }
    } catch {
        _ = JSONWriter.error(error.message)
    }
}

_ = model
runFuzzTarget(readOne)
