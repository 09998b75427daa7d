import Foundation
import Testing
@testable import TestSupport
@testable import DigitdCore

/// The results CSV (DESIGN §6): RFC 4180 with CRLF, quoting that every
/// reader agrees on, one header per file, and a torn last row (crash
/// mid-write) cut before anything else is appended or read.
@Suite struct ResultsLogTests {
    static let day = Date(timeIntervalSince1970: 1_800_000_000)   // 2027-01-15

    static let trickyNames = [
        "plain.png", "with space.png", "comma,name.png", "quote\"name\".png", "\"quoted\".png", "new\nline.png",
        "crlf\r\nname.png", "cr\ronly.png", "trailing space .png", " leading.png", "ünïcødé-७.png",
        String(decoding: [0x66, 0xE9, 0xFF, 0x2E, 0x70, 0x6E, 0x67], as: UTF8.self), ",\"\r\n,\"\"", "=cmd|' /C calc'!A0.png",
        String(repeating: "l", count: 251) + ".png",
    ]

    static func row(_ file: String, _ n: Int, status: ResultRow.Status = .ok) -> ResultRow {
        ResultRow(file: file, sha256: String(repeating: "ab", count: 32), status: status,
                  digit: status == .ok ? n % 10 : nil, confidence: status == .ok ? 0.91234 : nil,
                  model: "seedcnn@0badf00d", processedAt: day.addingTimeInterval(Double(n) * 0.001),
                  secondDigit: status == .ok ? (n + 1) % 10 : nil, secondConfidence: status == .ok ? 0.05 : nil,
                  reason: status == .error ? "not a PNG or JPEG: starts with 48 65 6c 6c (Hell), \"quoted\"" : "",
                  storedAs: "done/\(file)", claim: String(format: "%016x", 0x1234_0000 + n))
    }

    static func folder(_ label: String) -> String {
        let path = TempFolder.unique(label)
        try! FileManager.default.createDirectory(atPath: path + "/results", withIntermediateDirectories: true)
        return path + "/results"
    }

    static func file(_ folder: String) -> String { folder + "/" + ResultsLog.fileName(for: day) }

