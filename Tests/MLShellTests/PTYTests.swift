import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The REPL binary on a real pseudo-terminal: what a person at the keyboard sees.
final class PseudoTerminal {
    let master: Int32
    let pid: pid_t
    private(set) var screen = ""

    init(arguments: [String] = [], environment: [String: String], columns: UInt16 = 100) throws {
        // posix_openpt/unlockpt/ptsname are not visible from Swift; these are the ioctls behind them.
        master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        var unlock: Int32 = 0
        var number: UInt32 = 0
        guard master >= 0, ioctl(master, UInt(0x4004_5431) /* TIOCSPTLCK */, &unlock) == 0,
              ioctl(master, UInt(0x8004_5430) /* TIOCGPTN */, &number) == 0 else {
            throw POSIXError(.ENXIO)
        }
        let slavePath = "/dev/pts/\(number)"
        var size = winsize(ws_row: 30, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // The child starts a new session, so opening the terminal makes it the controlling one:
        // then Ctrl-C typed into the terminal sends SIGINT, as it does for a person.
        posix_spawn_file_actions_addopen(&actions, 0, slavePath, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)
        posix_spawn_file_actions_addclose(&actions, master)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(0x80))  // POSIX_SPAWN_SETSID
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(0x80 | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = ([mlshBinary] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var child: pid_t = 0
        let rc = posix_spawn(&child, mlshBinary, &actions, &attributes, argv, envp)
        guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EIO) }
        pid = child
    }

    deinit {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        close(master)
    }

    /// Resizes the window, as dragging a terminal's edge does (the program gets SIGWINCH).
    func resize(columns: UInt16) {
        var size = winsize(ws_row: 30, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)
    }

    /// The lines shown since `from`, escape sequences removed.
    func lines(after from: String.Index) -> [String] {
        var text = ""
        var skipping = false
        for ch in screen[from...].unicodeScalars {
            if skipping { if ch.properties.isAlphabetic { skipping = false } }
            else if ch == "\u{1B}" { skipping = true }
            else if ch != "\r" { text.unicodeScalars.append(ch) }
        }
        return text.split(separator: "\n").map(String.init)
    }

    func send(_ text: String) {
        var bytes = Array(text.utf8)
        _ = write(master, &bytes, bytes.count)
    }

    /// Reads until `text` appears in what the terminal showed since `from`, or the time runs out.
    @discardableResult
    func waitFor(_ text: String, after from: String.Index? = nil, timeout: Double = 10) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let searchFrom = from ?? screen.startIndex
            if screen[searchFrom...].contains(text) { return true }
            var pfd = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            if poll(&pfd, 1, 100) > 0 {
                var buffer = [UInt8](repeating: 0, count: 4096)
                let n = read(master, &buffer, buffer.count)
                if n <= 0 { break }
                screen += String(decoding: buffer[0..<n], as: UTF8.self)
            }
        }
        return screen[(from ?? screen.startIndex)...].contains(text)
    }

    var mark: String.Index { screen.endIndex }

    /// Waits for `text`, then for the prompt drawn after it, then lets the editor settle: keys sent
    /// before the editor reads again are flushed when it takes the terminal back.
    @discardableResult
    func waitForPrompt(after text: String, from: String.Index, timeout: Double = 20) -> Bool {
        guard waitFor(text, after: from, timeout: timeout), let r = screen[from...].range(of: text) else { return false }
        let found = waitFor("mlsh", after: r.upperBound, timeout: timeout)
        settle()
        return found
    }

    /// Lets the program read what was typed and redraw, as a person's pause between keys does.
    func settle() {
        _ = waitFor("\u{0}", timeout: 0.25)
    }

    /// Waits for the process to end; nil when it does not within the timeout.
    func exitStatus(timeout: Double = 10) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                return (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1
            }
            _ = waitFor("\u{0}", timeout: 0.05)  // keep draining the terminal
        }
        return nil
    }
}

@Suite(.serialized) struct PTYTests {
    let history = NSTemporaryDirectory() + "mlsh-pty-history-\(UUID().uuidString)"

    var environment: [String: String] {
        ["TERM": "xterm", "LANG": "C.UTF-8", "HOME": NSTemporaryDirectory(), "MLSH_HISTORY": history, "NO_COLOR": "1",
         "PATH": "/usr/bin:/bin"]
    }

