import Foundation

/// One digitd per root (DESIGN §3): an exclusive flock on ROOT/.lock, taken
/// before anything in the root is read or moved and held for the process's
/// life (the kernel drops it when the process dies, however it dies). The
/// holder's pid is written into the file so a second digitd can name it.
final class RootLock: Sendable {
    private let fd: Int32
    let path: String

    /// Takes the lock without waiting; throws when another process has it.
    init(root: String) throws {
        path = (root as NSString).appendingPathComponent(".lock")
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o640)
        guard fd >= 0 else { throw SystemError(errno: errno, "open \(path)") }
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let error = errno
            if error == EINTR { continue }
            let holder = Self.holder(fd)
            close(fd)
            if error == EWOULDBLOCK {
                throw DigitdError("another digitd (\(holder)) is already running on this root (it holds \(path)); stop it first or use another root")
            }
            throw SystemError(errno: error, "lock \(path)")
        }
        self.fd = fd
        let line = Array("pid \(getpid())\n".utf8)
        if ftruncate(fd, 0) == 0 { _ = line.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) } }
    }

    /// What the holder wrote ("pid N"), or "pid unknown".
    private static func holder(_ fd: Int32) -> String {
        var bytes = [UInt8](repeating: 0, count: 64)
        let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        let text = n > 0 ? String(decoding: bytes[..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : ""
        return text.hasPrefix("pid ") && text.dropFirst(4).allSatisfy(\.isNumber) ? text : "pid unknown"
    }

    deinit { close(fd) }
}
