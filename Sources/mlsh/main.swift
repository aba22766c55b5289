// main stays synchronous: the REPL must run on the real main thread, where SIGINT arrives
// (a top-level `await` would move it to a Dispatch worker with SIGINT blocked; FOUNDATIONS.md).
import MLShell
#if canImport(Glibc)
import Glibc
#endif

Signals.install()
// Large buffers go straight to mmap and back to the system when freed: loading a file frees
// its parse buffers while it builds the columns, and this keeps the peak near the data's size.
_ = glibcMallopt(-3 /* M_MMAP_THRESHOLD */, 256 * 1024)
_ = glibcMallopt(-1 /* M_TRIM_THRESHOLD */, 1 << 20)
// `mlsh check …` is routed by hand: the root command's optional script argument would
// otherwise take the word "check" as a file name.
let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "check" {
    CheckCommand.main(Array(arguments.dropFirst()))
} else if arguments == ["help", "check"] {
    CheckCommand.main(["--help"])
} else {
    MlshCommand.main()
}

/// glibc's mallopt (malloc.h is not part of Swift's Glibc module).
@_silgen_name("mallopt") func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
