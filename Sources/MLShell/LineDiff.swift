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

    /// One line against a pattern in which `[..]` matches any text. Numbers written with 13 or
    /// more significant digits match when they agree to 12 (the last digits of a full-precision
    /// number differ between the BLAS kernels of different processors); everything else is exact.
    public static func lineMatches(_ pattern: String, _ line: String) -> Bool {
        guard pattern.contains("[..]") else { return pattern == line || numbersAgree(pattern, line) }
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

    static func numbersAgree(_ a: String, _ b: String) -> Bool {
        let x = tokens(a), y = tokens(b)
        guard x.count == y.count else { return false }
        for (s, t) in zip(x, y) where s != t {
            guard significantDigits(s) >= 13, significantDigits(t) >= 13, let u = Double(s), let v = Double(t),
                  abs(u - v) <= 1e-12 * max(abs(u), abs(v)) else { return false }
        }
        return true
    }

    /// The line split into numbers (digits with a sign, point and exponent) and the text between.
    static func tokens(_ s: String) -> [String] {
        var out: [String] = [], current = "", inNumber = false
        let chars = Array(s)
        for (i, c) in chars.enumerated() {
            let digit = c.isASCII && c.isNumber
            let continues = inNumber && (digit || c == "." || ((c == "e" || c == "E") && i + 1 < chars.count && (chars[i + 1].isNumber || chars[i + 1] == "-" || chars[i + 1] == "+"))
                || ((c == "-" || c == "+") && (current.last == "e" || current.last == "E")))
            let starts = !inNumber && (digit || (c == "-" && i + 1 < chars.count && chars[i + 1].isNumber && chars[i + 1].isASCII))
            if continues || (inNumber && digit) {
                current.append(c)
            } else if starts {
                if !current.isEmpty { out.append(current) }
                current = String(c)
                inNumber = true
            } else {
                if inNumber { out.append(current); current = ""; inNumber = false }
                current.append(c)
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    static func significantDigits(_ s: String) -> Int {
        let mantissa = s.split(whereSeparator: { $0 == "e" || $0 == "E" }).first ?? ""
        let digits = mantissa.filter { $0.isNumber }.drop { $0 == "0" }
        return digits.count
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
