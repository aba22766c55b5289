/// "1 row", "344 rows", "2 classes", "3 categories": a count with its noun, for messages.
public func plural(_ n: Int, _ word: String) -> String {
    if n == 1 { return "1 \(word)" }
    if word.hasSuffix("s") || word.hasSuffix("x") { return "\(n) \(word)es" }
    if word.hasSuffix("y"), let before = word.dropLast().last, !"aeiou".contains(before) { return "\(n) \(word.dropLast())ies" }
    return "\(n) \(word)s"
}
