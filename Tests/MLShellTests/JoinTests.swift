import Foundation
import MLFrame
@testable import MLShell
import Testing

/// join, concat and the group aggregates against pandas (Tests/Fixtures/join, made by
/// scripts/expected/make_join_expected.py): tables with missing keys, repeated keys on both
/// sides, a non-key column both have, and ids that are whole numbers in mlsh and floats in pandas.
@Suite struct JoinTests {
    static let folder = packageRoot + "/Tests/Fixtures/join/"

    static func expected() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "expected.json"))) as! [String: Any]
    }

    /// A cell as a comparable value: a number, a text, or nil (missing).
    enum Cell: Equatable, Comparable, CustomStringConvertible {
        case missing, number(Double), text(String)
        var description: String {
            switch self { case .missing: return "NA"; case .number(let d): return String(d); case .text(let s): return s }
        }
        static func < (a: Cell, b: Cell) -> Bool { a.description < b.description }
        static func == (a: Cell, b: Cell) -> Bool {
            switch (a, b) {
            case (.missing, .missing): return true
            case (.number(let x), .number(let y)): return abs(x - y) <= 1e-9 * max(1, abs(x))
            case (.text(let x), .text(let y)): return x == y
            default: return false
            }
        }
    }

    static func rows(_ f: Frame) -> [[Cell]] {
        (0..<f.rowCount).map { r in f.columns.map { c in
            guard c.isValid(r) else { return .missing }
            if c.type.isNumeric || c.type == .bool, let d = c.double(r) { return d.isNaN ? .missing : .number(d) }
            return .text(c.text(r)!)
        } }
    }

    static func rows(_ json: Any) -> [[Cell]] {
        (json as! [[Any]]).map { row in row.map { v in
            if v is NSNull { return .missing }
            if let s = v as? String { return .text(s) }
            return .number((v as! NSNumber).doubleValue)
        } }
    }

    func check(_ got: Frame, _ want: [String: Any], sorted: Bool, _ what: String) {
        #expect(got.columnNames == want["columns"] as! [String], "\(what): columns")
        var a = Self.rows(got), b = Self.rows(want["rows"]!)
        #expect(a.count == b.count, "\(what): \(a.count) rows vs pandas' \(b.count)")
        guard a.count == b.count else { return }
        if sorted {
            a.sort { $0.lexicographicallyPrecedes($1) }
            b.sort { $0.lexicographicallyPrecedes($1) }
        }
        for (i, (x, y)) in zip(a, b).enumerated() { #expect(x == y, "\(what) row \(i): \(x) vs \(y)") }
    }

    @Test func joinsAsPandasMerges() throws {
        let want = try Self.expected()["cases"] as! [String: Any]
        let (s, _) = recordingSession()
        _ = run("""
            load "\(Self.folder)left.csv" as left
            load "\(Self.folder)right.csv" as right
            """, in: s)
        for (name, expected) in want {
            let parts = name.split(separator: " ", maxSplits: 2).map(String.init)
            let keys = parts[2].contains("=") ? parts[2] : parts[2].split(separator: ",").joined(separator: ", ")
            let out = run("join left right on \(keys) how=\(parts[0]) suffix=\"_right\" as r", in: s)
            let r = try #require(s.dataset(named: "r"), "\(name): \(out)")
            // pandas sorts an outer join's keys; every other order is the left's (right's) and is kept.
            check(r.frame, expected as! [String: Any], sorted: parts[0] == "outer", name)
            _ = run("vars", in: s)
        }
    }

    @Test func concatAndAggregatesAsPandas() throws {
        let want = try Self.expected()
        let (s, _) = recordingSession()
        let out = run("""
            load "\(Self.folder)left.csv" as left
            load "\(Self.folder)more.csv" as more
            concat left, more as c
            group left by code summarize n=count(), q=quantile(x, 0.3), med=median(x), v=var(x), s=std(x), nd=n_distinct(id), f=first(id), l=last(id), lo=min(n), hi=max(n), sum=sum(n) as g
            group left summarize n=count(), q=quantile(x, 0.75), nd=n_distinct(code), v=var(n) as whole
            """, in: s)
        check(try #require(s.dataset(named: "c"), "\(out)").frame, want["concat"] as! [String: Any], sorted: false, "concat")
        #expect(out.replacingOccurrences(of: "\n  ", with: " ").contains("note: missing where a dataset lacks the column: 'n' (not in more), 'extra' (not in left)"), "\(out)")
        check(try #require(s.dataset(named: "g")).frame, want["group"] as! [String: Any], sorted: false, "group")
        let whole = try #require(s.dataset(named: "whole")).frame, w = want["group_whole"] as! [String: Double]
        #expect(whole.rowCount == 1)
        for (k, v) in w { #expect(abs(whole.column(k)!.double(0)! - v) <= 1e-9 * max(1, abs(v)), "\(k)") }
    }

    /// pivot as pandas' pivot_table (rows=id, cols=code, values=x) for four aggregates, and
    /// unpivot as melt.
    @Test func pivotAndUnpivotAsPandas() throws {
        let want = try Self.expected()
        let (s, _) = recordingSession()
        _ = run("load \"\(Self.folder)left.csv\" as left", in: s)
        for (agg, expected) in want["pivot"] as! [String: Any] {
            let out = run("pivot left rows=id cols=code values=x agg=\(agg) as p", in: s)
            check(try #require(s.dataset(named: "p"), "\(out)").frame, expected as! [String: Any], sorted: false, "pivot agg=\(agg)")
        }
        let out = run("select left code, x, n as slim\nunpivot slim keep=[code] as long", in: s)
        check(try #require(s.dataset(named: "long"), "\(out)").frame, want["melt"] as! [String: Any], sorted: false, "unpivot")
        let mixed = run("unpivot left keep=[id]", in: s)
        #expect(mixed.contains("error: the columns to stack mix kinds: code (string), x (float64), n (int64)"), "\(mixed)")
    }

    /// What a break-test found: keys far apart, a suffixed name a column already has, two new
    /// columns of one name, an empty table's whole-table group, a join that would not fit, a
    /// mistyped option, and steps frozen into combined rows.
    @Test func edgesFoundInReview() throws {
        let dir = NSTemporaryDirectory() + "mlsh-join-edges-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "k,v\n5000000000000000000,a\n".write(toFile: dir + "/far1.csv", atomically: true, encoding: .utf8)
        try "k,w\n-5000000000000000000,b\n".write(toFile: dir + "/far2.csv", atomically: true, encoding: .utf8)
        try "id,name\n1,a\n".write(toFile: dir + "/s1.csv", atomically: true, encoding: .utf8)
        try "id,name,name_s2\n1,A,x\n".write(toFile: dir + "/s2.csv", atomically: true, encoding: .utf8)
        try "g,x\n".write(toFile: dir + "/empty.csv", atomically: true, encoding: .utf8)
        try "g,d\na,2024-01-31\na,2023-05-01\nb,\nb,2025-12-24\n".write(toFile: dir + "/dates.csv", atomically: true, encoding: .utf8)
        try ("g\n" + String(repeating: "1\n", count: 15_000)).write(toFile: dir + "/same.csv", atomically: true, encoding: .utf8)
        let (s, _) = recordingSession()
        _ = run("""
            load "\(dir)/far1.csv" as far1
            load "\(dir)/far2.csv" as far2
            load "\(dir)/s1.csv" as s1
            load "\(dir)/s2.csv" as s2
            load "\(dir)/empty.csv" as empty
            load "\(dir)/same.csv" as same
            load "\(dir)/dates.csv" as dates
            load "\(packageRoot)/tutorials/data/penguins.csv"
            """, in: s)
        let cases: [(String, String)] = [
            ("join far1 far2 on k", "far1_far2: joined far1 and far2 (inner): 0 rows × 3 columns\n"),
            ("join s1 s2 on id", "error: s1 and s2 both have 'name', and 'name_s2' is taken too\n"),
            ("unpivot s2 keep=[id] name=\"v\" value=\"v\"", "error: name= and value= are both 'v'; the two new columns need two names\n"),
            ("group empty summarize n=count(), m=mean(x)", "│ 1 group of 0 rows"),
            ("join same same on g", "error: the join would make 225000000 rows: keys repeat on both sides (1 key in same, 1 key in same)\n"),
            ("group dates by g summarize lo=min(d), hi=max(d)", "│ a      │ 2023-05-01 │ 2024-01-31 │"),
            ("group dates by g summarize lo=min(d)", "│ string │ date       │"),
            ("join s1 s2 on id hw=left", "error: 'hw' is neither an option of join nor a column of s1\n"),
            ("scale penguins zscore body_mass_g\njoin penguins s1 on year = id how=left as frozen",
             "note: the column step of penguins (scale penguins zscore body_mass_g) is applied in these rows, not carried"),
        ]
        for (line, expected) in cases {
            let out = run(line, in: s).replacingOccurrences(of: "\n  ", with: " ")
            #expect(out.contains(expected), "\(line)\n\(out)")
        }
        let empty = try #require(s.dataset(named: "empty")).frame
        #expect(empty.rowCount == 0)
    }

    @Test func joinErrorsSayWhatToDo() {
        let (s, _) = recordingSession()
        _ = run("""
            load "\(Self.folder)left.csv" as left
            load "\(Self.folder)right.csv" as right
            """, in: s)
        let cases: [(String, String)] = [
            ("join left right on id = label", "error: the keys differ in kind: left.id is int64, right.label is string\n"),
            ("join left right on id validate=one_to_one", "error: validate=one_to_one: 1 key appears more than once in left (2 rows)\n"),
            ("join left right on id how=sideways", "error: 'join' expects one of inner, left, right, outer, semi, anti for option 'how', got 'sideways'\n"),
            ("join left right on idd", "error: no column 'idd' in left\n"),
            ("join left right", "error: join needs its keys: on KEY, or on a_id = b_id\n"),
            ("join left right on id", "note: 1 key appears more than once in right (2 rows): each match repeats a row of left\n"),
            ("join left right on id", "note: 1 row of left has a missing key; a missing key matches a missing key\n"),
            ("concat left, nothing", "error: no dataset named 'nothing'\n"),
            ("concat left", "error: concat needs two datasets or more: concat A, B\n"),
        ]
        for (line, expected) in cases {
            // Long messages wrap at 80 columns: compared as one line.
            let out = run(line, in: s).replacingOccurrences(of: "\n  ", with: " ")
            #expect(out.contains(expected), "\(line)\n\(out)")
        }
    }
}