    @Test func completionCtrlCAndCtrlD() throws {
        let t = try PseudoTerminal(environment: environment)
        #expect(t.waitFor("mlsh> "), "no prompt: \(t.screen)")

        // A partial verb and Tab: the verb is completed (libedit redraws with cursor moves,
        // so the test looks at what the completed command printed).
        var m = t.mark
        t.send("pri\t")
        t.settle()
        t.send("6 * 7\r")
        #expect(t.waitFor("42\r\n", after: m), "\(t.screen)")

        // A setting's name completes from the command's spec: `set ti<Tab> on` turns the timer on.
        m = t.mark
        t.send("set ti\t")
        t.settle()
        t.send("on\r")
        t.settle()
        t.send("print 5\r")
        #expect(t.waitFor("time: ", after: m), "\(t.screen)")
        t.send("set timer off\r")

        // Ctrl-C while typing drops the line and keeps the REPL.
        t.settle()
        m = t.mark
        t.send("print 99999")
        t.settle()
        t.send("\u{03}")
        t.settle()
        t.send("print 1 + 1\r")
        #expect(t.waitFor("2\r\n", after: m), "\(t.screen)")
        #expect(!t.screen[m...].contains("99999print"), "\(t.screen)")

        // Ctrl-C during a running command cancels it and returns to the prompt.
        t.send("sleep 30s\r")
        #expect(t.waitFor("sleep 30s", after: m))
        Thread.sleep(forTimeInterval: 0.3)
        m = t.mark
        t.send("\u{03}")
        #expect(t.waitFor("error: interrupted", after: m, timeout: 5), "\(t.screen)")
        #expect(t.waitFor("mlsh> ", after: m))

        // A continuation prompt for an open bracket.
        m = t.mark
        t.send("print [1,\r")
        #expect(t.waitFor("...> ", after: m), "\(t.screen)")
        t.send("2]\r")
        #expect(t.waitFor("[1, 2]", after: m), "\(t.screen)")

        // UTF-8 edits by character: one backspace removes the whole 'é'.
        m = t.mark
        t.send("print \"caf\u{e9}\u{e9}\u{7f}\"\r")
        #expect(t.waitFor("café\r\n", after: m), "\(t.screen)")

        // An error does not end the REPL.
        m = t.mark
        t.send("prnt 1\r")
        #expect(t.waitFor("did you mean 'print'?", after: m))

        // A plot kind completes before the options that share its first letters: `plot sc<Tab>`
        // becomes `plot scatter`, which then runs.
        t.settle()
        m = t.mark
        t.send("load \"\(packageRoot)/tutorials/data/penguins.csv\"\r")
        #expect(t.waitForPrompt(after: "loaded penguins", from: m), "\(t.screen)")
        m = t.mark
        t.send("plot sc\t")
        t.settle()
        t.send("penguins bill_length_mm bill_depth_mm height=5\r")
        #expect(t.waitForPrompt(after: "bill_length_mm\r\n", from: m), "\(t.screen)")
        #expect(!t.screen[m...].contains("error"), "\(t.screen)")

        // Ctrl-D on an empty line exits with status 0.
        t.settle()
        t.send("\u{04}")
        #expect(t.exitStatus() == 0)
    }

    @Test func historyIsKeptAcrossSessions() throws {
        do {
            let t = try PseudoTerminal(environment: environment)
            #expect(t.waitFor("mlsh> "))
            t.send("print 40 + 2\r")
            #expect(t.waitFor("42"))
            t.send("print \"last one\"\r")
            #expect(t.waitFor("last one\r\n"))
            t.settle()
            t.send("quit\r")
            #expect(t.exitStatus() == 0)
        }
        let saved = try String(contentsOfFile: history, encoding: .utf8)
        #expect(saved == "print 40 + 2\nprint \"last one\"\nquit\n")

        let t = try PseudoTerminal(environment: environment)
        #expect(t.waitFor("mlsh> "))
        // Up twice: the entry before 'quit'.
        var m = t.mark
        t.send("\u{1b}[A\u{1b}[A\r")
        #expect(t.waitFor("last one\r\n", after: m), "\(t.screen)")
        // Ctrl-R searches the history.
        #expect(t.waitFor("mlsh> ", after: m))
        t.settle()
        m = t.mark
        t.send("\u{12}40 +")
        Thread.sleep(forTimeInterval: 0.3)
        t.send("\r")
        #expect(t.waitFor("42\r\n", after: m), "\(t.screen)")
        m = t.mark
        t.send("history\r")
        #expect(t.waitFor("3  quit", after: m), "\(t.screen)")  // entries from the earlier session
        t.settle()
        t.send("\u{04}")
        #expect(t.exitStatus() == 0)
    }
    /// A long fit on a terminal shows a live line (iteration and inertia), and Ctrl-C stops it at the
    /// next iteration, keeps the model and says so; the prompt comes back.
    /// With `maxwidth 0` (the default) tables follow the window as it is resized, both ways.
    @Test func widthFollowsTheWindow() throws {
        let t = try PseudoTerminal(environment: environment, columns: 120)
        #expect(t.waitFor("mlsh> "))
        var m = t.mark
        t.send("load \"\(packageRoot)/tutorials/data/penguins.csv\"\r")
        #expect(t.waitForPrompt(after: "loaded penguins", from: m), "\(t.screen)")
        m = t.mark
        t.send("describe\r")
        #expect(t.waitForPrompt(after: "histogram", from: m), "\(t.screen)")
        let wide = t.lines(after: m).map(\.count).max() ?? 0
        #expect(wide > 80 && wide <= 120, "\(t.lines(after: m))")
        t.resize(columns: 60)
        m = t.mark
        t.send("describe\r")
        #expect(t.waitForPrompt(after: "─\r\n", from: m), "\(t.screen)")
        t.settle()
        let narrow = t.lines(after: m).dropFirst()  // the command line as typed
        #expect(!narrow.isEmpty && narrow.allSatisfy { $0.count <= 60 }, "\(narrow)")
        t.resize(columns: 100)
        m = t.mark
        t.send("count penguins by species\r")
        #expect(t.waitForPrompt(after: "3 groups", from: m), "\(t.screen)")
        #expect((t.lines(after: m).map(\.count).max() ?? 0) <= 100)
        t.send("\u{04}")
        #expect(t.exitStatus() == 0)
    }

