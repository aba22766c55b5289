/// One result slot per piece of parallel work, each written by one worker: raw memory, so the
/// workers share no array (a Swift array written from two threads is a data race).
public final class WorkerSlots<T>: @unchecked Sendable {
    public let values: UnsafeMutableBufferPointer<T>

    public init(_ n: Int, _ initial: T) {
        values = .allocate(capacity: max(1, n))
        values.initialize(repeating: initial)
    }

    deinit {
        _ = values.deinitialize()
        values.deallocate()
    }
}
