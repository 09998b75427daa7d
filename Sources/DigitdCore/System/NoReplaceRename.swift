import CDaemonSupport
import Foundation
import Logging

/// Moves a file to a name that must not exist yet, never replacing another file:
/// renameat2(RENAME_NOREPLACE) where the filesystem has it, else the Maildir way,
/// link(2) then unlink(2) (link fails with EEXIST as well). NFS and CIFS reject the
/// flag with EINVAL. The fallback has a crash window between its two calls: one file
/// under both names, which `move` itself and ScanLifecycle.leftovers settle.
final class NoReplaceRename: @unchecked Sendable {
    enum Way: String, Sendable {
        case renameNoReplace = "renameat2(RENAME_NOREPLACE)"
        case linkThenUnlink = "link then unlink"
    }

    private let lock = NSLock()
    private var current: Way
    private let logger: Logger

    init(_ way: Way = .renameNoReplace, logger: Logger = Logger(label: "digitd")) {
        current = way
        self.logger = logger
    }

    /// The way `folder`'s filesystem allows, found by renaming a probe file there with
    /// the flag; logged once. Where no probe can be made (a full or read-only disk at
    /// start-up), renameat2, and the first EINVAL switches.
    convenience init(probing folder: String, logger: Logger) {
        let first = ScanName(".noreplace-probe"), second = ScanName(".noreplace-probe-2")
        // Left by a crash during an earlier probe.
        FileOps.remove(folder, first)
        FileOps.remove(folder, second)
        let fd = FileOps.path(folder, first).withUnsafeBufferPointer {
            open($0.baseAddress!, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        }
        guard fd >= 0 else {
            let error = String(cString: strerror(errno))
            logger.warning("moves: \(Way.renameNoReplace.rawValue); no probe could be made in \(folder) (\(error)), so the first EINVAL switches to \(Way.linkThenUnlink.rawValue)")
            self.init(.renameNoReplace, logger: logger)
            return
        }
        close(fd)
        let error = Self.renameNoReplace(FileOps.path(folder, first), FileOps.path(folder, second))
        FileOps.remove(folder, first)
        FileOps.remove(folder, second)
        if Self.unsupported.contains(error) {
            logger.notice("moves: \(Way.linkThenUnlink.rawValue): renameat2(RENAME_NOREPLACE) is not supported in \(folder) (\(String(cString: strerror(error)))), as on NFS and CIFS")
            self.init(.linkThenUnlink, logger: logger)
        } else {
            logger.notice("moves: \(Way.renameNoReplace.rawValue)")
            self.init(.renameNoReplace, logger: logger)
        }
    }

    var way: Way {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    /// What a filesystem without RENAME_NOREPLACE answers (ENOSYS: a kernel without renameat2).
    static let unsupported: Set<Int32> = [EINVAL, ENOSYS, EOPNOTSUPP]

    /// Moves from/a to to/b: 0, or the errno (EEXIST when another file is at to/b). A
    /// to/b that is this very file already (a move cut short between link and unlink)
    /// only loses the from/a name.
    func move(from: String, _ a: ScanName, to: String, _ b: ScanName) -> Int32 {
        if way == .renameNoReplace {
            let error = Self.renameNoReplace(FileOps.path(from, a), FileOps.path(to, b))
            guard Self.unsupported.contains(error) else { return error == EEXIST ? Self.settle(from, a, to, b) : error }
            fallBack(error, to)
        }
        let linked = FileOps.path(from, a).withUnsafeBufferPointer { source in
            FileOps.path(to, b).withUnsafeBufferPointer { link(source.baseAddress!, $0.baseAddress!) }
        }
        guard linked == 0 else { return errno == EEXIST ? Self.settle(from, a, to, b) : errno }
        guard !FileOps.remove(from, a) else { return 0 }
        let error = errno
        // Gone already (NFS answers a retransmitted unlink so): moved. Else undone, so that
        // the file is not left under both names for a second claim or a numbered copy.
        if FileOps.status(from, a) == nil { return 0 }
        FileOps.remove(to, b)
        return error
    }

    private func fallBack(_ error: Int32, _ folder: String) {
        lock.lock()
        defer { lock.unlock() }
        guard current == .renameNoReplace else { return }
        current = .linkThenUnlink
        logger.notice("moves: \(Way.linkThenUnlink.rawValue) from now on: renameat2(RENAME_NOREPLACE) into \(folder) failed (\(String(cString: strerror(error))))")
    }

    private static func renameNoReplace(_ source: ContiguousArray<CChar>, _ target: ContiguousArray<CChar>) -> Int32 {
        if FaultInjection.renameNoReplaceUnsupported { return EINVAL }
        return source.withUnsafeBufferPointer { s in
            target.withUnsafeBufferPointer { t in dgt_rename_noreplace(s.baseAddress, t.baseAddress) == 0 ? 0 : errno }
        }
    }

    /// EEXIST, unless the target is the source itself: then the source's name is removed.
    private static func settle(_ from: String, _ a: ScanName, _ to: String, _ b: ScanName) -> Int32 {
        guard let source = FileOps.status(from, a), let target = FileOps.status(to, b), FileOps.isSameFile(source, target) else { return EEXIST }
        return FileOps.remove(from, a) || errno == ENOENT ? 0 : errno
    }
}
