import MLDiagnostics
import MLRender

/// The session's settings, changed with `set OPTION VALUE`.
public struct Settings: Sendable {
    public enum ColorMode: String, Sendable { case auto, on, off }

    /// Every split, initialisation and shuffle is seeded from this.
    public var seed: UInt64 = 42
    /// Tables longer than this show head and tail.
    public var maxrows: Int = 40
    /// The width tables and plots use; 0 means the terminal's.
    public var maxwidth: Int = 0
    public var color: ColorMode = .auto
    /// Print each command's elapsed time.
    public var timer = false
    /// Print each command before running it (useful in scripts).
    public var echo = false
    /// How tables are drawn.
    public var table: TableMode = .box

    public init() {}
}

/// One setting: its name, what it takes, and how to read and write it.
struct SettingSpec: Sendable {
    let name: String
    let values: String
    let help: String
    let choices: [String]
    let get: @Sendable (Settings) -> String
    let set: @Sendable (inout Settings, Value) -> String?  // returns an error message, or nil

    static let all: [SettingSpec] = [
        SettingSpec(name: "seed", values: "N", help: "seed for every split, initialisation and shuffle", choices: [],
                    get: { String($0.seed) },
                    set: { s, v in
                        guard case .number(let d) = v, d >= 0, d == d.rounded(), d < 1.8e19 else { return "a whole number ≥ 0" }
                        s.seed = UInt64(d); return nil
                    }),
        SettingSpec(name: "maxrows", values: "N", help: "rows a table shows before it shows head and tail", choices: [],
                    get: { String($0.maxrows) },
                    set: { s, v in
                        guard case .number(let d) = v, d >= 1, d == d.rounded(), d <= 1e9 else { return "a whole number ≥ 1" }
                        s.maxrows = Int(d); return nil
                    }),
        SettingSpec(name: "maxwidth", values: "N", help: "width of tables and plots in columns; 0 follows the terminal", choices: [],
                    get: { String($0.maxwidth) },
                    set: { s, v in
                        guard case .number(let d) = v, d == 0 || (d >= 40 && d <= 1000), d == d.rounded() else { return "0 (the terminal's width) or a whole number from 40 to 1000" }
                        s.maxwidth = Int(d); return nil
                    }),
        SettingSpec(name: "color", values: "auto|on|off", help: "colour: auto uses it on a terminal without NO_COLOR", choices: ["auto", "on", "off"],
                    get: { $0.color.rawValue },
                    set: { s, v in
                        guard let mode = Settings.ColorMode(rawValue: v.word ?? "") else { return "auto, on or off" }
                        s.color = mode; return nil
                    }),
        SettingSpec(name: "timer", values: "on|off", help: "print each command's elapsed time", choices: ["on", "off"],
                    get: { $0.timer ? "on" : "off" },
                    set: { s, v in
                        guard let b = v.onOff else { return "on or off" }
                        s.timer = b; return nil
                    }),
        SettingSpec(name: "echo", values: "on|off", help: "print each command before it runs", choices: ["on", "off"],
                    get: { $0.echo ? "on" : "off" },
                    set: { s, v in
                        guard let b = v.onOff else { return "on or off" }
                        s.echo = b; return nil
                    }),
        SettingSpec(name: "table", values: "box|markdown|csv|json", help: "how tables are drawn",
                    choices: TableMode.allCases.map(\.rawValue),
                    get: { $0.table.rawValue },
                    set: { s, v in
                        guard let mode = TableMode(rawValue: v.word ?? "") else { return "box, markdown, csv or json" }
                        s.table = mode; return nil
                    }),
    ]
}

extension Value {
    /// A bare word given as a setting's value (`on`, `auto`), carried as a string.
    var word: String? {
        if case .string(let s) = self { return s }
        if case .bool(let b) = self { return b ? "true" : "false" }
        return nil
    }

    var onOff: Bool? {
        switch word {
        case "on", "true", "yes": return true
        case "off", "false", "no": return false
        default: return nil
        }
    }
}
