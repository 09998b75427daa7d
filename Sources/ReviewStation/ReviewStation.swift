import DigitdCore
import Foundation
import Hummingbird
import Logging

/// `digitctl review`: a small web server on this machine (127.0.0.1 by default) that shows
/// digitd's review queue and takes decisions. It has no state of its own: every request becomes
/// a call on the control socket (or the folders when no daemon runs), as the user who started
/// it, so digitd records who decided. Every request must carry the token; pictures are asked for
/// by claim id, never by a name or path.
public struct ReviewStation: Sendable {
    public let control: any DigitdControl
    public let token: StationToken

    public init(control: any DigitdControl, token: StationToken = StationToken()) {
        self.control = control
        self.token = token
    }

    /// A decision from the page: the digit a scan really is (its guess, for a confirmation),
    /// or that it is not a digit.
    struct Decision: Codable {
        var claim: String
        var digit: Int?
        var notADigit: Bool?
    }

    /// A fine-tune's report with the lines `digitctl finetune-now` would print.
    struct FineTuneView: Codable {
        var report: FineTuneReport?
        var lines: [String]
    }

    /// The server on `host:port` (0: a free one); `onListening` gets the port it took.
    public func application(host: String, port: Int, onListening: @escaping @Sendable (Int) async -> Void)
        -> some ApplicationProtocol
    {
        let router = Router()
        router.add(middleware: TokenCheck(token: token))
        let control = self.control
        router.get("/") { _, _ in Self.html(QueuePage.html) }
        router.get("/status") { _, _ in
            let summary = try await BlockingWork.run { try control.reviewSummary() }
            let status = try? await BlockingWork.run { try control.status() }
            let models = try? await BlockingWork.run { try control.models() }
            return Self.html(StatusPage(summary: summary, status: status, models: models).html)
        }
        router.get("/api/queue") { request, _ in
            let limit = request.uri.queryParameters.get("limit", as: Int.self) ?? 200
            return try Self.json(try await BlockingWork.run { try control.reviewQueue(limit: limit) })
        }
        router.get("/api/scans/:claim/:picture") { _, context in
            let claim = try context.parameters.require("claim")
            guard let picture = ReviewPicture(rawValue: try context.parameters.require("picture")) else {
                throw HTTPError(.notFound)
            }
            let png = try await BlockingWork.run { try control.reviewPicture(claim: claim, picture) }
            return Response(status: .ok, headers: [.contentType: "image/png", .cacheControl: "private, max-age=3600"],
                            body: .init(byteBuffer: ByteBuffer(bytes: png)))
        }
        router.post("/api/decisions") { request, context in
            let decision = try await request.decode(as: Decision.self, context: context)
            guard decision.digit != nil || decision.notADigit == true else { throw HTTPError(.badRequest, message: "a decision needs a digit or notADigit") }
            let request = RelabelRequest(image: decision.claim, label: decision.notADigit == true ? nil : decision.digit, claim: decision.claim)
            return try Self.json(try await BlockingWork.run { try control.relabel(request) })
        }
        router.post("/api/undo") { request, context in
            let undo = try await request.decode(as: UnlabelRequest.self, context: context)
            return try Self.json(try await BlockingWork.run { try control.unlabel(undo) })
        }
        router.post("/api/finetune") { _, _ in
            try Self.json(Self.view(try await BlockingWork.run { try control.requestFineTune() }))
        }
        router.get("/api/finetune") { _, _ in
            try Self.json(Self.view(try? await BlockingWork.run { try control.fineTuneReport() }))
        }
        return Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "digitd-review"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) },
            logger: Self.logger
        )
    }

    /// Hummingbird's own notices are not the user's business; its warnings and errors are.
    private static var logger: Logger {
        var logger = Logger(label: "digitd-review")
        logger.logLevel = .warning
        return logger
    }

    private static func view(_ report: FineTuneReport?) -> FineTuneView {
        guard let report else { return FineTuneView(report: nil, lines: []) }
        var lines: [String] = []
        if let parent = report.parent { lines.append(report.headline(parent)) }
        if report.isFinished {
            lines += report.verdict.split(separator: "\n").map(String.init)
        } else if report.state == .running && report.epoch > 0 {
            lines.append("fine-tune #\(report.run): epoch \(report.epoch)/\(report.epochs)")
        } else {
            lines.append("fine-tune #\(report.run): \(report.state.rawValue)")
        }
        return FineTuneView(report: report, lines: lines)
    }

    static func html(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func json(_ value: some Encodable) throws -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"],
                 body: .init(byteBuffer: ByteBuffer(bytes: try JSONCoding.encoder().encode(value))))
    }
}
