import Foundation

/// Whole-file replacement that a crash cannot tear: a temporary file in the same
/// directory, fsync'd, renamed over `path`, and the directory fsync'd, so a reader
/// finds the old file or the new one. Model files and the daemon's state files use it.
enum AtomicFile {
    static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws(SystemError) {
        let directory = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        let temporary = "\(directory)/.\((path as NSString).lastPathComponent).\(getpid()).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw SystemError(errno: errno, "write \(path)") }
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                let error = SystemError(errno: n < 0 ? errno : EIO, "write \(path)")
                close(fd)
                unlink(temporary)
                throw error
            }
            written += n
        }
        let synced = fsync(fd) == 0
        let syncError = SystemError(errno: errno, "write \(path)")
        close(fd)
        guard synced, rename(temporary, path) == 0 else {
            let error = synced ? SystemError(errno: errno, "write \(path)") : syncError
            unlink(temporary)
            throw error
        }
        let directoryFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryFD >= 0 {
            fsync(directoryFD)
            close(directoryFD)
        }
    }
}
