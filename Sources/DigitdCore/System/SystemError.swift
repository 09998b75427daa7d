import Foundation

struct SystemError: Error, CustomStringConvertible {
    var errno: Int32
    var action: String

    init(errno: Int32, _ action: String) {
        self.errno = errno
        self.action = action
    }

    var description: String { "\(action): \(String(cString: strerror(errno)))" }

    /// The fault of the world this error is, when it is one rather than a fault of the file at
    /// hand: digitd waits these out (FaultRetry) and never fails a file for them.
    var worldFault: String? {
        switch errno {
        case ENOSPC, EDQUOT: "disk full"
        case EIO: "I/O error"
        case EROFS: "read-only filesystem"
        case EMFILE, ENFILE: "out of file descriptors"
        case ENOMEM, ENOBUFS: "out of memory"
        case EAGAIN: "resource temporarily unavailable"
        default: nil
        }
    }
}
