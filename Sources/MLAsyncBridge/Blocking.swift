import Dispatch

/// Where the synchronous bridge's own tasks run: threads of their own (a concurrent Dispatch
/// queue), not Swift's cooperative pool, so that a wait does not also need a free thread of the
/// pool to start (a caller blocked on the pool, as a test is, cannot starve it).
public final class DedicatedExecutor: TaskExecutor {
    public static let shared = DedicatedExecutor()
    let queue = DispatchQueue(label: "mlsh.bridge", attributes: .concurrent)

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}

final class ResultBox<T>: @unchecked Sendable {
    // Written by the task before the semaphore is signalled, read after the wait: ordered.
    var result: Result<T, any Error>?
}

/// Runs async work from synchronous code (the REPL's main thread, which is not in the
/// cooperative pool, so blocking it is safe) and waits for its result. `whileWaiting`, when
/// given, is called every `interval` with a function that cancels the work (for Ctrl-C).
public func blocking<T: Sendable>(every interval: DispatchTimeInterval = .milliseconds(50),
                                  whileWaiting: ((_ cancel: () -> Void) -> Void)? = nil,
                                  _ body: @escaping @Sendable () async throws -> T) throws -> T {
    let box = ResultBox<T>(), done = DispatchSemaphore(value: 0)
    let task = Task.detached(executorPreference: DedicatedExecutor.shared) {
        do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
        done.signal()
    }
    if let whileWaiting {
        while done.wait(timeout: .now() + interval) == .timedOut { whileWaiting { task.cancel() } }
    } else {
        done.wait()
    }
    return try box.result!.get()
}
