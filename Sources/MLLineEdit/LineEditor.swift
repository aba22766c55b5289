import CEdit
#if canImport(Glibc)
import Glibc
#endif

/// What one read from the prompt gave.
public enum ReadResult: Equatable, Sendable {
    case line(String)
    /// Ctrl-C: the typed text is dropped.
    case interrupted
    /// Ctrl-D on an empty line.
    case eof
}

/// The libedit line editor: emacs keys, history (Up/Down, Ctrl-R), Tab completion.
/// One thread only: it lives on the main thread, where SIGINT is delivered.
public final class LineEditor {
    /// Given the line and the cursor's byte offset: where the word being completed starts, and the candidates.
    public typealias Completer = (_ line: String, _ cursor: Int) -> (start: Int, candidates: [String])

    private let el: OpaquePointer
    private let hist: OpaquePointer
    private var promptC: UnsafeMutablePointer<CChar>
    private let completer: Completer

    /// Nil when standard input is not a terminal: the caller then reads lines plainly.
    public init?(program: String, history: [String], completer: @escaping Completer) {
        guard isatty(STDIN_FILENO) != 0, isatty(STDOUT_FILENO) != 0 else { return nil }
        // Without a UTF-8 LC_CTYPE libedit edits multibyte characters byte by byte.
        if let loc = setlocale(LC_CTYPE, ""), String(cString: loc).uppercased().contains("UTF") {
        } else {
            _ = setlocale(LC_CTYPE, "C.UTF-8")
        }
        guard let e = shim_el_init(program), let h = history_init() else { return nil }
        el = e
        hist = h
        promptC = strdup("> ")
        self.completer = completer
        shim_history_setsize(hist, 5000)
        shim_history_setunique(hist, 1)
        for entry in history { shim_history_enter(hist, entry) }
        shim_el_set_editor(el, "emacs")
        shim_el_set_signal(el, 1)
        shim_el_set_hist(el, hist)
        shim_el_set_clientdata(el, Unmanaged.passUnretained(self).toOpaque())
        shim_el_set_prompt(el) { e in
            guard let editor = LineEditor.from(e) else { return nil }
            return UnsafePointer(editor.promptC)
        }
        shim_el_addfn(el, "mlsh-complete", "complete the word before the cursor") { e, _ in
            LineEditor.from(e)?.complete(e!) ?? UInt8(CC_ERROR)
        }
        shim_el_bind(el, "^I", "mlsh-complete")
        shim_el_bind(el, "^R", "em-inc-search-prev")
        el_source(el, nil)  // the user's ~/.editrc, if any
    }

    deinit {
        el_end(el)
        history_end(hist)
        free(promptC)
    }

    static func from(_ e: OpaquePointer?) -> LineEditor? {
        guard let e, let data = shim_el_get_clientdata(e) else { return nil }
        return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue()
    }

    /// Reads one line with the given prompt; `prefill` is put on the line first, as if typed, for
    /// the user to run or edit (`step`).
    public func readLine(prompt: String, prefill: String? = nil) -> ReadResult {
        free(promptC)
        promptC = strdup(prompt)
        if let prefill, !prefill.isEmpty { el_push(el, prefill) }
        var count: Int32 = 0
        let p = el_gets(el, &count)
        if count < 0 { return .interrupted }  // EINTR: SIGINT arrived while reading
        guard let p, count > 0 else { return .eof }
        var s = String(cString: p)
        while let last = s.unicodeScalars.last, last == "\n" || last == "\r" { s.unicodeScalars.removeLast() }
        return .line(s)
    }

    /// Adds an entry to the in-memory history (Up recalls it).
    public func addHistory(_ entry: String) {
        shim_history_enter(hist, entry)
    }

    private func complete(_ e: OpaquePointer) -> UInt8 {
        guard let info = el_line(e)?.pointee else { return UInt8(CC_ERROR) }
        let length = info.lastchar - info.buffer
        let cursor = info.cursor - info.buffer
        let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(info.buffer).assumingMemoryBound(to: UInt8.self), count: length)
        let line = String(decoding: bytes, as: UTF8.self)
        let (start, candidates) = completer(line, cursor)
        guard !candidates.isEmpty else { return UInt8(CC_REFRESH_BEEP) }
        let typed = String(decoding: bytes[start..<cursor], as: UTF8.self)
        let common = LineEditor.commonPrefix(candidates)
        if candidates.count == 1 {
            let c = candidates[0]
            var insert = String(c.dropFirst(typed.count))
            if !c.hasSuffix("=") && !c.hasSuffix("/") { insert += " " }
            if !insert.isEmpty { el_insertstr(e, insert) }
            return UInt8(CC_REFRESH)
        }
        if common.count > typed.count {
            el_insertstr(e, String(common.dropFirst(typed.count)))
            return UInt8(CC_REFRESH)
        }
        // Several candidates and nothing more in common: list them in columns, then redraw the line.
        let width = (candidates.map(\.count).max() ?? 0) + 2
        var ws = winsize()
        let columns = ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &ws) == 0 && ws.ws_col > 0 ? Int(ws.ws_col) : 80
        let perLine = max(1, columns / width)
        var out = "\n"
        for (i, c) in candidates.enumerated() {
            out += c + String(repeating: " ", count: width - c.count)
            if (i + 1) % perLine == 0 || i == candidates.count - 1 { out += "\n" }
        }
        var text = out
        text.withUTF8 { _ = write(STDOUT_FILENO, $0.baseAddress, $0.count) }
        return UInt8(CC_REDISPLAY)
    }

    static func commonPrefix(_ words: [String]) -> String {
        guard var prefix = words.first else { return "" }
        for w in words.dropFirst() {
            while !w.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }
}
