import Foundation
import Hummingbird
import HummingbirdCore
import Logging

extension DaemonStatus: ResponseEncodable {}
extension RelabelResult: ResponseEncodable {}
extension FineTuneReport: ResponseEncodable {}
extension ModelRegistry.Contents: ResponseEncodable {}
extension RollbackResult: ResponseEncodable {}
extension UnlabelResult: ResponseEncodable {}
extension ReviewSummary: ResponseEncodable {}

/// The control API (DESIGN §8): HTTP+JSON on DIR/digitd.sock, mode 0660, the
/// way docker.sock works. `digitctl` is its client. A refused request is a 4xx
/// with {"error": {"message": "..."}}: 403 for a change the caller may not make
/// (ControlAccess, the caller named by the kernel).
enum ControlServer {
    struct Settings: Sendable, Equatable {
        /// Members may change things besides root and the service user.
        var adminGroup: String?
        /// A connection with no request in progress is closed after this long.
        var idleTimeoutSeconds = 10.0
        /// Connections open at once; more are answered 503 and closed.
        var maxConnections = 64
    }

    static func application(socket: String, control: some DaemonControl, settings: Settings, logger: Logger) -> some ApplicationProtocol {
        let router = Router(context: ControlRequestContext.self)
        let access = ControlAccess(adminGroup: settings.adminGroup)
        router.get("/v1/status") { _, _ in control.status() }
        router.post("/v1/relabel") { request, context in
            let caller = try await allowed(context, "relabel", access)
            let body = try await request.decode(as: RelabelRequest.self, context: context)
            return try await BlockingWork.run { try refusal { try control.relabel(body, by: caller) } }
        }
        router.post("/v1/finetune") { _, context in
            control.requestFineTune(by: try await allowed(context, "start a fine-tune", access))
        }
        router.get("/v1/finetune") { _, _ in
            do { return try control.fineTuneReport() } catch let none as NoFineTuneYet {
                throw HTTPError(.notFound, message: none.description)
            }
        }
        router.get("/v1/models") { _, _ in try await BlockingWork.run { try refusal { try control.models() } } }
        router.post("/v1/rollback") { request, context in
            let caller = try await allowed(context, "roll back the model", access)
            let body = try await request.decode(as: RollbackRequest.self, context: context)
            return try await BlockingWork.run { try refusal { try control.rollback(body, by: caller) } }
        }
        router.get("/v1/review/queue") { request, _ in
            let limit = request.uri.queryParameters.get("limit", as: Int.self) ?? 100
            let items = try await BlockingWork.run { try refusal { try control.reviewQueue(limit: limit) } }
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(bytes: try JSONCoding.encoder().encode(items))))
        }
        router.get("/v1/review/scans/:claim/:picture") { _, context in
            let claim = try context.parameters.require("claim")
            guard let picture = ReviewPicture(rawValue: try context.parameters.require("picture")) else {
                throw HTTPError(.notFound, message: "pictures are \(ReviewPicture.allCases.map(\.rawValue).joined(separator: " and "))")
            }
            let png = try await BlockingWork.run { try refusal { try control.reviewPicture(claim: claim, picture) } }
            return Response(status: .ok, headers: [.contentType: "image/png"], body: .init(byteBuffer: ByteBuffer(bytes: png)))
        }
        router.get("/v1/review/summary") { _, _ in try await BlockingWork.run { try refusal { try control.reviewSummary() } } }
        router.post("/v1/unlabel") { request, context in
            let caller = try await allowed(context, "take back a label", access)
            let body = try await request.decode(as: UnlabelRequest.self, context: context)
            return try await BlockingWork.run { try refusal { try control.unlabel(body, by: caller) } }
        }
        addMetrics(to: router, control)
        let http = HTTP1Channel.Configuration(idleTimeout: .nanoseconds(Int64(settings.idleTimeoutSeconds * 1e9)))
        return Application(
            router: router,
            server: HTTPServerBuilder { ConnectionLimit(HTTP1Channel(responder: $0, configuration: http), limit: settings.maxConnections) },
            configuration: .init(address: .unixDomainSocket(path: socket), serverName: "digitd"),
            onServerRunning: { _ in
                if chmod(socket, 0o660) != 0 {
                    logger.error("cannot set mode 0660 on \(socket): \(SystemError(errno: errno, "chmod"))")
                }
            },
            logger: logger
        )
    }

    /// The caller of a change, when ControlAccess lets it; else 403 naming the
    /// user and what the change needs.
    private static func allowed(_ context: ControlRequestContext, _ action: String, _ access: ControlAccess) async throws -> ControlCaller {
        let peer = try await context.peerCredentials()
        let (caller, refusal) = try await BlockingWork.run {
            let caller = ControlCaller(uid: peer.uid, gid: peer.gid)
            return (caller, access.refusal(caller, action))
        }
        if let refusal { throw HTTPError(.forbidden, message: refusal) }
        return caller
    }

    /// GET /metrics alone, on the TCP address of `metrics.listen` (opt-in: the
    /// control socket's other routes never leave the machine's filesystem).
    static func metricsApplication(host: String, port: Int, control: some DaemonControl, logger: Logger) -> some ApplicationProtocol {
        let router = Router()
        addMetrics(to: router, control)
        return Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "digitd"),
                           logger: logger)
    }

    private static func addMetrics<Context: RequestContext>(to router: Router<Context>, _ control: some DaemonControl) {
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: control.metrics())))
        }
    }

    /// A request the daemon cannot carry out is the caller's problem (400) with
    /// the one-line reason, not a server error.
    private static func refusal<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch {
            throw HTTPError(.badRequest, message: "\(error)")
        }
    }

    /// Binds `metrics.listen` once before start-up, so a busy port or an unknown
    /// host is one clear error before READY=1, not a failure after it.
    static func checkCanListen(_ address: DaemonConfig.ListenAddress) throws {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE
        var found: UnsafeMutablePointer<addrinfo>?
        let lookup = getaddrinfo(address.host, String(address.port), &hints, &found)
        guard lookup == 0, let info = found else {
            throw DigitdError("metrics.listen \(address.host):\(address.port): \(String(cString: gai_strerror(lookup)))")
        }
        defer { freeaddrinfo(info) }
        let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
        guard fd >= 0 else { throw SystemError(errno: errno, "metrics.listen \(address.host):\(address.port)") }
        defer { close(fd) }
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        guard bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
            throw SystemError(errno: errno, "metrics.listen \(address.host):\(address.port)")
        }
    }

    /// Removes a socket file left by a dead daemon; refuses when one answers.
    static func clearStaleSocket(_ path: String) throws {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard info.st_mode & S_IFMT == S_IFSOCK else {
            throw DigitdError("\(path) exists and is not a socket")
        }
        if ControlClient.isListening(path) {
            throw DigitdError("another digitd is already serving \(path)")
        }
        unlink(path)
    }
}
