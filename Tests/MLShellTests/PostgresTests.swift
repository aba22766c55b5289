import Foundation
import MLFrame
@testable import MLShell
import Testing

/// A real PostgreSQL server for the tests: the one scripts/test started (MLSH_PG_TEST_URL), or
/// one started here with scripts/pg-test-server (Debian's PostgreSQL, as an unprivileged user, on
/// a free port and a private socket folder) and stopped when the test ends.
func withPostgres(_ body: (String) throws -> Void) throws {
    if let url = ProcessInfo.processInfo.environment["MLSH_PG_TEST_URL"], !url.isEmpty {
        try body(url)
        return
    }
    let dir = "/tmp/mlsh-pg-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    // The server outlives the script, and Foundation's Process then misses the script's exit (seen
    // here: a zombie never reaped), so the script runs under system(), its output to a file.
    let script = packageRoot + "/scripts/pg-test-server"
    let status = system("'\(script)' start '\(dir)' > '\(dir).out' 2>&1 < /dev/null")
    defer { _ = system("'\(script)' stop '\(dir)' > /dev/null 2>&1; rm -f '\(dir).out'") }
    let out = (try? String(contentsOfFile: dir + ".out", encoding: .utf8)) ?? ""
    let url = out.split(separator: "\n").last.map(String.init) ?? ""
    try #require(status == 0 && url.hasPrefix("postgresql://"), "pg-test-server: \(out)")
    try body(url)
}

/// psql against the test server: the text it prints, unaligned, one row a line, fields split by |.
func psql(_ url: String, _ sql: String) throws -> String {
    let r = try runProgram("/usr/bin/env", ["psql", url, "-X", "-q", "-A", "-t", "-F", "|", "-v", "ON_ERROR_STOP=1", "-c", sql])
    #expect(r.status == 0, "psql: \(r.stderr)")
    return r.stdout
}

/// Each column's name and type, then every row's cells as text (∅ for missing), the rows sorted: a
/// table has no order of its own, so two frames with the same rows compare equal in any order and
/// whatever their string dictionaries' order.
func cells(_ f: Frame) -> [String] {
    let header = f.columns.map { "\($0.name):\($0.type.rawValue)" }.joined(separator: "|")
    let rows = (0..<f.rowCount).map { r in f.columns.map { $0.text(r) ?? "∅" }.joined(separator: "|") }.sorted()
    return [header] + rows
}

/// The first line where two such listings differ, for a short failure message.
func firstDifference(_ a: [String], _ b: [String]) -> String {
    if a.count != b.count { return "\(a.count) lines vs \(b.count)" }
    for (x, y) in zip(a, b) where x != y { return "\(x)  vs  \(y)" }
    return "none"
}

@Suite(.serialized) struct PostgresTests {
    /// The shipped data sets, written to PostgreSQL and read back, equal the CSV as loaded: same
    /// columns, types, values and missing cells.
    @Test func tablesReadBackAsTheirCSV() throws {
        try withPostgres { url in
            let (session, _) = recordingSession()
            for name in ["penguins", "titanic", "airquality", "mtcars", "iris", "cars", "diamonds"] {
                let out = run("""
                    load "tutorials/data/\(name).csv" as csv_\(name)
                    write csv_\(name) "\(url)" table=\(name) mode=replace
                    load "\(url)" table=\(name) as db_\(name)
                    """, in: session)
                #expect(out.contains("wrote csv_\(name) to table \(name) at"), "\(out)")
                let csv = try #require(session.dataset(named: "csv_\(name)")).frame
                let db = try #require(session.dataset(named: "db_\(name)"), "\(out)").frame
                #expect(db.rowCount == csv.rowCount && db.columns.count == csv.columns.count, "\(name)")
                #expect(cells(db) == cells(csv), "\(name): \(firstDifference(cells(db), cells(csv)))")
            }
            // The server holds them as psql sees them.
            #expect(try psql(url, "SELECT count(*), count(sex), round(avg(body_mass_g)::numeric, 4) FROM penguins") == "344|333|4201.7544\n")
        }
    }

