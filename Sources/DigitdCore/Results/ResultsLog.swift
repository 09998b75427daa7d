import CSV
import Foundation
import Logging

/// The results CSVs: one file per UTC day (`results-YYYY-MM-DD.csv`), RFC 4180
/// (CRLF, quoting by CSV.swift), appended and fsync'ed before any original
/// leaves processing/. A day's file deleted, rotated or truncated under the
/// open descriptor is noticed at the next append and started anew at its path.
final class ResultsLog: @unchecked Sendable {
    let folder: String
    private let logger: Logger
    private var fd: Int32 = -1
    private var openDay = ""
    /// The file's end after this process's last append: a file found shorter
    /// was cut under us (copytruncate, or by hand).
    private var end: off_t = 0
    private var guardsFormulas: Bool
    private let lock = NSLock()

    init(folder: String, formulaGuard: Bool = true, logger: Logger = Logger(label: "digitd")) {
        self.folder = folder
        guardsFormulas = formulaGuard
        self.logger = logger
    }

    /// Whether `file` fields go through FormulaGuard (results.formula_guard),
    /// from the next append on (SIGHUP).
    func reconfigure(formulaGuard: Bool) {
        lock.lock()
        guardsFormulas = formulaGuard
        lock.unlock()
    }

    deinit { if fd >= 0 { close(fd) } }

