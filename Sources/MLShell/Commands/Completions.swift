import MLModel
extension HelpCommand {
    static func completions(at index: Int, previous: [String], in session: Session) -> [String] {
        index == 0 ? session.registry.allNames : []
    }
}

extension SetCommand {
    static func completions(at index: Int, previous: [String], in session: Session) -> [String] {
        if index == 1, let setting = SettingSpec.all.first(where: { $0.name == previous[0] }) { return setting.choices }
        return []
    }
}

/// `fit`, `cv` and `search` take the algorithm first.
extension FitCommand {
    static func completions(at index: Int, previous: [String], in session: Session) -> [String] {
        index == 0 ? Algorithm.allCases.map(\.rawValue) : []
    }
}

extension CVCommand {
    static func completions(at index: Int, previous: [String], in session: Session) -> [String] {
        index == 0 ? Algorithm.allCases.map(\.rawValue) : []
    }
}

extension SearchCommand {
    static func completions(at index: Int, previous: [String], in session: Session) -> [String] {
        index == 0 ? Algorithm.allCases.map(\.rawValue) : []
    }
}

/// `plot` takes a kind, or a model's name and then one of its plots.
extension PlotCommand {
    static func completions(at index: Int, previous: [String], in session: Session) -> [String] {
        switch index {
        case 0: return kinds + session.variableNames.filter { session.model(named: $0) != nil }
        case 1 where session.model(named: previous[0]) != nil: return ModelPlots.kinds
        default: return []
        }
    }
}

/// `join A B on KEY … how=…`: datasets first, then the left dataset's columns after `on` (or a
/// comma), then the options.
extension JoinCommand {
    static func completions(at index: Int, previous: [String], in session: Session) -> [String] {
        if index < 2 { return session.datasetNames }
        guard let last = previous.last else { return [] }
        if last == "on" || (last.hasSuffix(",") && previous.contains("on")) {
            return session.dataset(named: previous[0])?.frame.columnNames ?? []
        }
        return index == 2 ? ["on"] : spec.options.map { $0.name + "=" } + ["as"]
    }
}

/// `concat A, B, …`: datasets, then `as`.
extension ConcatCommand {
    static func completions(at index: Int, previous: [String], in session: Session) -> [String] {
        previous.last.map { $0.hasSuffix(",") } ?? true ? session.datasetNames : ["as"]
    }
}
