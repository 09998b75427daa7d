import Foundation
import Testing
@testable import TestSupport
@testable import DigitdCore

extension DaemonEndToEndTests {
    @Suite struct Metrics {
        /// GET /metrics on the control socket and on `metrics.listen`: the scan
        /// counters agree with the CSV, the batch histogram with the status, the
        /// model with the one served; the TCP address serves nothing else.
        @Test func countersAgreeWithTheResults() throws {
            let port = Int.random(in: 20_000...60_000)
            var settings = DaemonRoot.Settings()
            settings.metricsListen = "127.0.0.1:\(port)"
            let root = try DaemonRoot("metrics", settings)
            let daemon = try root.startReady()
            defer { stop(daemon, root) }

            for i in 0..<5 { try root.drop("digit-\(i).png", try Fixtures.png(TestImages.page(seed: UInt64(40 + i)))) }
            try root.drop("blank.png", try Fixtures.png(TestImages.blankPage()))
            try root.drop("bad.png", Array("not an image at all".utf8))
            try waitFinished(root, daemon, count: 7)

            let rows = try root.rows()
            let status = try daemon.status(socket: root.layout.socket)
            let text = String(decoding: try ControlClient(socket: root.layout.socket).request("GET", "/metrics"), as: UTF8.self)
            let samples = Self.samples(text)
            for name in ["ok", "review", "blank", "error"] {
                let expected = Double(rows.count { $0["status"] == name })
                #expect(samples["digitd_scans_total{status=\"\(name)\"}"] == expected, "\(name) in:\n\(text)")
            }
            #expect(rows.count == 7)
            #expect(samples["digitd_batch_size_files_sum"] == 7)
            #expect(samples["digitd_batch_size_files_count"] == Double(status.batchSizes.values.reduce(0, +)))
            #expect(samples["digitd_model_info{model=\"\(status.model)\"}"] == 1)
            #expect(samples["digitd_ready"] == 1)
            #expect(text.contains("# TYPE digitd_scans_total counter"))

            let tcp = try Self.get(port: port, "/metrics")
            #expect(tcp.status == 200)
            #expect(Self.samples(tcp.body)["digitd_scans_total{status=\"ok\"}"] == samples["digitd_scans_total{status=\"ok\"}"])
            #expect(try Self.get(port: port, "/v1/status").status == 404)
        }

        /// A metrics.listen port already taken: one clear line and a failed
        /// start, before READY=1 (not a daemon that hangs or restarts forever).
        @Test func busyPortIsAClearStartError() throws {
            let (fd, port) = try Self.listening()
            defer { close(fd) }
            var settings = DaemonRoot.Settings()
            settings.metricsListen = "127.0.0.1:\(port)"
            let root = try DaemonRoot("metrics-busy", settings)
            let daemon = try root.start()
            let status = daemon.wait(timeout: 30)
            let log = (try? String(contentsOfFile: root.logPath, encoding: .utf8)) ?? ""
            #expect(status != nil, "digitd still running with its metrics port taken. \(log)")
            if status == nil { daemon.crash() }
            #expect(status.flatMap(DaemonProcess.exitCode) ?? 0 != 0)
            #expect(log.contains("metrics.listen 127.0.0.1:\(port): Address already in use"), "\(log)")
            #expect(!log.contains("ready: watching"), "\(log)")
        }

        /// A TCP socket listening on a free port of 127.0.0.1.
        static func listening() throws -> (fd: Int32, port: Int) {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && listen(fd, 1) == 0 && getsockname(fd, $0, &length) == 0 }
            }
            guard fd >= 0, bound else { throw DigitdError("cannot listen on 127.0.0.1: errno \(errno)") }
            return (fd, Int(UInt16(bigEndian: address.sin_port)))
        }

        /// "name{labels} value" lines by their name and labels.
        static func samples(_ text: String) -> [String: Double] {
            var samples: [String: Double] = [:]
            for line in text.split(separator: "\n") where !line.hasPrefix("#") {
                guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
                samples[String(line[..<space])] = value
            }
            return samples
        }

        /// One HTTP/1.1 GET to 127.0.0.1:port: status code and body.
        static func get(port: Int, _ path: String) throws -> (status: Int, body: String) {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw DigitdError("socket: errno \(errno)") }
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else { throw DigitdError("connect to 127.0.0.1:\(port): errno \(errno)") }
            let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
            guard request.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == request.count else {
                throw DigitdError("write: errno \(errno)")
            }
            var answer: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65536)
            while case let n = chunk.withUnsafeMutableBytes({ read(fd, $0.baseAddress, $0.count) }), n > 0 { answer += chunk[..<n] }
            let text = String(decoding: answer, as: UTF8.self)
            let parts = text.components(separatedBy: "\r\n\r\n")
            let code = parts[0].split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
            return (code, parts.dropFirst().joined(separator: "\r\n\r\n"))
        }
    }
}
