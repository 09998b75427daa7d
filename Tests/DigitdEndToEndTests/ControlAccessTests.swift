import Foundation
import Testing
@testable import TestSupport
@testable import DigitdCore

extension DaemonEndToEndTests {
    /// DESIGN §8 on the real digitd: the kernel says who calls (SO_PEERCRED);
    /// members of the socket's group read, root, the service user and the
    /// admin group change; idle and surplus connections cannot take the
    /// daemon's descriptors; blocked work leaves the cooperative pool.
    @Suite struct Access {
        /// nobody, in group nogroup, which the test gives the socket.
        static let reader = Digitctl.User(uid: 65534, gid: 65534)
        /// daemon (uid 1, primary group daemon, the admin group here), also in nogroup to reach the socket.
        static let admin = Digitctl.User(uid: 1, gid: 1, groups: [65534])

        @Test func groupMembersReadButOnlyAdminsChange() throws {
            var settings = DaemonRoot.Settings()
            settings.adminGroup = "daemon"
            let root = try DaemonRoot("access", settings)
            let daemon = try root.startReady()
            for i in 0..<3 { try root.drop("p\(i).png", try Fixtures.png(TestImages.page(seed: UInt64(300 + i)))) }
            try DaemonEndToEndTests.waitFinished(root, daemon, count: 3)
            let socket = root.layout.socket
            #expect(chown(socket, 0, 65534) == 0)
            let options = ["--root", root.layout.root, "--socket", socket]
            let lie = ["USER": "mallory", "LOGNAME": "mallory"]

            let status = try Digitctl.run(["status"] + options, as: Self.reader)
            #expect(status.status == 0 && status.stdout.contains("digitd: ready"), "\(status)")
            let models = try Digitctl.run(["models"] + options, as: Self.reader)
            #expect(models.status == 0, "\(models)")

            let refused = try Digitctl.run(["relabel", "p0.png", "3"] + options, as: Self.reader, environment: lie)
            #expect(refused.status != 0, "\(refused)")
            #expect(refused.stderr.split(separator: "\n").count == 1, "\(refused)")
            #expect(refused.stderr.contains("nobody (uid 65534) may not relabel") && refused.stderr.contains("group daemon"), "\(refused)")
            #expect(try root.names(root.layout.labels + "/3").isEmpty)
            let records = (try? FileManager.default.contentsOfDirectory(atPath: root.layout.labels + "/.records")) ?? []
            #expect(records.isEmpty)
            for change in [["finetune-now", "--no-wait"], ["rollback", "base"]] {
                let outcome = try Digitctl.run(change + options, as: Self.reader)
                #expect(outcome.status != 0 && outcome.stderr.contains("nobody (uid 65534) may not"), "\(change): \(outcome)")
            }
            #expect(try ControlClient(socket: socket).status().fineTune == nil)

            // The record names the kernel's uid and its user, whatever $USER says.
            let byAdmin = try Digitctl.run(["relabel", "p1.png", "4", "--json"] + options, as: Self.admin, environment: lie)
            #expect(byAdmin.status == 0, "\(byAdmin)")
            let byRoot = try Digitctl.run(["relabel", "p2.png", "5", "--json"] + options, environment: lie)
            #expect(byRoot.status == 0, "\(byRoot)")
            let store = CorrectionStore(layout: root.layout)
            for (outcome, uid, name) in [(byAdmin, UInt32(1), "daemon"), (byRoot, UInt32(0), "root")] {
                let answer = try JSONCoding.decoder().decode([RelabelResult].self, from: Data(outcome.stdout.utf8))
                let record = try #require(answer.first?.record)
                #expect(record.byUID == uid && record.by == name, "\(record)")
                #expect(store.readRecord(record.sha256) == record)
            }
            #expect(root.log.contains("by daemon (uid 1)") && !root.log.contains("mallory"))
            DaemonEndToEndTests.stop(daemon, root)
        }

        @Test func idleConnectionsAreClosed() throws {
            var settings = DaemonRoot.Settings()
            settings.idleTimeoutS = 1
            let root = try DaemonRoot("idle", settings)
            let daemon = try root.startReady()
            // Nothing sent; and half a request head, never finished.
            let silent = try RawConnection(root.layout.socket)
            let half = try RawConnection(root.layout.socket)
            try half.send("GET /v1/status HTTP/1.1\r\nHost: digitd\r\n")
            #expect(try silent.readToEnd().isEmpty)
            #expect(try half.readToEnd().isEmpty)
            // A request in time is still answered.
            #expect(try daemon.status(socket: root.layout.socket).ready)
            DaemonEndToEndTests.stop(daemon, root)
        }