    @Test func progressLineAndCtrlCDuringAFit() throws {
        let t = try PseudoTerminal(environment: environment)
        #expect(t.waitFor("mlsh> "))
        var m = t.mark
        t.send("load \"\(packageRoot)/tutorials/data/diamonds.csv\"\r")
        #expect(t.waitFor("loaded diamonds", after: m), "\(t.screen)")
        m = t.mark
        t.send("fit kmeans ~ carat + depth + table + x + y + z on diamonds k=60 n_init=500 as km\r")
        #expect(t.waitFor("inertia ", after: m, timeout: 20), "no progress line: \(t.screen)")
        #expect(t.waitFor("(Ctrl-C stops here, keeping the model)", after: m), "\(t.screen)")
        t.send("\u{03}")
        #expect(t.waitForPrompt(after: "stopped early by Ctrl-C", from: m), "\(t.screen)")
        // In cv no model is kept: the live line says what Ctrl-C does there.
        m = t.mark
        t.send("cv mlp price ~ carat + depth on diamonds epochs=100000 folds=2\r")
        #expect(t.waitFor("(Ctrl-C stops cv)", after: m, timeout: 20), "\(t.screen)")
        #expect(!t.screen[m...].contains("keeping the model"), "\(t.screen)")
        t.send("\u{03}")
        #expect(t.waitForPrompt(after: "interrupted", from: m), "\(t.screen)")
        // Ctrl-C also reaches inside a long prediction: k-NN over 26 features (the one-hot
        // categories) searches nearly every training row for each row, a minute or more of work,
        // so the Ctrl-C below always lands inside it (6 features finished in under 0.5 s on CI).
        t.send("encode onehot cut color clarity\r")
        #expect(t.waitForPrompt(after: "clarity_", from: m), "\(t.screen)")
        t.send("fit knn price ~ . on diamonds as near\r")
        #expect(t.waitForPrompt(after: "fitted near", from: m, timeout: 30), "\(t.screen)")
        m = t.mark
        t.send("evaluate near on diamonds\r")
        #expect(t.waitFor("evaluate near on diamonds", after: m))
        Thread.sleep(forTimeInterval: 0.5)
        t.send("\u{03}")
        #expect(t.waitForPrompt(after: "error: interrupted", from: m), "\(t.screen)")
        // The shell reads again: a command typed now runs.
        m = t.mark
        t.send("print 6 * 7\r")
        #expect(t.waitForPrompt(after: "42\r\n", from: m), "\(t.screen)")
        t.send("\u{04}")
        #expect(t.exitStatus() == 0)
    }

