import Foundation

/// inbox → processing → done | failed, each step one atomic rename on one
/// filesystem (DESIGN §3). A finished file never replaces another.
final class ScanLifecycle: @unchecked Sendable {
    enum Outcome: String, Sendable { case done, failed }

    let layout: RuntimeLayout
    private let lock = NSLock()
    private var lastMillisecond: UInt64 = 0
    private var sequence: UInt64 = 0

    init(layout: RuntimeLayout) {
        self.layout = layout
    }

    /// A new claim id: milliseconds since 1970 and a sequence number, in hex,
    /// increasing within a process.
    func nextID() -> String {
        lock.lock()
        defer { lock.unlock() }
        let now = UInt64(Date().timeIntervalSince1970 * 1000)
        if now > lastMillisecond {
            lastMillisecond = now
            sequence = 0
        } else {
            sequence += 1
            if sequence == 1 << 20 { lastMillisecond += 1; sequence = 0 }
        }
        let hex = String(lastMillisecond << 20 | sequence, radix: 16)
        return String(repeating: "0", count: max(0, Claim.idLength - hex.count)) + hex
    }

    /// Renames inbox/name into processing/; nil when the file is gone already.
    /// A name too long to keep beside the id is first written to the claim's
    /// name record, so a restart still knows it.
    func claim(_ name: ScanName) throws -> Claim? {
        let claim = Claim(id: nextID(), original: name)
        if !claim.processingNameIsWhole { try writeNameRecord(claim) }
        let error = FileOps.renameNoReplace(from: layout.inbox, name, to: layout.processing, claim.processingName)
        if error != 0 && !claim.processingNameIsWhole { removeNameRecord(claim) }
        if error == ENOENT { return nil }
        guard error == 0 else { throw SystemError(errno: error, "claim \(name)") }
        return claim
    }

    /// The name a claim will most likely get in done/ or failed/ (the first
    /// free one not in `reserved`: names already planned for others of its batch).
    func plannedName(_ claim: Claim, _ outcome: Outcome, reserved: Set<ScanName> = []) -> ScanName {
        let folder = self.folder(outcome)
        var n = 1
        var candidate = Self.candidate(claim.original, outcome, n)
        while reserved.contains(candidate) || FileOps.status(folder, candidate) != nil
            || (outcome == .failed && FileOps.status(folder, Self.reasonName(candidate)) != nil) {
            n += 1
            candidate = Self.candidate(claim.original, outcome, n)
        }
        return candidate
    }

    /// The n-th name a file may get in done/ or failed/: its inbox name
    /// (n = 1), then name~2, name~3, ...; in failed/, cut to leave room for
    /// the ".reason" beside it.
    static func candidate(_ original: ScanName, _ outcome: Outcome, _ n: Int) -> ScanName {
        let limit = outcome == .failed ? 255 - 7 : 255
        return n == 1 ? original.cut(to: limit) : original.numbered(n, limit: limit)
    }

    /// Moves the claim out of processing/ (to `planned` if still free); for a
    /// failure, writes `NAME.reason` beside it; a `retried` claim's retry record
    /// goes after it. Returns the name it got.
    @discardableResult
    func finish(_ claim: Claim, _ outcome: Outcome, planned: ScanName, reason: String = "", retried: Bool = false) throws -> ScanName {
        let folder = self.folder(outcome)
        // The reason goes first: a kill between the two leaves the claim in
        // processing/ (moved at the next start, its reason already there), never
        // a file in failed/ without its reason.
        let reserved = outcome == .failed && Self.writeReason(reason, folder: folder, name: Self.reasonName(planned))
        let name = try FileOps.moveWithoutOverwrite(claim.processingName, from: layout.processing, to: folder, preferred: planned)
        if outcome == .failed && name != planned {
            if reserved { FileOps.remove(folder, Self.reasonName(planned)) }
            Self.writeReason(reason, folder: folder, name: Self.reasonName(name))
        }
        if !claim.processingNameIsWhole { removeNameRecord(claim) }
        if retried { FileOps.remove(layout.processing, claim.retryRecord) }
        return name
    }