        @Test func connectionsPastTheCapAreRefused() throws {
            var settings = DaemonRoot.Settings()
            settings.maxConnections = 4
            settings.idleTimeoutS = 600
            let root = try DaemonRoot("cap", settings)
            let daemon = try root.startReady()
            // Each held connection has been answered once, so digitd counts it before the next.
            let held = try (0..<4).map { _ in
                let connection = try RawConnection(root.layout.socket)
                try connection.send("GET /v1/status HTTP/1.1\r\nHost: digitd\r\n\r\n")
                #expect(try connection.readResponse().hasPrefix("HTTP/1.1 200"))
                return connection
            }
            let refused = try RawConnection(root.layout.socket)
            try? refused.send("GET /v1/status HTTP/1.1\r\nHost: digitd\r\nConnection: close\r\n\r\n")
            let answer = try refused.readToEnd()
            #expect(answer.hasPrefix("HTTP/1.1 503") && answer.contains("control.max_connections"), "\(answer)")
            #expect(throws: DigitdError.self) { try ControlClient(socket: root.layout.socket).status() }
            for connection in held { connection.close() }
            try Harness.waitUntil("status answered again", timeout: 30, describe: root.describe) {
                (try? ControlClient(socket: root.layout.socket).status()) != nil
            }
            #expect(daemon.isRunning)
            DaemonEndToEndTests.stop(daemon, root)
        }

        /// More relabels than the daemon has cooperative threads, all waiting
        /// for the labels' lock (held here): status is still answered.
        @Test func relabelsWaitingForTheLabelsLockLeaveStatusAnswering() throws {
            let root = try DaemonRoot("blocking")
            let daemon = try root.startReady()
            let count = ProcessInfo.processInfo.activeProcessorCount + 2
            for i in 0..<count { try root.drop("b\(i).png", try Fixtures.png(TestImages.page(seed: UInt64(400 + i)))) }
            try DaemonEndToEndTests.waitFinished(root, daemon, count: count)
            let lockPath = root.layout.labels + "/.lock"
            let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o660)
            #expect(fd >= 0 && flock(fd, LOCK_EX) == 0)
            var info = stat()
            #expect(fstat(fd, &info) == 0)
            let answers = Box<[Result<RelabelResult, Error>]>([])
            for i in 0..<count {
                Thread.detachNewThread {
                    let result = Result { try ControlClient(socket: root.layout.socket).relabel(RelabelRequest(image: "b\(i).png", digit: i % 10)) }
                    answers.value.append(result)
                }
            }
            try Harness.waitUntil("\(count) relabels waiting for labels/.lock", timeout: 60, describe: root.describe) {
                Self.flockWaiters(inode: UInt64(info.st_ino)) >= count
            }
            #expect(try daemon.status(socket: root.layout.socket).ready)
            close(fd)
            try Harness.waitUntil("\(count) relabels answered", timeout: 60, describe: root.describe) { answers.value.count == count }
            for answer in answers.value { #expect(throws: Never.self) { try answer.get() } }
            DaemonEndToEndTests.stop(daemon, root)
        }

        /// flock(2) calls waiting on the file with this inode (/proc/locks' "->" lines).
        static func flockWaiters(inode: UInt64) -> Int {
            let locks = (try? String(contentsOfFile: "/proc/locks", encoding: .utf8)) ?? ""
            return locks.split(separator: "\n").filter { line in
                let fields = line.split(separator: " ")
                return fields.contains("->") && fields.contains("FLOCK")
                    && fields.contains { $0.split(separator: ":").last.map { UInt64($0) == inode } ?? false && $0.split(separator: ":").count == 3 }
            }.count
        }
    }
}

/// A control socket connection driven by hand: what digitctl never does
/// (keep it open, send half a request).
final class RawConnection {
    private let fd: Int32

    init(_ path: String) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SystemError(errno: errno, "socket") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else {
            let error = errno
            Glibc.close(fd)
            throw SystemError(errno: error, "connect to \(path)")
        }
        // A hang guard, not a timing: digitd that never answers or closes fails the test.
        var limit = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close() }

    private var closed = false

    func close() {
        if !closed { Glibc.close(fd) }
        closed = true
    }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        guard Glibc.send(fd, bytes, bytes.count, Int32(MSG_NOSIGNAL)) == bytes.count else { throw SystemError(errno: errno, "send") }
    }

    private func read() throws -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &chunk, chunk.count, 0)
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw SystemError(errno: errno, "recv (digitd neither answered nor closed)") }
            return Array(chunk[0..<n])
        }
    }

    /// Everything until digitd closes the connection.
    func readToEnd() throws -> String {
        var all: [UInt8] = []
        while true {
            let chunk = try read()
            if chunk.isEmpty { return String(decoding: all, as: UTF8.self) }
            all += chunk
        }
    }

    /// One response (head and a Content-Length body); the connection stays open.
    func readResponse() throws -> String {
        var all: [UInt8] = []
        while true {
            let text = String(decoding: all, as: UTF8.self)
            if let split = text.range(of: "\r\n\r\n") {
                let length = text[..<split.lowerBound].split(separator: "\r\n")
                    .first { $0.lowercased().hasPrefix("content-length:") }
                    .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                if text.utf8.distance(from: split.upperBound.samePosition(in: text.utf8)!, to: text.utf8.endIndex) >= length { return text }
            }
            let chunk = try read()
            guard !chunk.isEmpty else { throw DigitdError("digitd closed the connection mid-response: \(text)") }
            all += chunk
        }
    }
}
