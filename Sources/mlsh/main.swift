// main stays synchronous: the REPL must run on the real main thread, where SIGINT arrives
// (a top-level `await` would move it to a Dispatch worker with SIGINT blocked; FOUNDATIONS.md).
import MLShell
#if canImport(Glibc)
import Glibc
#endif

Signals.install()
// `mlsh check …` (and render, serve) is routed by hand: the root command's optional script argument would
// otherwise take the word "check" as a file name.
let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "check" {
    CheckCommand.main(Array(arguments.dropFirst()))
} else if arguments == ["help", "check"] {
    CheckCommand.main(["--help"])
} else if arguments.first == "render" {
    RenderCommandLine.main(Array(arguments.dropFirst()))
} else if arguments == ["help", "render"] {
    RenderCommandLine.main(["--help"])
} else if arguments.first == "serve" {
    ServeCommandLine.main(Array(arguments.dropFirst()))
} else {
    MlshCommand.main()
}

