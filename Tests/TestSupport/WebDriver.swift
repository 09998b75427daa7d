import DigitdCore
import Foundation
import Testing

/// A real headless Chromium driven through chromedriver (W3C WebDriver over HTTP on
/// 127.0.0.1): the browser tests of the review station. Debian's `chromium` and
/// `chromium-driver` (scripts/bootstrap.sh --test installs them).
public final class WebDriver: @unchecked Sendable {
    public static let chromium = "/usr/bin/chromium"
    public static let chromedriver = "/usr/bin/chromedriver"
    public static var available: Bool {
        FileManager.default.isExecutableFile(atPath: chromium) && FileManager.default.isExecutableFile(atPath: chromedriver)
    }
    public static let absent: Comment = "no browser: \(chromium) and \(chromedriver) are needed (Debian chromium, chromium-driver; scripts/bootstrap.sh --test installs them)"

    /// W3C key codes.
    public enum Key {
        public static let enter = "\u{E007}", left = "\u{E012}", up = "\u{E013}", right = "\u{E014}", down = "\u{E015}"
    }

    private let driver: Process
    private let base: String
    private let session: String

    public init(width: Int = 1280, height: Int = 1000) throws {
        let port = try Self.freePort()
        driver = Process()
        driver.executableURL = URL(fileURLWithPath: Self.chromedriver)
        driver.arguments = ["--port=\(port)", "--allowed-ips=127.0.0.1"]
        driver.standardOutput = FileHandle.nullDevice
        driver.standardError = FileHandle.nullDevice
        try driver.run()
        base = "http://127.0.0.1:\(port)"
        var started: String?
        var lastError: Error?
        let deadline = Date().addingTimeInterval(20)
        while started == nil && Date() < deadline {
            let ready: Bool
            do { ready = try Self.call("GET", base + "/status", nil)["value"] != nil } catch {
                lastError = error
                ready = false
            }
            if ready {
                let answer = try Self.call("POST", base + "/session", [
                    "capabilities": ["alwaysMatch": ["browserName": "chrome", "goog:chromeOptions": [
                        "binary": Self.chromium,
                        "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                 "--window-size=\(width),\(height)", "--force-device-scale-factor=1"],
                    ]]],
                ])
                started = (answer["value"] as? [String: Any])?["sessionId"] as? String
                if started == nil { throw DigitdError("chromedriver gave no session: \(answer)") }
            } else {
                usleep(100_000)
            }
        }
        guard let started else {
            kill(driver.processIdentifier, SIGKILL)
            throw DigitdError("chromedriver did not answer on \(base) within 20 s (\(lastError.map { "\($0)" } ?? "no error"))")
        }
        session = base + "/session/" + started
    }

    deinit {
        _ = try? Self.call("DELETE", session, nil)
        // chromedriver ignores SIGTERM: ask it to stop, then make sure.
        _ = try? Self.call("GET", base + "/shutdown", nil)
        let deadline = Date().addingTimeInterval(5)
        while driver.isRunning && Date() < deadline { usleep(50_000) }
        if driver.isRunning { kill(driver.processIdentifier, SIGKILL) }
        driver.waitUntilExit()
    }

    public func open(_ url: String) throws {
        _ = try Self.call("POST", session + "/url", ["url": url])
    }

    /// Runs `script` (a function body) in the page and gives back its `return` value.
    @discardableResult
    public func run(_ script: String, _ arguments: [Any] = []) throws -> Any? {
        let answer = try Self.call("POST", session + "/execute/sync", ["script": script, "args": arguments])
        return answer["value"].flatMap { $0 is NSNull ? nil : $0 }
    }

    /// Presses and releases each key in turn, as a person typing (to the focused page).
    public func press(_ keys: [String]) throws {
        let actions = keys.flatMap { [["type": "keyDown", "value": $0], ["type": "keyUp", "value": $0]] }
        _ = try Self.call("POST", session + "/actions", ["actions": [["type": "key", "id": "keyboard", "actions": actions]]])
    }

    public func click(_ selector: String) throws {
        guard try run("const e = document.querySelector(arguments[0]); if (!e) return false; e.click(); return true;", [selector]) as? Bool == true else {
            throw DigitdError("nothing on the page matches \(selector)")
        }
    }