    /// The shipped files put into PostgreSQL by psql's own \copy (not by mlsh) read back as the
    /// CSV reader reads the files.
    @Test func filesCopiedInByPsqlReadAsTheirCSV() throws {
        try withPostgres { url in
            let tables = [
                ("penguins", "species text, island text, bill_length_mm float8, bill_depth_mm float8, flipper_length_mm bigint, body_mass_g bigint, sex text, year bigint"),
                ("airquality", "\"Ozone\" bigint, \"Solar.R\" bigint, \"Wind\" float8, \"Temp\" bigint, \"Month\" bigint, \"Day\" bigint"),
                ("titanic", "name text, survived text, sex text, age float8, \"passengerClass\" text"),
            ]
            let (session, _) = recordingSession()
            for (name, columns) in tables {
                let copied = try runProgram("/usr/bin/env", ["psql", url, "-X", "-q", "-v", "ON_ERROR_STOP=1",
                    "-c", "DROP TABLE IF EXISTS psql_\(name); CREATE TABLE psql_\(name) (\(columns))",
                    "-c", "\\copy psql_\(name) FROM '\(packageRoot)/tutorials/data/\(name).csv' WITH (FORMAT csv, HEADER)"])
                #expect(copied.status == 0, "\(copied.stderr)")
                let out = run("load \"tutorials/data/\(name).csv\" as file_\(name)\nload \"\(url)\" table=psql_\(name) as db_\(name)", in: session)
                let file = try #require(session.dataset(named: "file_\(name)")).frame
                let db = try #require(session.dataset(named: "db_\(name)"), "\(out)").frame
                #expect(db.rowCount == file.rowCount && db.columns.count == file.columns.count, "\(name)")
                #expect(cells(db) == cells(file), "\(name): \(firstDifference(cells(db), cells(file)))")
            }
        }
    }