    /// A server runs while the prompt stays usable: a client is answered between commands and
    /// during Ctrl-C at the prompt, and leaving the shell stops the server (its port refuses).
    @Test func servingWhileThePromptIsUsed() throws {
        let t = try PseudoTerminal(environment: environment)
        #expect(t.waitFor("mlsh> "))
        var m = t.mark
        t.send("load \"\(packageRoot)/tutorials/data/mtcars.csv\"\r")
        #expect(t.waitFor("loaded mtcars", after: m), "\(t.screen)")
        t.send("fit linear mpg ~ wt + hp on mtcars as m\r")
        m = t.mark
        t.send("serve m port=0\r")
        #expect(t.waitForPrompt(after: "'stop m' stops this one", from: m), "\(t.screen)")
        let shown = String(t.screen[m...])
        let url = try #require(shown.firstRange(of: "http://127.0.0.1:").map { r in
            "http://127.0.0.1:" + shown[r.upperBound...].prefix { $0.isNumber }
        })
        let body = #"{"instances": [{"wt": 2.62, "hp": 110}]}"#
        var answer = try runProgram("/usr/bin/env", ["curl", "-s", url + "/v1/models/m:predict", "-d", body])
        let predicted = try #require((try jsonObject(answer.stdout)["predictions"] as? [Double])?.first)
        #expect(abs(predicted - 23.5723294033088) < 1e-9, "\(answer.stdout)")
        // Ctrl-C at the prompt clears the line; the server goes on.
        t.send("print 1")
        t.send("\u{03}")
        answer = try runProgram("/usr/bin/env", ["curl", "-s", url + "/v2/health/ready"])
        #expect(answer.stdout == #"{"ready":true}"#)
        m = t.mark
        t.send("servers\r")
        #expect(t.waitForPrompt(after: "1 row × 7 columns", from: m), "\(t.screen)")
        t.send("\u{04}")
        #expect(t.exitStatus() == 0)
        answer = try runProgram("/usr/bin/env", ["curl", "-s", "-m", "2", url + "/v2/health/ready"])
        #expect(answer.status == 7, "the server still answers after the shell left: \(answer)")
    }

    /// watch at the prompt: the dashboard on the alternate screen, redrawn; q leaves it, then
    /// Ctrl-C does too, and the prompt reads commands again.
    @Test func watchDashboardLeavesOnQAndCtrlC() throws {
        let t = try PseudoTerminal(environment: environment)
        #expect(t.waitFor("mlsh> "))
        var m = t.mark
        t.send("load \"\(packageRoot)/tutorials/data/mtcars.csv\"; fit linear mpg ~ wt + hp on mtcars as m; serve m port=0 as live\r")
        #expect(t.waitForPrompt(after: "'stop live' stops this one", from: m), "\(t.screen)")
        m = t.mark
        t.send("watch live every=100ms\r")
        #expect(t.waitFor("q or Ctrl-C leaves", after: m), "\(t.screen)")
        #expect(t.screen[m...].contains("\u{1B}[?1049h"), "the dashboard takes the alternate screen")
        #expect(t.screen[m...].contains("no rows answered yet: drift needs traffic"))
        let first = t.mark
        #expect(t.waitFor("q or Ctrl-C leaves", after: first), "redrawn: \(t.screen)")
        t.send("q")
        #expect(t.waitForPrompt(after: "\u{1B}[?1049l", from: m), "\(t.screen)")
        m = t.mark
        t.send("watch live every=100ms\r")
        #expect(t.waitFor("q or Ctrl-C leaves", after: m), "\(t.screen)")
        t.send("\u{03}")
        #expect(t.waitForPrompt(after: "\u{1B}[?1049l", from: m), "\(t.screen)")
        m = t.mark
        t.send("print 6 * 7\r")
        #expect(t.waitForPrompt(after: "42\r\n", from: m), "\(t.screen)")
        t.send("\u{04}")
        #expect(t.exitStatus() == 0)
    }

    /// Ctrl-C during a save stops it, and the old file of the name stays as it was.
    @Test func ctrlCDuringSaveLeavesTheOldFile() throws {
        let file = NSTemporaryDirectory() + "mlsh-pty-save-\(UUID().uuidString).mlsm"
        defer { try? FileManager.default.removeItem(atPath: file) }
        let t = try PseudoTerminal(environment: environment)
        #expect(t.waitFor("mlsh> "))
        var m = t.mark
        t.send("load \"\(packageRoot)/tutorials/data/diamonds.csv\"; fit linear price ~ carat on diamonds as m; save m \"\(file)\"\r")
        #expect(t.waitForPrompt(after: "saved m to", from: m, timeout: 30), "\(t.screen)")
        let before = try Data(contentsOf: URL(fileURLWithPath: file))
        m = t.mark
        // A k-NN model over 26 features: quantizing it measures many slow predictions.
        t.send("encode diamonds onehot [cut, color, clarity]; fit knn price ~ . on diamonds as m\r")
        #expect(t.waitForPrompt(after: "fitted m", from: m, timeout: 120), "\(t.screen)")
        m = t.mark
        t.send("save m \"\(file)\" quantize=int8\r")
        // (The long line echoes wrapped; the save is under way a moment after it is sent.)
        Thread.sleep(forTimeInterval: 1.0)
        t.send("\u{03}")
        #expect(t.waitForPrompt(after: "error: interrupted: nothing was written (\(file) is as it was)", from: m, timeout: 30), "\(t.screen)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == before)
        t.send("\u{04}")
        #expect(t.exitStatus() == 0)
    }
}