    static func fileName(for date: Date) -> String {
        "results-" + date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt).year().month().day()) + ".csv"
    }

    /// Appends rows and fsyncs. A file that is empty (new, or emptied) gets
    /// the header first.
    func append(_ rows: [ResultRow], now: Date = Date()) throws {
        guard !rows.isEmpty else { return }
        lock.lock()
        defer { lock.unlock() }
        let day = Self.fileName(for: now)
        let path = folder + "/" + day
        let records = try Self.csv(rows.map { $0.fields(formulaGuard: guardsFormulas) })
        // A file deleted after the check and before its fsync took the rows
        // with it: they are written again, to a new file. Deleted at every
        // attempt, they are not recorded (the claims stay in processing/).
        for _ in 0..<3 {
            if day != openDay {
                try reopen(day)
            } else if let change = replacement(path) {
                logger.notice("results: \(path) \(change); appending to a new file there, with its header")
                try reopen(day)
            }
            try writeRecords(records, path: path)
            var written = stat()
            guard fstat(fd, &written) == 0, written.st_nlink == 0 else { return }
        }
        throw SystemError(errno: ENOENT, "append results: \(path) was deleted at every attempt")
    }

    /// Appends the records (after the header, when the file is empty), fsyncs.
    private func writeRecords(_ records: String, path: String) throws {
        let start = lseek(fd, 0, SEEK_END)
        guard start >= 0 else { throw SystemError(errno: errno, "seek \(path)") }
        let bytes = Array(((start == 0 ? try Self.csv([ResultRow.header]) : "") + records).utf8)
        // A new file's name on disk before its rows: a failure here is retried with nothing written.
        if start == 0 { try FileOps.syncFolder(folder) }
        // A failed write (disk full) must not leave half a row for the next
        // append to be glued to: cut back to where this one started.
        do { try Self.writeAll(fd: fd, bytes) } catch {
            _ = ftruncate(fd, start)
            end = start
            throw error
        }
        end = start + off_t(bytes.count)
        guard fsync(fd) == 0 else { throw SystemError(errno: errno, "fsync \(path)") }
    }

    /// Opens (creates) the day's file and cuts its torn tail. Only once that
    /// worked is it the open day: a failure is retried by the next append.
    private func reopen(_ day: String) throws {
        if fd >= 0 { close(fd) }
        openDay = ""
        let path = folder + "/" + day
        fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        if fd < 0 && errno == ENOENT {
            // results/ itself was removed (a cleanup script): made again, as at start-up.
            logger.notice("results: \(folder) is gone; making it again")
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        }
        guard fd >= 0 else { throw SystemError(errno: errno, "open \(path)") }
        try Self.repairTail(fd: fd, path: path)
        end = lseek(fd, 0, SEEK_END)
        openDay = day
    }

    /// Why the open file is no longer the one to append to, or nil. Its link
    /// count would miss a rename (logrotate's default), so the file now at
    /// `path` is compared with it; and the same file found shorter than this
    /// process left it was truncated (copytruncate), perhaps mid-row.
    private func replacement(_ path: String) -> String? {
        var held = stat(), current = stat()
        guard fstat(fd, &held) == 0 else { return "cannot be checked (\(String(cString: strerror(errno))))" }
        guard stat(path, &current) == 0 else {
            return errno == ENOENT ? "was deleted or renamed away" : "cannot be checked (\(String(cString: strerror(errno))))"
        }
        if !FileOps.isSameFile(current, held) { return "was replaced by another file" }
        if held.st_size < end { return "was truncated" }
        return nil
    }

    /// Rows of the given claims, from files written since `since` (crash
    /// recovery, before anything is appended). Each file's torn tail is cut
    /// first, so a row that the next append would cut is not taken as written.
    func rows(claims: Set<String>, since: Date) throws -> [String: ResultRow] {
        var found: [String: ResultRow] = [:]
        guard !claims.isEmpty else { return found }
        lock.lock()
        defer { lock.unlock() }
        for file in try FileManager.default.contentsOfDirectory(atPath: folder).sorted() where file.hasSuffix(".csv") {
            let path = folder + "/" + file
            let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? Date()
            guard modified >= since else { continue }
            let fd = open(path, O_RDWR | O_CLOEXEC)
            guard fd >= 0 else { throw SystemError(errno: errno, "open \(path)") }
            defer { close(fd) }
            try Self.repairTail(fd: fd, path: path)
            for row in try Self.read(path) where claims.contains(row.claim) { found[row.claim] = row }
        }
        return found
    }

    /// Every row of one results file.
    static func read(_ path: String) throws -> [ResultRow] {
        // Empty: created by a run killed before it wrote the header (no rows,
        // and not an error: recovery would keep digitd from starting).
        var info = stat()
        guard stat(path, &info) == 0 else { throw SystemError(errno: errno, "stat \(path)") }
        if info.st_size == 0 { return [] }
        guard let stream = InputStream(fileAtPath: path) else { throw SystemError(errno: ENOENT, "open \(path)") }
        return rows(try CSVReader(stream: stream, hasHeaderRow: true))
    }

    /// The rows of whole records (a file's part from a record boundary on),
    /// the header first when `withHeader`.
    static func rows(records: String, withHeader: Bool) throws -> [ResultRow] {
        rows(try CSVReader(string: records, hasHeaderRow: withHeader))
    }

    private static func rows(_ reader: CSVReader) -> [ResultRow] {
        var rows: [ResultRow] = []
        while let fields = reader.next() {
            if let row = ResultRow(fields: fields) { rows.append(row) }
        }
        return rows
    }

    /// The rows as CSV records, each ending in CRLF. A row none of whose fields
    /// needs quoting (by CSV.swift's own rule: no quote, comma, CR or LF) is
    /// joined directly: nearly every row is, and CSVWriter's stream of single
    /// scalars took 15% of digitd's CPU (perf, 28x28 PNG bench). The rest go
    /// through CSVWriter.
    static func csv(_ rows: [[String]]) throws -> String {
        var text = ""
        for row in rows {
            if row.contains(where: needsQuoting) {
                let stream = OutputStream(toMemory: ())
                let writer = try CSVWriter(stream: stream, newline: .crlf)
                try writer.write(row: row)
                writer.stream.close()
                let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
                text += String(decoding: data, as: UTF8.self)
            } else {
                text += row.joined(separator: ",")
            }
            text += "\r\n"
        }
        return text
    }

    private static func needsQuoting(_ field: String) -> Bool {
        field.utf8.contains { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") }
    }

    /// A crash mid-write (kill -9 can cut a write short, power loss too) can
    /// leave half a row: cut back to the end of the last complete record so the
    /// next row starts on its own line. A record ends at a newline outside
    /// quotes; names may hold newlines inside quotes, so the quote state is
    /// followed from the start of the file (one read per file and process).
    static func repairTail(fd: Int32, path: String) throws {
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_size > 0 else { return }
        let size = Int(info.st_size)
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var offset = 0, recordEnd = 0
        var quoted = false
        while offset < size {
            let n = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, min($0.count, size - offset), off_t(offset)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw SystemError(errno: n < 0 ? errno : EIO, "read \(path)") }
            if let end = recordsEnd(chunk[0..<n], quoted: &quoted) { recordEnd = offset + end }
            offset += n
        }
        guard recordEnd < size else { return }
        guard ftruncate(fd, off_t(recordEnd)) == 0 else { throw SystemError(errno: errno, "repair \(path)") }
    }

    /// Where the last record that ends in `bytes` ends (one past its newline),
    /// following the quote state from `quoted`; nil when none ends there.
    static func recordsEnd(_ bytes: ArraySlice<UInt8>, quoted: inout Bool) -> Int? {
        var end: Int?
        for (i, byte) in zip(0..., bytes) {
            if byte == UInt8(ascii: "\"") {
                quoted.toggle()
            } else if byte == UInt8(ascii: "\n") && !quoted {
                end = i + 1
            }
        }
        return end
    }

    private static func writeAll(fd: Int32, _ bytes: [UInt8]) throws {
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, bytes.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                throw SystemError(errno: errno, "append results")
            }
            written += n
        }
    }
}
