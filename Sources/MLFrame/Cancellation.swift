/// Ctrl-C for long loops in the modules below the shell (a knn fill, say), which do not know the
/// session: they ask `requested()` between units of work. The binary points it at its SIGINT
/// flag; by default nothing is ever requested.
public enum Cancellation {
    nonisolated(unsafe) public static var requested: @Sendable () -> Bool = { false }
}
