/// Help screens and the commands reference page, all made from the command specs.
public enum HelpFormatter {
    public static let version = "0.1.0"

    /// `help`: every command, grouped by stage.
    public static func overview(_ registry: CommandRegistry) -> String {
        var out = "mlsh \(version): the machine-learning lifecycle at a prompt\n"
        let width = registry.commands.map { $0.spec.name.count }.max() ?? 8
        for stage in Stage.allCases {
            let commands = registry.commands.filter { $0.spec.stage == stage }
            if commands.isEmpty { continue }
            out += "\n\(stage.rawValue)\n"
            for c in commands {
                let names = c.spec.name.padding(width)
                out += "  \(names)  \(c.spec.abstract)\n"
            }
        }
        out += "\nType 'help VERB' for a command's usage, parameters and examples.\n"
        out += "Expressions, formulas and scripts: docs/language.md\n"
        return out
    }

    /// `help VERB`: usage, what it does, parameters, options and examples.
    public static func command(_ spec: CommandSpec) -> String {
        var out = "\(spec.name): \(spec.abstract)\n\nusage: \(spec.usage)\n"
        if !spec.aliases.isEmpty {
            out += "also: \(spec.aliases.joined(separator: ", "))\n"
        }
        if let d = spec.discussion {
            out += "\n\(d)\n"
        }
        let rows: [(String, String)] = spec.parameters.map { p in
            let label = p.kind == .flag ? (p.keyword ?? p.name) : (p.keyword.map { "\($0) \(p.name)" } ?? p.name)
            return (label, p.help + (p.optional && p.kind != .flag ? " (optional)" : ""))
        } + (spec.freeOptions.map { [($0.usage, $0.help)] } ?? [])
        if !rows.isEmpty {
            out += "\nparameters:\n" + table(rows)
        }
        if !spec.options.isEmpty {
            let optionRows = spec.options.map { o in
                ("\(o.name)=\(o.placeholder ?? o.kind.placeholder)", o.help + (o.defaultText.map { " (default: \($0))" } ?? ""))
            }
            out += "\noptions:\n" + table(optionRows)
        }
        if !spec.binds.isEmpty {
            out += "\nbinds: as \(spec.binds.joined(separator: " "))\n"
        }
        if !spec.examples.isEmpty {
            out += "\nexamples:\n"
            for e in spec.examples {
                out += "  \(e.command)" + (e.comment.map { "    # \($0)" } ?? "") + "\n"
            }
        }
        return out
    }

    static func table(_ rows: [(String, String)]) -> String {
        let width = rows.map { $0.0.count }.max() ?? 0
        return rows.map { "  \($0.0.padding(width))  \($0.1)\n" }.joined()
    }

    /// docs/commands.md: every command's help, as Markdown. A test keeps the file equal to this.
    public static func markdown(_ registry: CommandRegistry) -> String {
        var out = "# mlsh commands\n\nThis page is generated from each command's spec (`mlsh` prints the same with `help VERB`).\n"
        out += "A test fails when it drifts; regenerate it with `RECORD_SNAPSHOTS=1 scripts/test`.\n"
        for stage in Stage.allCases {
            let commands = registry.commands.filter { $0.spec.stage == stage }
            if commands.isEmpty { continue }
            out += "\n## \(stage.rawValue)\n"
            for c in commands {
                out += "\n### \(c.spec.name)\n\n```\n" + command(c.spec) + "```\n"
            }
        }
        return out
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