    /// The visible page as a PNG.
    public func screenshot() throws -> Data {
        let answer = try Self.call("GET", session + "/screenshot", nil)
        guard let text = answer["value"] as? String, let png = Data(base64Encoded: text) else {
            throw DigitdError("chromedriver sent no screenshot")
        }
        return png
    }

    /// Waits until `script` returns true in the page.
    public func wait(_ what: String, timeout: TimeInterval = 30, _ script: String) throws {
        try Harness.waitUntil(what, timeout: timeout, describe: { [self] in
            (try? run("""
                return document.querySelectorAll('.tile').length + ' tiles, ' + document.querySelectorAll('.tile:not(.decided)').length
                    + ' open; page: ' + document.body.innerText.slice(0, 600).replaceAll('\\n', ' | ')
                """) as? String) ?? ""
        }) {
            try run(script) as? Bool == true
        }
    }

    private static func call(_ method: String, _ url: String, _ body: [String: Any]?) throws -> [String: Any] {
        let (data, status) = try HTTP.send(method, url, body: try body.map { try JSONSerialization.data(withJSONObject: $0) })
        let value = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        guard (200..<300).contains(status) else {
            throw DigitdError("WebDriver \(method) \(url): \(status) \(String(decoding: data.prefix(600), as: UTF8.self))")
        }
        return value
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw DigitdError("no free port: \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// HTTP/1.1 to 127.0.0.1 over a plain socket, one request per connection. (URLSession on
/// Linux fails here with "Failed writing header" against chromedriver.)
public enum HTTP {
    public static func send(_ method: String, _ url: String, body: Data? = nil, headers: [String: String] = [:]) throws -> (Data, Int) {
        guard let parts = url.firstMatch(of: /^http:\/\/127\.0\.0\.1:(\d+)(\/.*)?$/), let port = UInt16(parts.output.1) else {
            throw DigitdError("only http://127.0.0.1:PORT/... here, not \(url)")
        }
        let path = parts.output.2.map(String.init) ?? "/"
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw DigitdError("socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 120, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw DigitdError("connect to \(url): \(String(cString: strerror(errno)))") }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\nContent-Length: \(body?.count ?? 0)\r\n"
        if body != nil { head += "Content-Type: application/json\r\n" }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        let out = Array((head + "\r\n").utf8) + Array(body ?? Data())
        var sent = 0
        while sent < out.count {
            let n = out.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, out.count - sent, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw DigitdError("send to \(url): \(String(cString: strerror(errno)))") }
            sent += n
        }
        // To the end of the body its Content-Length gives (chromedriver says "Connection: close"
        // and keeps the connection open), else to the end of the stream.
        var response = Data()
        var chunk = [UInt8](repeating: 0, count: 65536)
        var expected: Int?
        while expected.map({ response.count < $0 }) ?? true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw DigitdError("read from \(url): \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            response.append(contentsOf: chunk[0..<n])
            if expected == nil, let split = response.range(of: Data("\r\n\r\n".utf8)) {
                let head = String(decoding: response[..<split.lowerBound], as: UTF8.self).lowercased().components(separatedBy: "\r\n")
                if let length = head.first(where: { $0.hasPrefix("content-length:") })
                    .flatMap({ Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) }) {
                    expected = split.upperBound + length
                }
            }
        }
        guard let split = response.range(of: Data("\r\n\r\n".utf8)) else { throw DigitdError("\(url): incomplete response") }
        let lines = String(decoding: response[..<split.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let status = lines[0].split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        var content = Data(response[split.upperBound...])
        if lines.contains(where: { $0.lowercased().hasPrefix("transfer-encoding:") && $0.lowercased().contains("chunked") }) {
            content = dechunk(content)
        }
        return (content, status)
    }

    public static func get(_ url: String, headers: [String: String] = [:]) throws -> (Data, Int) {
        try send("GET", url, headers: headers)
    }

    private static func dechunk(_ data: Data) -> Data {
        var out = Data()
        var rest = data[...]
        while let lineEnd = rest.range(of: Data("\r\n".utf8)),
              let size = Int(String(decoding: rest[..<lineEnd.lowerBound], as: UTF8.self).split(separator: ";").first ?? "", radix: 16), size > 0,
              rest.distance(from: lineEnd.upperBound, to: rest.endIndex) >= size {
            let end = rest.index(lineEnd.upperBound, offsetBy: size)
            out.append(rest[lineEnd.upperBound..<end])
            rest = rest[min(rest.index(end, offsetBy: 2), rest.endIndex)...]
        }
        return out
    }
}
