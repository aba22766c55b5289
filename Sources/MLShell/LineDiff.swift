/// Line matching with elision, and unified diffs of the lines that differ.
public enum LineDiff {
    /// True when `actual` matches `expected`, where an expected line `...` stands for any number
    /// of lines and `[..]` inside a line stands for any text.
    public static func matches(expected: [String], actual: [String]) -> Bool {
        var memo: [Int: Bool] = [:]
        func go(_ i: Int, _ j: Int) -> Bool {
            let key = i * (actual.count + 1) + j
            if let m = memo[key] { return m }
            let result: Bool
            if i == expected.count {
                result = j == actual.count
            } else if expected[i] == "..." {
                result = go(i + 1, j) || (j < actual.count && go(i, j + 1))
            } else {
                result = j < actual.count && lineMatches(expected[i], actual[j]) && go(i + 1, j + 1)
            }
            memo[key] = result
            return result
        }
        return go(0, 0)
    }

    /// One line against a pattern in which `[..]` matches any text.
    public static func lineMatches(_ pattern: String, _ line: String) -> Bool {
        guard pattern.contains("[..]") else { return pattern == line }
        let parts = pattern.components(separatedBy: "[..]")
        var rest = Substring(line)
        guard rest.hasPrefix(parts[0]) else { return false }
        rest = rest.dropFirst(parts[0].count)
        for (k, part) in parts.enumerated().dropFirst() {
            if k == parts.count - 1 { return rest.hasSuffix(part) }
            guard let r = rest.firstRange(of: part) else { return false }
            rest = rest[r.upperBound...]
        }
        return true
    }

    /// A unified diff ('-' expected, '+' actual, ' ' both), every line shown: blocks are short.
    public static func unified(expected: [String], actual: [String]) -> [String] {
        let n = expected.count, m = actual.count
        var lcs = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lcs[i][j] = lineMatches(expected[i], actual[j]) ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        var out: [String] = []
        var i = 0, j = 0
        while i < n || j < m {
            if i < n, j < m, lineMatches(expected[i], actual[j]) {
                out.append(" " + actual[j]); i += 1; j += 1
            } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
                out.append("-" + expected[i]); i += 1
            } else {
                out.append("+" + actual[j]); j += 1
            }
        }
        return out
    }
}

extension String {
    func components(separatedBy separator: String) -> [String] {
        var parts: [String] = []
        var rest = Substring(self)
        while let r = rest.firstRange(of: separator) {
            parts.append(String(rest[..<r.lowerBound]))
            rest = rest[r.upperBound...]
        }
        parts.append(String(rest))
        return parts
    }
}
