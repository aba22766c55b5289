/// "Did you mean …?" suggestions by edit distance.
public enum Suggest {
    /// The Damerau–Levenshtein (optimal string alignment) distance, case-insensitive.
    public static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a.lowercased()), y = Array(b.lowercased())
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var prev2 = [Int](repeating: 0, count: y.count + 1)
        var prev = Array(0...y.count)
        var cur = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            cur[0] = i
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    cur[j] = min(cur[j], prev2[j - 2] + 1)
                }
            }
            (prev2, prev, cur) = (prev, cur, prev2)
        }
        return prev[y.count]
    }

    /// The candidates near `word`, nearest first. A candidate that starts with the word also counts.
    public static func nearest(_ word: String, in candidates: [String], limit: Int = 3) -> [String] {
        let budget = max(1, min(3, word.count / 3 + 1))
        var scored: [(String, Int)] = []
        for c in Set(candidates) {
            let d = distance(word, c)
            if d <= budget {
                scored.append((c, d))
            } else if word.count >= 3, c.lowercased().hasPrefix(word.lowercased()) {
                scored.append((c, budget + 1))
            }
        }
        scored.sort { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
        return scored.prefix(limit).map(\.0)
    }

    /// "did you mean 'x'?" or "did you mean 'x' or 'y'?", or nil when nothing is near.
    /// Names two candidates only when they are equally near.
    public static func didYouMean(_ word: String, in candidates: [String]) -> String? {
        let near = nearest(word, in: candidates, limit: 2)
        if near.count == 2 && distance(word, near[0]) != distance(word, near[1]) { return phrase([near[0]]) }
        return phrase(near)
    }

    /// "did you mean 'x'?" or "did you mean 'x' or 'y'?" for given suggestions; nil for none.
    public static func phrase(_ near: [String]) -> String? {
        switch near.count {
        case 0: return nil
        case 1: return "did you mean '\(near[0])'?"
        default: return "did you mean '\(near[0])' or '\(near[1])'?"
        }
    }
}
