import Foundation
import Hummingbird
import Logging
import NIOCore

extension DaemonStatus: ResponseEncodable {}

/// The control API (DESIGN §8): HTTP+JSON on DIR/digitd.sock, mode 0660, the
/// way docker.sock works. `digitctl` is its client.
enum ControlServer {
    static func application(socket: String, board: StatusBoard, pending: PendingScans, logger: Logger) -> some ApplicationProtocol {
        let router = Router()
        router.get("/v1/status") { _, _ in board.snapshot(queueDepth: pending.count) }
        return Application(
            router: router,
            configuration: .init(address: .unixDomainSocket(path: socket), serverName: "digitd"),
            onServerRunning: { _ in
                if chmod(socket, 0o660) != 0 {
                    logger.error("cannot set mode 0660 on \(socket): \(SystemError(errno: errno, "chmod"))")
                }
            },
            logger: logger
        )
    }

    /// Removes a socket file left by a dead daemon; refuses when one answers.
    static func clearStaleSocket(_ path: String) throws {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard info.st_mode & S_IFMT == S_IFSOCK else {
            throw DaemonConfig.Error(description: "\(path) exists and is not a socket")
        }
        if ControlClient.isListening(path) {
            throw DaemonConfig.Error(description: "another digitd is already serving \(path)")
        }
        unlink(path)
    }
}
