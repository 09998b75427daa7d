import Foundation

struct SystemError: Error, CustomStringConvertible {
    var errno: Int32
    var action: String

    init(errno: Int32, _ action: String) {
        self.errno = errno
        self.action = action
    }

    var description: String { "\(action): \(String(cString: strerror(errno)))" }
}
