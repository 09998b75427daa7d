import Foundation

/// Talks to a running digitd over its control socket. HTTP/1.1 with
/// `Connection: close` over a Unix socket: one request, one response.
struct ControlClient: DigitdControl {
    let socket: String

    init(socket: String) {
        self.socket = socket
    }

    func status() throws -> DaemonStatus {
        try call("GET", "/v1/status")
    }

    func relabel(_ request: RelabelRequest) throws -> RelabelResult {
        try call("POST", "/v1/relabel", request)
    }

    /// Queues a fine-tune (or joins the one queued); its report says which run.
    func requestFineTune() throws -> FineTuneReport {
        try call("POST", "/v1/finetune")
    }

    func fineTuneReport() throws -> FineTuneReport {
        try call("GET", "/v1/finetune")
    }

    func models() throws -> ModelRegistry.Contents {
        try call("GET", "/v1/models")
    }

    func rollback(_ request: RollbackRequest) throws -> RollbackResult {
        try call("POST", "/v1/rollback", request)
    }

    func reviewQueue(limit: Int) throws -> [ReviewItem] {
        try call("GET", "/v1/review/queue?limit=\(limit)")
    }

    func reviewPicture(claim: String, _ kind: ReviewPicture) throws -> [UInt8] {
        // A claim id is digitd's own hex; anything else would not be one.
        guard !claim.isEmpty, claim.allSatisfy(\.isHexDigit) else { throw DigitdError("unknown scan \(claim)") }
        return Array(try request("GET", "/v1/review/scans/\(claim)/\(kind.rawValue)"))
    }

    func reviewSummary() throws -> ReviewSummary {
        try call("GET", "/v1/review/summary")
    }

    func unlabel(_ request: UnlabelRequest) throws -> UnlabelResult {
        try call("POST", "/v1/unlabel", request)
    }

    /// Whether a daemon answers on the socket (else commands work offline), or
    /// its socket's mode keeps this user out: that is said plainly, not hidden
    /// behind a fall-back to the folders.
    var isRunning: Bool {
        do {
            close(try Self.connect(socket))
            return true
        } catch let error as SystemError {
            return error.errno == EACCES
        } catch {
            return false
        }
    }

    private func call<Answer: Decodable>(_ method: String, _ path: String, _ body: (some Encodable)? = nil as Int?) throws -> Answer {
        let data = try body.map { try JSONCoding.encoder().encode($0) } ?? Data()
        let answer = try request(method, path, body: data)
        do { return try JSONCoding.decoder().decode(Answer.self, from: answer) } catch {
            throw DigitdError("digitd sent an unreadable answer to \(path): \(error)")
        }
    }

    static func isListening(_ path: String) -> Bool {
        guard let fd = try? connect(path) else { return false }
        close(fd)
        return true
    }

    private static func connect(_ path: String) throws -> Int32 {
        let fd = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SystemError(errno: errno, "socket") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            close(fd)
            throw DigitdError("socket path too long: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes + [0]) }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else {
            let error = errno
            close(fd)
            throw SystemError(errno: error, "connect to \(path)")
        }
        return fd
    }

    /// The response body of a 2xx answer; otherwise the server's message.
    func request(_ method: String, _ path: String, body: Data = Data()) throws -> Data {
        let fd: Int32
        do { fd = try Self.connect(socket) } catch let error as SystemError {
            if error.errno == EACCES {
                throw DigitdError("\(socket): permission denied (the control socket admits its owner and group, digitd's service group)")
            }
            throw DigitdError("digitd is not running (\(error.description))")
        }
        defer { close(fd) }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: digitd\r\nConnection: close\r\n"
        head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n"
        let out = Array(head.utf8) + Array(body)
        var sent = 0
        while sent < out.count {
            let n = out.withUnsafeBytes { send(fd, $0.baseAddress! + sent, out.count - sent, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            // digitd may answer and close before reading it all (a refusal): read what it said.
            if n < 0 && (errno == EPIPE || errno == ECONNRESET) { break }
            guard n > 0 else { throw SystemError(errno: errno, "send to digitd") }
            sent += n
        }
        var response = Data()
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw SystemError(errno: errno, "read from digitd") }
            if n == 0 { break }
            response.append(contentsOf: chunk[0..<n])
        }
        return try Self.parse(response)
    }

    static func parse(_ response: Data) throws -> Data {
        guard let split = response.range(of: Data("\r\n\r\n".utf8)) else {
            throw DigitdError("digitd sent an incomplete response")
        }
        let head = String(decoding: response[..<split.lowerBound], as: UTF8.self)
        let lines = head.components(separatedBy: "\r\n")
        let status = lines[0].split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        var body = Data(response[split.upperBound...])
        let chunked = lines.contains { $0.lowercased().hasPrefix("transfer-encoding:") && $0.lowercased().contains("chunked") }
        if chunked { body = try dechunk(body) }
        guard (200..<300).contains(status) else {
            struct Refusal: Decodable {
                struct Message: Decodable { var message: String }
                var error: Message
            }
            if let refusal = try? JSONCoding.decoder().decode(Refusal.self, from: body) { throw DigitdError(refusal.error.message) }
            let message = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw DigitdError(message.isEmpty ? "digitd answered \(lines[0])" : message)
        }
        return body
    }

    private static func dechunk(_ data: Data) throws -> Data {
        var out = Data()
        var rest = data[...]
        while let lineEnd = rest.range(of: Data("\r\n".utf8)) {
            let sizeText = String(decoding: rest[..<lineEnd.lowerBound], as: UTF8.self)
            guard let size = Int(sizeText.split(separator: ";")[0], radix: 16) else { break }
            if size == 0 { return out }
            let start = lineEnd.upperBound
            guard rest.distance(from: start, to: rest.endIndex) >= size + 2 else { break }
            let end = rest.index(start, offsetBy: size)
            out.append(rest[start..<end])
            rest = rest[rest.index(end, offsetBy: 2)...]
        }
        throw DigitdError("digitd sent a malformed chunked response")
    }
}