    /// Each PostgreSQL type as the CSV reader would read the text psql prints for it; NULL missing.
    @Test func typesAreReadAsPsqlPrintsThem() throws {
        try withPostgres { url in
            _ = try psql(url, """
                DROP TABLE IF EXISTS types;
                CREATE TABLE types (i int4, b bigint, s smallint, f float8, r real, n numeric, t text, v varchar(10), c char(3),
                                    bo bool, d date, ts timestamp, tz timestamptz, u uuid);
                INSERT INTO types VALUES
                  (1, 9007199254740993, -2, 0.1, 0.1, 123.4500, 'héllo', 'x y', 'ab', true, '2024-02-29', '2024-01-02 03:04:05.25',
                   '2024-01-02 03:04:05+02', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'),
                  (NULL, NULL, NULL, NULL, NULL, -0.000123, NULL, NULL, NULL, NULL, '1900-01-01', NULL, NULL, NULL),
                  (3, 0, 0, 1e300, 3.4e38, 1e20, 'z', 'z', 'abc', false, '1970-01-01', '1970-01-01', '1970-01-01 00:00:00+00', NULL);
                """)
            let (session, _) = recordingSession()
            let out = run("load \"\(url)\" table=types", in: session)
            let f = try #require(session.dataset(named: "types"), "\(out)").frame
            #expect(f.columns.map(\.name) == ["i", "b", "s", "f", "r", "n", "t", "v", "c", "bo", "d", "ts", "tz", "u"])
            #expect(f.columns.map { $0.type.rawValue } == ["int64", "int64", "int64", "float64", "float64", "float64", "string", "string", "string",
                                                             "bool", "date", "string", "string", "string"])
            // psql's text, with its booleans written as mlsh writes them, is the reference.
            let printed = try psql(url, "SET TimeZone = 'UTC'; SELECT i, b, s, f, r, n, t, v, c, CASE bo WHEN true THEN 'true' WHEN false THEN 'false' END, d, ts, tz, u FROM types")
            let rows = printed.split(separator: "\n").map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
            #expect(rows.count == f.rowCount)
            for (r, row) in rows.enumerated() {
                for (k, text) in row.enumerated() {
                    let c = f.columns[k]
                    if text.isEmpty { #expect(!c.isValid(r), "\(c.name) row \(r)"); continue }
                    if c.type == .float64 { #expect(c.double(r) == Double(text), "\(c.name) row \(r): \(c.double(r) ?? .nan) vs \(text)") }
                    else { #expect(c.text(r) == text, "\(c.name) row \(r)") }
                }
            }
            // A query with no rows still has its columns and types; an unreadable type says how to cast it.
            let empty = run("load \"\(url)\" query=\"SELECT * FROM types WHERE i > 100\" as none\nload \"\(url)\" query=\"SELECT point(1, 2) AS p, 1 AS q\"", in: session)
            #expect(try #require(session.dataset(named: "none")).frame.columns.map { $0.type.rawValue } == f.columns.map { $0.type.rawValue })
            #expect(empty.contains("error: the column 'p' is of PostgreSQL type point, which mlsh does not read\n"), "\(empty)")
            #expect(empty.contains("hint: convert it in the query, e.g. SELECT p::text (or ::float8, ::date)"), "\(empty)")
            // Types PostgreSQL names itself (an enum), repeated names in an empty result, dates before year 1.
            _ = try psql(url, "DROP TABLE IF EXISTS moods; DROP TYPE IF EXISTS mood; CREATE TYPE mood AS ENUM ('sad', 'happy'); CREATE TABLE moods (m mood)")
            let enumOut = run("load \"\(url)\" table=moods", in: session)
            #expect(enumOut.contains("error: the column 'm' is of PostgreSQL type mood, which mlsh does not read"), "\(enumOut)")
            _ = run("load \"\(url)\" query=\"SELECT 1 AS a, 2 AS a WHERE false\" as twice", in: session)
            #expect(try #require(session.dataset(named: "twice")).frame.columns.map(\.name) == ["a", "a_2"])
            let bc = run("""
                load "\(url)" query="SELECT '0044-03-15 BC'::date AS d, '4713-01-01 BC'::date AS e" as bc
                write bc "\(url)" table=bc mode=replace
                """, in: session)
            let d = try #require(session.dataset(named: "bc"), "\(bc)").frame
            #expect(d.columns.map { $0.text(0) ?? "" } == ["-0043-03-15", "-4712-01-01"])
            #expect(try psql(url, "SELECT d, e FROM bc") == "0044-03-15 BC|4713-01-01 BC\n")
        }
    }

    /// The errors a user meets, with where and what to do.
    @Test func mistakesAreExplained() throws {
        try withPostgres { url in
            let port = url.split(separator: ":").last!.split(separator: "/").first!
            let nope = run("load \"\(url)\" table=nope")
            #expect(nope.hasPrefix("<input>:1:\(url.count + 15): error: PostgreSQL: relation \"nope\" does not exist\n"), "\(nope)")
            #expect(nope.contains("hint: list the tables: query=\"SELECT table_schema, table_name FROM"), "\(nope)")
            _ = try psql(url, "DROP TABLE IF EXISTS lower_t; CREATE TABLE lower_t AS SELECT 1 AS x")
            let upper = run("load \"\(url)\" table=LOWER_T")
            #expect(upper.contains("hint: try table=lower_t: names are used as written"), "\(upper)")
            let quote = run("load \"\(url)\" table=\"a\\\"b\"")
            #expect(quote.contains("<input>:1:") && quote.contains("cannot be used as a PostgreSQL name here"), "\(quote)")
            #expect(run("load \"postgresql://mlsh:secret@127.0.0.1:\(port)/postgres\" table=t").contains(
                "error: the URL holds a password; mlsh does not take one there (it would be echoed and kept in the history)"))
            let refused = run("load \"postgresql://mlsh@127.0.0.1:1/postgres\" table=t")
            #expect(refused.contains("error: cannot connect to postgresql://mlsh@127.0.0.1:1/postgres: the connection was refused\n"), "\(refused)")
            _ = try psql(url, "DROP TABLE IF EXISTS kept; CREATE TABLE kept AS SELECT 1 AS x")
            let delete = run("load \"\(url)\" query=\"DELETE FROM kept RETURNING *\"")
            #expect(delete.contains("error: PostgreSQL: cannot execute DELETE in a read-only transaction"), "\(delete)")
            #expect(try psql(url, "SELECT count(*) FROM kept") == "1\n")
            #expect(run("load \"\(url)\"").contains("error: say what to read from the database: table=NAME or query=\"SELECT …\""))
            #expect(run("load \"tutorials/data/iris.csv\" table=iris").contains("error: table= is for databases"))
            let w = run("load \"tutorials/data/iris.csv\"\nwrite iris \"\(url)\" table=iris_twice mode=replace\nwrite iris \"\(url)\" table=iris_twice")
            #expect(w.contains("error: the table iris_twice exists already\n"), "\(w)")
            #expect(w.contains("hint: mode=append adds the rows to it; mode=replace replaces it"), "\(w)")
        }
    }

    /// A failed append leaves the table as it was: COPY and the checks run in one transaction.
    @Test func aFailedAppendChangesNothing() throws {
        try withPostgres { url in
            _ = try psql(url, "DROP TABLE IF EXISTS checked; CREATE TABLE checked (x bigint CHECK (x < 100), s text); INSERT INTO checked VALUES (1, 'a')")
            let (session, _) = recordingSession()
            let ok = run("load \"\(url)\" query=\"SELECT g::int8 AS x, 'r' || g AS s FROM generate_series(1, 50) g\" as small\nwrite small \"\(url)\" table=checked mode=append", in: session)
            #expect(ok.contains("wrote small to table checked"), "\(ok)")
            #expect(try psql(url, "SELECT count(*) FROM checked") == "51\n")
            let bad = run("load \"\(url)\" query=\"SELECT g::int8 AS x, 'r' || g AS s FROM generate_series(1, 200) g\" as big\nwrite big \"\(url)\" table=checked mode=append", in: session)
            #expect(bad.contains("error: PostgreSQL: new row for relation \"checked\" violates check constraint \"checked_x_check\""), "\(bad)")
            #expect(try psql(url, "SELECT count(*) FROM checked") == "51\n")
            let wrongType = run("derive big s = x * 2\nwrite big \"\(url)\" table=checked mode=append", in: session)
            #expect(wrongType.contains("error: the column 's' is int64, but checked.s is text"), "\(wrongType)")
        }
    }

    /// The password comes from PGPASSWORD, or a ~/.pgpass only its owner can read; never the URL.
    @Test func passwordsComeFromTheEnvironmentOrPgpass() throws {
        try withPostgres { url in
            let tcp = url.replacingOccurrences(of: "postgresql://mlsh@", with: "postgresql://pwuser@")
            let home = NSTemporaryDirectory() + "mlsh-pgpass-\(getpid())"
            try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: home) }
            let script = "load \"\(tcp)\" query=\"SELECT current_user AS who\"\nshow query"
            let env = try runMlsh(["-c", script], env: ["PGPASSWORD": "pw-secret", "HOME": home])
            #expect(env.status == 0 && env.stdout.contains("loaded query: 1 row × 1 column"), "\(env.stdout)\(env.stderr)")
            #expect(!(env.stdout + env.stderr).contains("pw-secret"))
            let wrong = try runMlsh(["-c", script], env: ["PGPASSWORD": "nope", "HOME": home])
            #expect(wrong.status != 0 && wrong.stderr.contains("password authentication failed for user \"pwuser\""), "\(wrong.stderr)")
            let hostPort = tcp.dropFirst("postgresql://pwuser@".count).split(separator: "/")[0].split(separator: ":")
            try "# a comment\n\(hostPort[0]):\(hostPort[1]):postgres:pwuser:pw-secret\n".write(toFile: home + "/.pgpass", atomically: true, encoding: .utf8)
            chmod(home + "/.pgpass", 0o600)
            let file = try runMlsh(["-c", script], env: ["HOME": home])
            #expect(file.status == 0, "\(file.stdout)\(file.stderr)")
            chmod(home + "/.pgpass", 0o644)
            let open = try runMlsh(["-c", script], env: ["HOME": home])
            #expect(open.status != 0 && open.stderr.contains(".pgpass can be read by others than you, so it is not used (chmod 600 "), "\(open.stderr)")
        }
    }

    /// Ctrl-C during a long query returns at once and cancels the query on the server.
    @Test func anInterruptCancelsTheQueryOnTheServer() throws {
        try withPostgres { url in
            let (session, _) = recordingSession()
            // A flag of its own: the process's flag would stop the tests running beside this one.
            session.interrupt = InterruptFlag()
            let flag = session.interrupt
            DispatchQueue.global().asyncAfter(deadline: .now() + 0.7) { flag.set() }
            let start = Date()
            let out = run("load \"\(url)\" query=\"SELECT pg_sleep(30) AS s\"", in: session)
            #expect(Date().timeIntervalSince(start) < 10, "the load did not stop on the interrupt")
            #expect(out.contains("error: interrupted: the query was cancelled on the server"), "\(out)")
            Thread.sleep(forTimeInterval: 0.3)
            let active = try psql(url, "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid()")
            #expect(active == "0\n")
        }
    }
}
