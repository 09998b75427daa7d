import Foundation
import HummingbirdCore
import Logging
import NIOCore

/// The control socket's connections, at most `limit` open at once. One past it
/// is answered 503 and closed, so clients that connect and sit there
/// cannot take the daemon's descriptors (the idle timeout closes those in time).
struct ConnectionLimit<Base: ServerChildChannel>: ServerChildChannel {
    enum Connection: ServerChildChannelValue {
        case served(Base.Value)
        case refused(any Channel)

        var channel: any Channel {
            switch self {
            case .served(let value): value.channel
            case .refused(let channel): channel
            }
        }
    }

    let base: Base
    let limit: Int
    private let open = OpenCount()

    init(_ base: Base, limit: Int) {
        self.base = base
        self.limit = limit
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Connection> {
        guard open.enter(limit: limit) else {
            logger.warning("control socket: \(limit) connections open (control.max_connections), one more refused")
            return channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(Refusal(limit: limit))
                return .refused(channel)
            }
        }
        channel.closeFuture.whenComplete { [open] _ in open.leave() }
        return base.setup(channel: channel, logger: logger).map { .served($0) }
    }

    func handle(value: Connection, logger: Logger) async {
        if case .served(let served) = value { await base.handle(value: served, logger: logger) }
    }

    /// Answers a connection past the limit 503 as soon as it is up, and closes
    /// it once the client has closed its side (closing with its request unread
    /// would reset the connection before the client read the answer), or after
    /// two seconds.
    private final class Refusal: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let limit: Int

        init(limit: Int) { self.limit = limit }

        func channelActive(context: ChannelHandlerContext) {
            let message = "digitd has \(limit) control connections open (control.max_connections); try again later"
            let body = #"{"error":{"message":"\#(message)"}}"#
            let answer = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: answer)), promise: nil)
            context.close(mode: .output, promise: nil)
            context.eventLoop.assumeIsolated().scheduleTask(in: .seconds(2)) { context.close(promise: nil) }
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {}

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if case .inputClosed = event as? ChannelEvent { context.close(promise: nil) }
        }
    }

    private final class OpenCount: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0

        func enter(limit: Int) -> Bool {
            lock.lock()
            defer { lock.unlock() }
            guard count < limit else { return false }
            count += 1
            return true
        }

        func leave() {
            lock.lock()
            count -= 1
            lock.unlock()
        }
    }
}
