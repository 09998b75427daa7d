import Foundation
import GRDB

/// The results CSVs as one SQLite table (through GRDB), so that rows are found by name, hash,
/// claim or confidence without reading every CSV ever written. The CSVs stay the record: the
/// index reads only the bytes appended since it last looked (whole records: a torn tail waits),
/// reads a file again from its start when it was replaced or cut, and is made anew from the
/// CSVs when its file is missing, damaged or of another schema.
final class ResultsIndex: Sendable {
    private static let schema = 1
    private let database: DatabaseQueue
    private let results: String

    /// The index in `path` (nil: in memory, made from the CSVs, for a root digitd's index cannot
    /// be written in, e.g. an offline relabel by another user).
    init(path: String?, results: String) throws {
        self.results = results
        guard let path else {
            database = try DatabaseQueue()
            try Self.create(database)
            return
        }
        do {
            database = try Self.open(path)
        } catch {
            // A cache: set aside what cannot be read and make it again.
            _ = DamagedFile.setAside(path)
            for suffix in ["-wal", "-shm"] { unlink(path + suffix) }
            database = try Self.open(path)
        }
    }

    /// An index at `path` when one can be kept there, else in memory.
    static func opening(_ path: String, results: String) -> ResultsIndex {
        (try? ResultsIndex(path: path, results: results)) ?? inMemory(results: results)
    }

    static func inMemory(results: String) -> ResultsIndex {
        // An in-memory database needs no file: it cannot fail to open.
        try! ResultsIndex(path: nil, results: results)
    }

