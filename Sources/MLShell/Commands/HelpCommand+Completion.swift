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
