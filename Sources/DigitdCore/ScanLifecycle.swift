import Foundation

/// A file taken from the inbox: it now lives in processing/ as `<id>-<name>`,
/// so two scans with the same name never meet and a restart knows both the
/// claim and the inbox name.
public struct Claim: Sendable, Hashable {
    public let id: String
    public let original: ScanName

    static let idLength = 16

    var processingName: ScanName {
        // NAME_MAX is 255 bytes: a name already that long loses its tail here.
        ScanName(bytes: Array((Array(id.utf8) + [UInt8(ascii: "-")] + original.bytes).prefix(255)))
    }

    init(id: String, original: ScanName) {
        self.id = id
        self.original = original
    }

    /// Parses a processing/ name; nil for anything digitd did not put there.
    init?(processingName: ScanName) {
        let bytes = processingName.bytes
        guard bytes.count > Self.idLength + 1, bytes[Self.idLength] == UInt8(ascii: "-") else { return nil }
        let id = String(decoding: bytes[..<Self.idLength], as: UTF8.self)
        guard id.allSatisfy(\.isHexDigit) else { return nil }
        self.init(id: id, original: ScanName(bytes: Array(bytes[(Self.idLength + 1)...])))
    }
}

/// inbox → processing → done | failed, each step one atomic rename on one
/// filesystem (DESIGN §3). A finished file never replaces another.
public final class ScanLifecycle: @unchecked Sendable {
    public enum Outcome: String, Sendable { case done, failed }

    public let layout: RuntimeLayout
    private let lock = NSLock()
    private var lastMillisecond: UInt64 = 0
    private var sequence: UInt64 = 0

    public init(layout: RuntimeLayout) {
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
    public func claim(_ name: ScanName) throws -> Claim? {
        let claim = Claim(id: nextID(), original: name)
        let error = FileOps.renameNoReplace(from: layout.inbox, name, to: layout.processing, claim.processingName)
        if error == ENOENT { return nil }
        guard error == 0 else { throw SystemError(errno: error, "claim \(name)") }
        return claim
    }

    /// The name a claim will most likely get in done/ or failed/ (the first free one).
    public func plannedName(_ claim: Claim, _ outcome: Outcome) -> ScanName {
        let folder = self.folder(outcome)
        var candidate = claim.original
        var n = 2
        while FileOps.status(folder, candidate) != nil || (outcome == .failed && FileOps.status(folder, Self.reasonName(candidate)) != nil) {
            candidate = claim.original.numbered(n)
            n += 1
        }
        return candidate
    }

    /// Moves the claim out of processing/ (to `planned` if still free); for a
    /// failure, writes `NAME.reason` beside it. Returns the name it got.
    @discardableResult
    public func finish(_ claim: Claim, _ outcome: Outcome, planned: ScanName, reason: String = "") throws -> ScanName {
        let folder = self.folder(outcome)
        let name = try FileOps.moveWithoutOverwrite(claim.processingName, from: layout.processing, to: folder, preferred: planned)
        if outcome == .failed { Self.writeReason(reason, folder: folder, name: Self.reasonName(name)) }
        return name
    }

    /// Claims left in processing/ by an earlier run (crash, kill -9, power loss).
    public func leftovers() throws -> [Claim] {
        var claims: [Claim] = []
        try FileOps.list(layout.processing) { name in
            if let claim = Claim(processingName: name) { claims.append(claim) }
            return true
        }
        return claims.sorted { $0.id < $1.id }
    }

    /// Claim ids are milliseconds since 1970 in their top bits.
    static func date(ofClaim id: String) -> Date {
        Date(timeIntervalSince1970: Double((UInt64(id, radix: 16) ?? 0) >> 20) / 1000)
    }

    func folder(_ outcome: Outcome) -> String { outcome == .done ? layout.done : layout.failed }

    static func reasonName(_ name: ScanName) -> ScanName { ScanName(bytes: name.bytes + Array(".reason".utf8)) }

    /// One line; O_EXCL, so an existing file of that name is never replaced.
    private static func writeReason(_ reason: String, folder: String, name: ScanName) {
        let path = FileOps.path(folder, name)
        let fd = path.withUnsafeBufferPointer { open($0.baseAddress!, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644) }
        guard fd >= 0 else { return }
        let line = Array((reason + "\n").utf8)
        _ = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }
}
