import Foundation

/// An exclusive flock on FOLDER/.lock: digitd and an offline digitctl never
/// rewrite the same state at once.
struct FolderLock {
    private let fd: Int32

    init(_ folder: String) throws {
        fd = open(folder + "/.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o660)
        guard fd >= 0 else { throw SystemError(errno: errno, "open \(folder)/.lock") }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else {
                let error = errno
                close(fd)
                throw SystemError(errno: error, "lock \(folder)/.lock")
            }
        }
    }

    func release() {
        close(fd)
    }
}