    static func bytes(_ path: String) throws -> [UInt8] { try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))) }

    @Test func fileNamePerUTCDay() {
        #expect(ResultsLog.fileName(for: Self.day) == "results-2027-01-15.csv")
        #expect(ResultsLog.fileName(for: Date(timeIntervalSince1970: 1_800_057_599)) == "results-2027-01-15.csv")
        #expect(ResultsLog.fileName(for: Date(timeIntervalSince1970: 1_800_057_600)) == "results-2027-01-16.csv")
    }

    @Test func rfc4180RoundTrip() throws {
        let folder = Self.folder("csv")
        defer { try? FileManager.default.removeItem(atPath: (folder as NSString).deletingLastPathComponent) }
        let rows = Self.trickyNames.enumerated().map { Self.row($1, $0, status: $0 % 3 == 2 ? .error : ($0 % 3 == 1 ? .blank : .ok)) }
        let log = ResultsLog(folder: folder)
        try log.append(Array(rows.prefix(5)), now: Self.day)
        try log.append(Array(rows.dropFirst(5)), now: Self.day)

        let raw = try Self.bytes(Self.file(folder))
        let records = try StrictCSV.parse(raw)
        #expect(records.first == ResultRow.header)
        #expect(records.count == rows.count + 1)
        for (record, row) in zip(records.dropFirst(), rows) {
            #expect(record == row.fields)
            #expect(Array(record.prefix(7)) == Array(row.fields.prefix(7)))
        }
        // The fixed columns first, in DESIGN §6's order; extras after.
        #expect(Array(ResultRow.header.prefix(7)) == ["file", "sha256", "status", "digit", "confidence", "model", "processed_at"])
        #expect(ResultRow.header.contains("stored_as") && ResultRow.header.contains("claim"))
        // Quoting as RFC 4180 spells it.
        let text = String(decoding: raw, as: UTF8.self)
        #expect(text.hasPrefix("file,sha256,status,digit,confidence,model,processed_at,"))
        #expect(text.contains("\r\n\"comma,name.png\","))
        #expect(text.contains("\r\n\"quote\"\"name\"\".png\","))
        #expect(text.contains("\r\n\"new\nline.png\","))
        #expect(text.contains("\r\nplain.png,"))
        #expect(text.hasSuffix("\r\n"))
        // Field formats.
        let ok = records[1]
        #expect(ok[2] == "ok" && ok[3] == "0" && ok[4] == "0.9123")
        #expect(ok[6] == "2027-01-15T08:00:00.000Z")
        let blank = records[2]
        #expect(blank[2] == "blank" && blank[3] == "" && blank[4] == "")

        // CSV.swift's reader (what digitd itself reads back) agrees.
        let read = try ResultsLog.read(Self.file(folder))
        #expect(read.count == rows.count)
        #expect(read == rows.compactMap { ResultRow(fields: $0.fields) })
        #expect(read.map(\.file) == Self.trickyNames)
    }

    /// Python's csv module, an independent reader, gets the same fields.
    @Test(.enabled(if: ResultsLogTests.python != nil, "python3 not found: the Python cross-check is skipped"))
    func pythonReadsTheSameFields() throws {
        let folder = Self.folder("py")
        defer { try? FileManager.default.removeItem(atPath: (folder as NSString).deletingLastPathComponent) }
        let rows = Self.trickyNames.enumerated().map { Self.row($1, $0) }
        try ResultsLog(folder: folder).append(rows, now: Self.day)
        let script = """
        import csv, json, sys
        with open(sys.argv[1], newline='', encoding='utf-8') as f:
            print(json.dumps(list(csv.reader(f, strict=True))))
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Self.python))
        process.arguments = ["-c", script, Self.file(folder)]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let parsed = try JSONDecoder().decode([[String]].self, from: data)
        #expect(parsed == [ResultRow.header] + rows.map(\.fields))
    }

    static let python: String? = ["/usr/bin/python3", "/usr/local/bin/python3"].first { access($0, X_OK) == 0 }

    /// Several writers over time (restarts) share the day's file: one header.
    @Test func headerOncePerFile() throws {
        let folder = Self.folder("header")
        defer { try? FileManager.default.removeItem(atPath: (folder as NSString).deletingLastPathComponent) }
        for n in 0..<4 {
            let log = ResultsLog(folder: folder)   // a new process each time
            try log.append([Self.row("f\(n).png", n)], now: Self.day)
            try log.append([Self.row("g\(n).png", n)], now: Self.day)
        }
        // Next day: a new file with its own header.
        try ResultsLog(folder: folder).append([Self.row("next.png", 9)], now: Self.day.addingTimeInterval(86_400))
        let records = try StrictCSV.parse(Self.bytes(Self.file(folder)))
        #expect(records.filter { $0 == ResultRow.header }.count == 1)
        #expect(records.count == 9)
        let next = try StrictCSV.parse(Self.bytes(folder + "/" + ResultsLog.fileName(for: Self.day.addingTimeInterval(86_400))))
        #expect(next == [ResultRow.header, Self.row("next.png", 9).fields])
        #expect(try StrictCSV.resultRows(in: folder).count == 9)
    }

    /// Cuts the day's file to `length` bytes, as a crash mid-append leaves it.
    static func truncate(_ path: String, to length: Int) {
        #expect(Glibc.truncate(path, off_t(length)) == 0)
    }

    /// A row appended after `first`, then cut to its first `keep` bytes (a crash
    /// mid-append); the next writer appends `after`: the file reads back as
    /// first and after, the torn row gone.
    static func expectTornRowCut(_ label: String, torn: ResultRow, keeping keep: Int,
                                 sourceLocation: SourceLocation = #_sourceLocation) throws {
        let folder = Self.folder(label)
        defer { try? FileManager.default.removeItem(atPath: (folder as NSString).deletingLastPathComponent) }
        let first = Self.row("first.png", 1), after = Self.row("after.png", 3)
        try ResultsLog(folder: folder).append([first], now: Self.day)
        let path = Self.file(folder)
        let size = try Self.bytes(path).count
        try ResultsLog(folder: folder).append([torn], now: Self.day)
        Self.truncate(path, to: size + keep)

        try ResultsLog(folder: folder).append([after], now: Self.day)
        #expect(try StrictCSV.parse(Self.bytes(path)) == [ResultRow.header, first.fields, after.fields], sourceLocation: sourceLocation)
    }

    /// A half-written last row is cut when the file is next opened: the rows
    /// before it and the rows after it read back, the torn one does not.
    @Test(arguments: [1, 30, 77, 150]) func repairTailCutsAHalfRow(_ keep: Int) throws {
        try Self.expectTornRowCut("tail", torn: Self.row("torn.png", 2), keeping: keep)
    }

    /// Torn right after a newline inside a quoted name: cutting at the last
    /// "\n" would leave an open quote that swallows every later row.
    @Test func repairTailInsideAQuotedNewline() throws {
        try Self.expectTornRowCut("tailq", torn: Self.row("two\nlines.png", 2), keeping: "\"two\n".utf8.count)
    }

    /// Torn between the last field and its CRLF: the row looks complete to a
    /// lenient reader. Recovery must not count it as written, since the next
    /// append cuts it (a file would be left with no row at all).
    @Test(arguments: [1, 2]) func rowWithoutItsCRLFIsNotWritten(_ missing: Int) throws {
        let folder = Self.folder("crlf")
        defer { try? FileManager.default.removeItem(atPath: (folder as NSString).deletingLastPathComponent) }
        let first = Self.row("first.png", 1), torn = Self.row("torn.png", 2), after = Self.row("after.png", 3)
        try ResultsLog(folder: folder).append([first, torn], now: Self.day)
        let path = Self.file(folder)
        Self.truncate(path, to: try Self.bytes(path).count - missing)

        let restarted = ResultsLog(folder: folder)
        let found = try restarted.rows(claims: [first.claim, torn.claim], since: .distantPast)
        #expect(found[first.claim] != nil)
        #expect(found[torn.claim] == nil, "a torn row was taken as written")
        try restarted.append([after], now: Self.day)
        #expect(try StrictCSV.parse(Self.bytes(path)) == [ResultRow.header, first.fields, after.fields])
    }

    /// A header torn on the first write of the day: rewritten whole.
    @Test func tornHeader() throws {
        let folder = Self.folder("hdr")
        defer { try? FileManager.default.removeItem(atPath: (folder as NSString).deletingLastPathComponent) }
        try ResultsLog(folder: folder).append([Self.row("a.png", 1)], now: Self.day)
        let path = Self.file(folder)
        Self.truncate(path, to: 20)
        try ResultsLog(folder: folder).append([Self.row("b.png", 2)], now: Self.day)
        #expect(try StrictCSV.parse(Self.bytes(path)) == [ResultRow.header, Self.row("b.png", 2).fields])
    }

    /// Killed between creating the day's file and writing its header: an
    /// empty file, which recovery must read as no rows (not fail on), and the
    /// next append must give its header.
    @Test func emptyFileFromAKillBeforeTheHeader() throws {
        let folder = Self.folder("empty")
        defer { try? FileManager.default.removeItem(atPath: (folder as NSString).deletingLastPathComponent) }
        #expect(FileManager.default.createFile(atPath: Self.file(folder), contents: Data()))
        let log = ResultsLog(folder: folder)
        #expect(try log.rows(claims: ["0000000012340001"], since: .distantPast).isEmpty)
        try log.append([Self.row("a.png", 1)], now: Self.day)
        #expect(try StrictCSV.parse(Self.bytes(Self.file(folder))) == [ResultRow.header, Self.row("a.png", 1).fields])
    }

    /// How the day's file can be replaced while digitd holds it open: deleted;
    /// renamed away (logrotate), with or without an empty file created in its
    /// place (logrotate's `create`); copied and truncated (`copytruncate`); or
    /// cut into the middle of a row.
    enum Replacement: String, CaseIterable, Sendable {
        case delete, renameAway, renameAndCreate, copyTruncate, cutMidRow
    }

    /// The next append notices and writes to a file at the path, with its
    /// header: no row goes into an unlinked or rotated file, none is glued to
    /// a cut one, and what was rotated away stays as it was.
    /// results/ itself removed (a cleanup script) while digitd runs: made again at the next append.
    @Test func aRemovedResultsFolderIsMadeAgain() throws {
        let folder = Self.folder("folder-removed")
        defer { try? FileManager.default.removeItem(atPath: (folder as NSString).deletingLastPathComponent) }
        let log = ResultsLog(folder: folder)
        try log.append([Self.row("first.png", 1)], now: Self.day)
        try FileManager.default.removeItem(atPath: folder)
        let after = Self.row("after.png", 3)
        try log.append([after], now: Self.day)
        #expect(try StrictCSV.parse(Self.bytes(Self.file(folder))) == [ResultRow.header, after.fields])
    }

    @Test(arguments: Replacement.allCases) func aReplacedFileIsReopened(_ replacement: Replacement) throws {
        let folder = Self.folder("replaced")
        defer { try? FileManager.default.removeItem(atPath: (folder as NSString).deletingLastPathComponent) }
        let log = ResultsLog(folder: folder)
        let first = Self.row("first.png", 1), second = Self.row("second.png", 2), after = Self.row("after.png", 3)
        try log.append([first], now: Self.day)
        let path = Self.file(folder), rotated = path + ".1"
        let firstEnd = try Self.bytes(path).count
        try log.append([second], now: Self.day)
        let written = try Self.bytes(path)
        switch replacement {
        case .delete:
            #expect(unlink(path) == 0)
        case .renameAway:
            #expect(rename(path, rotated) == 0)
        case .renameAndCreate:
            #expect(rename(path, rotated) == 0)
            #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        case .copyTruncate:
            #expect(FileManager.default.createFile(atPath: rotated, contents: Data(written)))
            Self.truncate(path, to: 0)
        case .cutMidRow:
            Self.truncate(path, to: firstEnd + 10)
        }

        try log.append([after], now: Self.day)
        let expected = replacement == .cutMidRow ? [ResultRow.header, first.fields, after.fields] : [ResultRow.header, after.fields]
        #expect(try StrictCSV.parse(Self.bytes(path)) == expected)
        if FileManager.default.fileExists(atPath: rotated) {
            #expect(try Self.bytes(rotated) == written, "the rotated file changed")
        }
        // What relabel finds by name (through the index) is what the file holds now.
        let index = ResultsIndex.inMemory(results: folder)
        try index.catchUp()
        #expect(try index.counts().values.reduce(0, +) == expected.count - 1)
        for name in expected.dropFirst().map({ $0[0] }) { #expect(try index.rows(file: name).map(\.file) == [name]) }
    }

    /// A spreadsheet runs a cell starting with = + - @ (tab and CR in some) as
    /// a formula: such a `file` is written with a leading `'`, and so is one
    /// that starts with `'` (so the `'` can be removed on reading whatever
    /// followed it). Every name reads back exactly, as relabel looks it up.
    @Test func formulaNamesAreGuardedAndReadBackExactly() throws {
        let folder = Self.folder("formula")
        defer { try? FileManager.default.removeItem(atPath: (folder as NSString).deletingLastPathComponent) }
        let names = ["=1+1.png", "+1.png", "-1.png", "@SUM(A1).png", "\tTab.png", "\rcr.png", "\r\nlines.png",
                     "=HYPERLINK(\"http://x\",\"y\").png", "'quoted.png", "''two.png", "'=already.png", "'", "=", "-",
                     "plain.png", "a=b.png", " =space.png", "ünï-=.png"]
        let rows = names.enumerated().map { Self.row($1, $0) }
        let log = ResultsLog(folder: folder)
        try log.append(rows, now: Self.day)

        let written = try StrictCSV.parse(Self.bytes(Self.file(folder))).dropFirst().map { $0[0] }
        let guarded = names.map { name in ["=", "+", "-", "@", "\t", "\r", "'"].contains(name.unicodeScalars.first!) ? "'" + name : name }
        #expect(written == guarded)
        #expect(try ResultsLog.read(Self.file(folder)).map(\.file) == names)
        let index = ResultsIndex.inMemory(results: folder)
        try index.catchUp()
        for name in names { #expect(try index.rows(file: name).map(\.file) == [name], "relabel finds \(name) by its name") }
        #expect(try log.rows(claims: Set(rows.map(\.claim)), since: .distantPast).mapValues(\.file)
                == Dictionary(uniqueKeysWithValues: rows.map { ($0.claim, $0.file) }))
    }

    /// results.formula_guard = false: every name is written as it is (a name
    /// that starts with `'` too, which is why it then reads back without it).
    @Test func withTheGuardOffNamesAreWrittenAsTheyAre() throws {
        let folder = Self.folder("unguarded")
        defer { try? FileManager.default.removeItem(atPath: (folder as NSString).deletingLastPathComponent) }
        let names = ["=1+1.png", "+1.png", "-1.png", "@SUM(A1).png", "\tTab.png", "\rcr.png", "=HYPERLINK(\"x\").png", "plain.png"]
        try ResultsLog(folder: folder, formulaGuard: false).append((names + ["'quoted.png"]).enumerated().map { Self.row($1, $0) }, now: Self.day)
        #expect(try StrictCSV.parse(Self.bytes(Self.file(folder))).dropFirst().map { $0[0] } == names + ["'quoted.png"])
        #expect(try ResultsLog.read(Self.file(folder)).map(\.file) == names + ["quoted.png"])
    }

    /// What recovery finds: the rows of the claims asked for, nothing else.
    @Test func rowsByClaim() throws {
        let folder = Self.folder("claims")
        defer { try? FileManager.default.removeItem(atPath: (folder as NSString).deletingLastPathComponent) }
        let rows = (0..<50).map { Self.row("f\($0).png", $0) }
        let log = ResultsLog(folder: folder)
        try log.append(Array(rows[..<20]), now: Self.day)
        try log.append(Array(rows[20...]), now: Self.day.addingTimeInterval(86_400))
        let wanted = Set([rows[3].claim, rows[25].claim, "ffffffffffffffff"])
        let found = try ResultsLog(folder: folder).rows(claims: wanted, since: .distantPast)
        #expect(Set(found.keys) == [rows[3].claim, rows[25].claim])
        #expect(found[rows[25].claim]?.file == "f25.png")
        #expect(found[rows[25].claim]?.storedAs == "done/f25.png")
    }
}
