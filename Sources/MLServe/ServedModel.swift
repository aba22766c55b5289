import MLModel
import MLServeProtocol
import Synchronization

/// A model as a server holds it: under the name its URLs use, with its signature worked out once.
public struct ServedModel: Sendable {
    public var name: String
    public var model: Model
    public var signature: ModelSignature
    /// The raw inputs the model reads (worked out from its recipe once, not per request).
    public var usedInputs: [InputColumn]
    /// How long reading (or handing over) the model took, for `/metrics`.
    public var loadSeconds: Double

    public init(name: String, model: Model, loadSeconds: Double = 0) {
        self.name = name
        var m = model
        m.name = name
        self.model = m
        self.signature = ModelSignature(m)
        self.usedInputs = m.usedInputs
        self.loadSeconds = loadSeconds
    }
}

/// The models a server answers for, by name. A swap replaces a slot under the lock; a request
/// takes its model out of the lock first, so a request under way finishes on the model it began
/// with and no request is dropped.
public final class ModelStore: Sendable {
    let slots: Mutex<[ServedModel]>

    public init(_ models: [ServedModel]) { slots = Mutex(models) }

    public var names: [String] { slots.withLock { $0.map(\.name) } }
    public var all: [ServedModel] { slots.withLock { $0 } }
    public var first: ServedModel? { slots.withLock { $0.first } }

    public func model(_ name: String) -> ServedModel? {
        slots.withLock { $0.first { $0.name == name } }
    }

    /// Puts `model` in the slot `name` (its URL name stays); false when there is no such slot.
    public func replace(_ name: String, with model: ServedModel) -> Bool {
        slots.withLock { slots in
            guard let k = slots.firstIndex(where: { $0.name == name }) else { return false }
            slots[k] = model
            return true
        }
    }
}
