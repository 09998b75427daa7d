import Foundation

/// inbox → processing → done | failed, each step one atomic move on one
/// filesystem (DESIGN §3). A finished file never replaces another.
final class ScanLifecycle: @unchecked Sendable {
    enum Outcome: String, Sendable { case done, failed }

    let layout: RuntimeLayout
    private let moves: NoReplaceRename
    private let sync: FileSync
    private let lock = NSLock()
    private var lastMillisecond: UInt64 = 0
    private var sequence: UInt64 = 0

    init(layout: RuntimeLayout, moves: NoReplaceRename = NoReplaceRename(), sync: FileSync = .fsync) {
        self.layout = layout
        self.moves = moves
        self.sync = sync
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

    /// Moves inbox/name into processing/; nil when the file is gone already.
    /// A name too long to keep beside the id is first written to the claim's
    /// name record, so a restart still knows it.
    func claim(_ name: ScanName) throws -> Claim? {
        let claim = Claim(id: nextID(), original: name)
        if !claim.processingNameIsWhole { try writeNameRecord(claim) }
        let error = moves.move(from: layout.inbox, name, to: layout.processing, claim.processingName)
        if error != 0 && !claim.processingNameIsWhole { removeNameRecord(claim) }
        if error == ENOENT { return nil }
        // fs.protected_hardlinks: no link to a file digitd neither owns nor may read and
        // write. The file stays in the inbox: claimed by a plain rename, it could not be
        // finished without risking a replace (its link would fail the same way).
        if error == EPERM && moves.way == .linkThenUnlink {
            throw SystemError(errno: error, "claim \(name) by link (make scans group-readable and writable, see README, network shares)")
        }
        guard error == 0 else { throw SystemError(errno: error, "claim \(name)") }
        return claim
    }

    /// fsync of inbox/ and processing/ after a batch's claims, before its rows are
    /// appended: a claim lost to a power cut after its row would bring the file back to
    /// the inbox, for a second row.
    func syncClaims() throws {
        try sync.folder(layout.inbox)
        try sync.folder(layout.processing)
    }

    /// fsync of processing/ and the folders a batch's files went to, after its moves.
    func syncFinished(_ outcomes: Set<Outcome>) throws {
        try sync.folder(layout.processing)
        for outcome in [Outcome.done, .failed] where outcomes.contains(outcome) { try sync.folder(folder(outcome)) }
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

    /// Moves the claim out of processing/, to `planned` if still free, else to the first
    /// free candidate; for a failure, `NAME.reason` goes beside it; a `retried` claim's
    /// retry record goes after it. Returns the name it got.
    @discardableResult
    func finish(_ claim: Claim, _ outcome: Outcome, planned: ScanName, reason: String = "", retried: Bool = false) throws -> ScanName {
        var name = planned
        var n = 0
        while try !move(claim, outcome, to: name, reason: reason, planned: name == planned) {
            repeat {
                n += 1
                name = Self.candidate(claim.original, outcome, n)
            } while name == planned
            guard n <= 100_000 else { throw SystemError(errno: EEXIST, "no free name for \(claim.original) in \(folder(outcome))") }
        }
        if !claim.processingNameIsWhole { removeNameRecord(claim) }
        if retried { FileOps.remove(layout.processing, claim.retryRecord) }
        return name
    }

    /// One try at moving the claim to `name`; false when another file has it. A failure's
    /// reason is written and on disk first: a crash between the two leaves the claim in
    /// processing/ (moved at the next start, its reason already there), never a file in
    /// failed/ without its reason.
    private func move(_ claim: Claim, _ outcome: Outcome, to name: ScanName, reason: String, planned: Bool) throws -> Bool {
        let folder = self.folder(outcome)
        var wroteReason = false
        if outcome == .failed {
            let there = FileOps.status(folder, name)
            // This very file, there already: a crash cut its move short between link and unlink.
            let moved = there.map { isFile($0, of: claim) } ?? false
            if there != nil && !moved { return false }
            wroteReason = try Self.writeReason(reason, folder: folder, name: Self.reasonName(name))
            // A reason there before is this claim's own only at the name it planned (no one
            // else writes there after plannedName found it free) or beside its moved file.
            if !wroteReason && !planned && !moved { return false }
            do { try sync.folder(folder) } catch {
                if wroteReason { FileOps.remove(folder, Self.reasonName(name)) }
                throw error
            }
        }
        let error = moves.move(from: layout.processing, claim.processingName, to: folder, name)
        if error == 0 { return true }
        if wroteReason { FileOps.remove(folder, Self.reasonName(name)) }
        guard error == EEXIST else { throw SystemError(errno: error, "move \(claim.processingName) into \(folder)") }
        return false
    }

    /// Whether `info` is the claim's file in processing/ (the same inode).
    private func isFile(_ info: stat, of claim: Claim) -> Bool {
        guard let mine = FileOps.status(layout.processing, claim.processingName) else { return false }
        return FileOps.isSameFile(mine, info)
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
        // A claim by link whose unlink a crash cut short: the file is still in the inbox
        // under its name too, where it would be claimed a second time, for a second row.
        for claim in claims {
            guard let inbox = FileOps.status(layout.inbox, claim.original), isFile(inbox, of: claim) else { continue }
            guard FileOps.remove(layout.inbox, claim.original) || errno == ENOENT else {
                throw SystemError(errno: errno, "remove \(claim.original) from the inbox (claimed already)")
            }
        }
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

    /// One line, fsync'ed; O_EXCL, so an existing reason is never replaced, except an
    /// empty one (what a kill between creating and writing it leaves: only this claim's
    /// earlier attempt can have created the planned name's reason). True when this call
    /// wrote it, false when another was there. A failed write leaves no reason behind.
    private static func writeReason(_ reason: String, folder: String, name: ScanName) throws -> Bool {
        let path = FileOps.path(folder, name)
        var created = true
        var fd = path.withUnsafeBufferPointer { open($0.baseAddress!, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644) }
        if fd < 0 && errno == EEXIST {
            created = false
            fd = path.withUnsafeBufferPointer { open($0.baseAddress!, O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC) }
            // Not an empty file (a symlink, a FIFO, a written reason): kept, unless the
            // world keeps it from being looked at.
            guard fd >= 0 || SystemError(errno: errno, "").worldFault != nil else { return false }
            var info = stat()
            if fd >= 0 && (fstat(fd, &info) != 0 || info.st_mode & S_IFMT != S_IFREG || info.st_size != 0) {
                close(fd)
                return false
            }
        }
        guard fd >= 0 else { throw SystemError(errno: errno, "write \(folder)/\(name)") }
        defer { close(fd) }
        let line = Array((reason + "\n").utf8)
        let written = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        // A short write is a full disk (the next write would say ENOSPC).
        let error = written < 0 ? errno : written < line.count ? ENOSPC : fsync(fd) == 0 ? 0 : errno
        guard error == 0 else {
            if created { FileOps.remove(folder, name) } else { _ = ftruncate(fd, 0) }
            throw SystemError(errno: error, "write \(folder)/\(name)")
        }
        return true
    }
}
