import CDaemonSupport
import Foundation
import Hummingbird
import NIOCore

/// A control request with the connection it came on, so that a route can ask
/// the kernel who is calling.
struct ControlRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    private let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// The pid, uid and gid the kernel recorded for the connecting process at
    /// connect(2) (SO_PEERCRED): what a client says of itself is never asked.
    func peerCredentials() async throws -> dgt_ucred {
        guard let socket = channel as? any SocketOptionProvider else {
            throw HTTPError(.internalServerError, message: "the control connection has no peer credentials")
        }
        return try await socket.unsafeGetSocketOption(level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_PEERCRED)).get()
    }
}