    private static func open(_ path: String) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        let database = try DatabaseQueue(path: path, configuration: configuration)
        let version = try database.read { try Int.fetchOne($0, sql: "PRAGMA user_version") ?? 0 }
        if version != schema {
            try database.write { db in
                try db.execute(sql: "DROP TABLE IF EXISTS scan; DROP TABLE IF EXISTS source")
            }
            try create(database)
        }
        try database.read { _ = try Int.fetchOne($0, sql: "SELECT count(*) FROM scan") }
        return database
    }

    private static func create(_ database: DatabaseQueue) throws {
        try database.write { db in
            try db.execute(sql: """
                CREATE TABLE source (name TEXT PRIMARY KEY, inode INTEGER NOT NULL, offset INTEGER NOT NULL);
                CREATE TABLE scan (
                    claim TEXT PRIMARY KEY, source TEXT NOT NULL, file TEXT NOT NULL, sha256 TEXT NOT NULL,
                    status TEXT NOT NULL, digit INTEGER, confidence REAL, second_digit INTEGER, second_confidence REAL,
                    model TEXT NOT NULL, processed_at REAL NOT NULL, reason TEXT NOT NULL, stored_as TEXT NOT NULL,
                    margin REAL);
                CREATE INDEX scan_file ON scan(file);
                CREATE INDEX scan_sha256 ON scan(sha256);
                CREATE INDEX scan_source ON scan(source);
                CREATE INDEX scan_margin ON scan(status, margin);
                PRAGMA user_version = \(schema);
                """)
        }
    }

    /// Reads what the results folder gained since the last look. Safe to call from any thread.
    func catchUp() throws {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: results)) ?? [])
            .filter { $0.hasPrefix("results-") && $0.hasSuffix(".csv") }.sorted()
        try database.write { db in
            let known = try Set(String.fetchAll(db, sql: "SELECT name FROM source"))
            for gone in known.subtracting(names) { try forget(gone, db) }
            for name in names { try read(name, db) }
        }
    }

    private func forget(_ name: String, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM scan WHERE source = ?", arguments: [name])
        try db.execute(sql: "DELETE FROM source WHERE name = ?", arguments: [name])
    }

    /// The complete records of one CSV past what was indexed of it.
    private func read(_ name: String, _ db: Database) throws {
        let path = results + "/" + name
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return }
        let inode = Int64(info.st_ino), size = Int64(info.st_size)
        var offset: Int64 = 0
        if let row = try Row.fetchOne(db, sql: "SELECT inode, offset FROM source WHERE name = ?", arguments: [name]) {
            offset = row["offset"]
            if row["inode"] != inode || size < offset {
                try forget(name, db)
                offset = 0
            }
        }
        guard size > offset else { return }
        var bytes = [UInt8](repeating: 0, count: Int(size - offset))
        var got = 0
        while got < bytes.count {
            let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + got, $0.count - got, off_t(offset) + off_t(got)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            got += n
        }
        var quoted = false
        guard let end = ResultsLog.recordsEnd(bytes[0..<got], quoted: &quoted) else { return }
        let rows = try ResultsLog.rows(records: String(decoding: bytes[0..<end], as: UTF8.self), withHeader: offset == 0)
        for row in rows {
            let confidence = row.confidence.map { Double($0) }, second = row.secondConfidence.map { Double($0) }
            let margin = confidence.map { $0 - (second ?? 0) }
            try db.execute(sql: """
                INSERT OR REPLACE INTO scan (claim, source, file, sha256, status, digit, confidence, second_digit,
                    second_confidence, model, processed_at, reason, stored_as, margin)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [row.claim, name, row.file, row.sha256, row.status.rawValue, row.digit,
                                 confidence, row.secondDigit, second,
                                 row.model, row.processedAt.timeIntervalSince1970, row.reason, row.storedAs, margin])
        }
        try db.execute(sql: "INSERT OR REPLACE INTO source (name, inode, offset) VALUES (?, ?, ?)",
                       arguments: [name, inode, offset + Int64(end)])
    }

    /// Rows with this inbox name, oldest first.
    func rows(file: String) throws -> [ResultRow] {
        try fetch("WHERE file = ? ORDER BY processed_at, claim", [file])
    }

    /// Rows of this content, oldest first.
    func rows(sha256: String) throws -> [ResultRow] {
        try fetch("WHERE sha256 = ? ORDER BY processed_at, claim", [sha256])
    }

    /// The row of a claim. A claim comes from a listing of the index, so the CSVs are read
    /// again only when it is not known yet (every picture and decision of the page asks).
    func row(claim: String) throws -> ResultRow? {
        if let row = try fetch("WHERE claim = ?", [claim]).first { return row }
        try catchUp()
        return try fetch("WHERE claim = ?", [claim]).first
    }

    /// The rows a person should look at, most useful first: each guessed digit in turn, and
    /// within a digit's turn a `review` row then an `ok` row, each the one with the smallest
    /// margin between the two best guesses (then the lowest confidence) of its kind; one row per
    /// image (its newest), only originals kept in done/, none whose hash `decided` holds. Turns,
    /// because the most uncertain rows alone are mostly one kind of mark, and labels spent on
    /// them taught less than random ones (bench/active): `review` rows only (their guesses
    /// mostly wrong) lost to random order from 100 labels on; with the unsure `ok` rows taking
    /// every other place (their confirmations teach the kind too) the queue beat it at 50-400.
    func queue(limit: Int, decided: Set<String>) throws -> [ResultRow] {
        guard limit > 0 else { return [] }
        let candidates = try fetch("""
            JOIN (SELECT claim AS ranked, ROW_NUMBER() OVER (
                      PARTITION BY digit, status ORDER BY margin, confidence, processed_at DESC, claim) AS turn
                  FROM (SELECT *, MAX(processed_at) FROM scan WHERE status IN ('review', 'ok') AND stored_as LIKE 'done/%'
                        GROUP BY sha256)) ON ranked = claim
            ORDER BY turn, status = 'review' DESC, margin, confidence, processed_at DESC, claim
            LIMIT ?
            """, [limit + decided.count])
        return Array(candidates.filter { !decided.contains($0.sha256) }.prefix(limit))
    }

    /// Scans classified per bucket of `seconds` (by processed_at), oldest first, the empty ones too.
    func throughput(bucketSeconds seconds: Int) throws -> [(start: Date, scans: Int)] {
        try database.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT CAST(processed_at / ? AS INTEGER) AS bucket, count(*) AS n FROM scan GROUP BY bucket ORDER BY bucket
                """, arguments: [seconds])
            guard let first: Int = rows.first?["bucket"], let last: Int = rows.last?["bucket"] else { return [] }
            var counts: [Int: Int] = [:]
            for row in rows { counts[row["bucket"]] = row["n"] }
            return (first...last).map { (Date(timeIntervalSince1970: Double($0 * seconds)), counts[$0] ?? 0) }
        }
    }

    /// The first and the newest processed_at, nil when empty.
    func span() throws -> ClosedRange<Date>? {
        try database.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT min(processed_at) AS a, max(processed_at) AS b FROM scan"),
                  let a: Double = row["a"], let b: Double = row["b"] else { return nil }
            return Date(timeIntervalSince1970: a)...Date(timeIntervalSince1970: b)
        }
    }

    /// How many distinct images with a `review` row are not in `decided`.
    func waiting(decided: Set<String>) throws -> Int {
        try database.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT sha256 FROM scan WHERE status = 'review' AND stored_as LIKE 'done/%'")
                .count { !decided.contains($0) }
        }
    }

    /// How many rows the index holds, by status.
    func counts() throws -> [ResultRow.Status: Int] {
        try database.read { db in
            var counts: [ResultRow.Status: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT status, count(*) AS n FROM scan GROUP BY status") {
                if let status = ResultRow.Status(rawValue: row["status"]) { counts[status] = row["n"] }
            }
            return counts
        }
    }

    private func fetch(_ clause: String, _ arguments: StatementArguments) throws -> [ResultRow] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM scan " + clause, arguments: arguments).compactMap(Self.resultRow)
        }
    }

    private static func resultRow(_ row: Row) -> ResultRow? {
        guard let status = ResultRow.Status(rawValue: row["status"]) else { return nil }
        return ResultRow(file: row["file"], sha256: row["sha256"], status: status, digit: row["digit"],
                         confidence: (row["confidence"] as Double?).map(Float.init), model: row["model"],
                         processedAt: Date(timeIntervalSince1970: row["processed_at"]), secondDigit: row["second_digit"],
                         secondConfidence: (row["second_confidence"] as Double?).map(Float.init), reason: row["reason"],
                         storedAs: row["stored_as"], claim: row["claim"])
    }
}