    /// Claims left in processing/ by an earlier run (crash, kill -9, power loss),
    /// with their whole inbox names and how often digitd died on them; records
    /// left without a claim are removed.
    func leftovers() throws -> [Leftover] {
        var claims: [Claim] = []
        var records: Set<ScanName> = []
        try FileOps.list(layout.processing) { name in
            if let claim = Claim(processingName: name) {
                claims.append(claim)
            } else if Self.isRecord(name) {
                records.insert(name)
            }
            return true
        }
        claims = claims.map { claim in
            guard claim.original.bytes.count == 255 - Claim.idLength - 1, records.contains(claim.nameRecord),
                  let whole = readNameRecord(claim), whole.starts(with: claim.original.bytes) else { return claim }
            return Claim(id: claim.id, original: ScanName(bytes: whole))
        }
        let owned = Set(claims.flatMap { [$0.nameRecord, $0.retryRecord] })
        for record in records where !owned.contains(record) { FileOps.remove(layout.processing, record) }
        return claims.sorted { $0.id < $1.id }.map { Leftover(claim: $0, deaths: records.contains($0.retryRecord) ? 2 : 1) }
    }

    /// `<id>.name` or `<id>.retry` (never parsed as a claim: no "-" after the id).
    private static func isRecord(_ name: ScanName) -> Bool {
        let text = name.description
        return (name.bytes.count == Claim.idLength + 5 && text.hasSuffix(".name"))
            || (name.bytes.count == Claim.idLength + 6 && text.hasSuffix(".retry"))
    }

    /// Records, before a leftover's retry starts, that it has begun: if digitd
    /// dies again before the claim is finished, the next start finds the record
    /// and quarantines the file instead of trying a third time. A plain create
    /// without fsync: the page cache outlives every process death that makes a
    /// poison pill (kill -9, SIGILL, SIGABRT, the watchdog, OOM); only a power
    /// cut could lose it, and then the file is merely retried once more.
    func markRetry(_ claim: Claim) throws {
        let fd = FileOps.path(layout.processing, claim.retryRecord).withUnsafeBufferPointer {
            open($0.baseAddress!, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o640)
        }
        guard fd >= 0 else { throw SystemError(errno: errno, "write \(claim.retryRecord)") }
        close(fd)
    }

    private func writeNameRecord(_ claim: Claim) throws {
        let path = FileOps.path(layout.processing, claim.nameRecord)
        let fd = path.withUnsafeBufferPointer { open($0.baseAddress!, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644) }
        guard fd >= 0 else { throw SystemError(errno: errno, "write \(claim.nameRecord)") }
        defer { close(fd) }
        let bytes = claim.original.bytes
        guard bytes.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == bytes.count, fsync(fd) == 0 else {
            let error = SystemError(errno: errno, "write \(claim.nameRecord)")
            FileOps.remove(layout.processing, claim.nameRecord)
            throw error
        }
    }

    private func readNameRecord(_ claim: Claim) -> [UInt8]? {
        let fd = FileOps.path(layout.processing, claim.nameRecord).withUnsafeBufferPointer { open($0.baseAddress!, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 256)
        let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard n > 0, n <= 255 else { return nil }
        return Array(bytes[..<n])
    }

    private func removeNameRecord(_ claim: Claim) {
        FileOps.remove(layout.processing, claim.nameRecord)
    }

    /// Claim ids are milliseconds since 1970 in their top bits.
    static func date(ofClaim id: String) -> Date {
        Date(timeIntervalSince1970: Double((UInt64(id, radix: 16) ?? 0) >> 20) / 1000)
    }

    func folder(_ outcome: Outcome) -> String { outcome == .done ? layout.done : layout.failed }

    static func reasonName(_ name: ScanName) -> ScanName { ScanName(bytes: name.bytes + Array(".reason".utf8)) }

    /// One line; O_EXCL, so an existing reason is never replaced, except an
    /// empty one (what a kill between creating and writing it leaves: only
    /// this claim's earlier attempt can have created the planned name's
    /// reason). True when this call created the file.
    @discardableResult
    private static func writeReason(_ reason: String, folder: String, name: ScanName) -> Bool {
        let path = FileOps.path(folder, name)
        var created = true
        var fd = path.withUnsafeBufferPointer { open($0.baseAddress!, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644) }
        if fd < 0 && errno == EEXIST {
            created = false
            fd = path.withUnsafeBufferPointer { open($0.baseAddress!, O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC) }
            var info = stat()
            if fd >= 0 && (fstat(fd, &info) != 0 || info.st_mode & S_IFMT != S_IFREG || info.st_size != 0) {
                close(fd)
                fd = -1
            }
        }
        guard fd >= 0 else { return false }
        let line = Array((reason + "\n").utf8)
        _ = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        return created
    }
}
