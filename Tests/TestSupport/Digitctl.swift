import DigitdCore
import Foundation

/// The `digitctl` built with these tests (beside `digitd`), run as a child
/// process, as the tests' own user or, through setpriv(1), as another one.
public enum Digitctl {
    /// Who to run as: real and effective uid and gid, and exactly these supplementary groups.
    public struct User: Sendable {
        public var uid: uid_t
        public var gid: gid_t
        public var groups: [gid_t]

        public init(uid: uid_t, gid: gid_t, groups: [gid_t] = []) {
            self.uid = uid
            self.gid = gid
            self.groups = groups
        }
    }

    public struct Outcome: Sendable, CustomStringConvertible {
        public var status: Int32
        public var stdout: String
        public var stderr: String

        public var description: String { "exit \(status), stdout: \(stdout), stderr: \(stderr)" }
    }

    public static func executable() throws -> String {
        ((try Harness.digitd()) as NSString).deletingLastPathComponent + "/digitctl"
    }

    /// `digitctl ARGUMENTS` with `environment` over the tests' own; killed after `timeout`.
    public static func run(_ arguments: [String], as user: User? = nil, environment: [String: String] = [:],
                           timeout: TimeInterval = 60) throws -> Outcome {
        let process = Process()
        if let user {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            let groups = user.groups.isEmpty ? ["--clear-groups"] : ["--groups=" + user.groups.map(String.init).joined(separator: ",")]
            process.arguments = ["--reuid=\(user.uid)", "--regid=\(user.gid)"] + groups + ["--", try executable()] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: try executable())
            process.arguments = arguments
        }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
        let stdout = Box(Data()), stderr = Box(Data())
        let read = DispatchGroup()
        for (pipe, box) in [(out, stdout), (err, stderr)] {
            DispatchQueue.global().async(group: read) { box.value = pipe.fileHandleForReading.readDataToEndOfFile() }
        }
        if exited.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            throw DigitdError("digitctl \(arguments.joined(separator: " ")) still running after \(Int(timeout)) s")
        }
        read.wait()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: stdout.value, as: UTF8.self),
                       stderr: String(decoding: stderr.value, as: UTF8.self))
    }
}

extension Digitctl {
    /// A `digitctl` that keeps running (`review`), stopped with SIGTERM when released.
    public final class Running: @unchecked Sendable {
        private let process = Process()
        private let output = Pipe()
        /// Its first line on stdout (the station's URL).
        public let firstLine: String

        public init(_ arguments: [String], timeout: TimeInterval = 30) throws {
            process.executableURL = URL(fileURLWithPath: try Digitctl.executable())
            process.arguments = arguments
            process.standardOutput = output
            process.standardError = FileHandle.standardError
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let line = Box<String?>(nil)
            let got = DispatchSemaphore(value: 0)
            DispatchQueue.global().async { [output] in
                var bytes: [UInt8] = []
                while let byte = try? output.fileHandleForReading.read(upToCount: 1)?.first, byte != UInt8(ascii: "\n") { bytes.append(byte) }
                line.value = String(decoding: bytes, as: UTF8.self)
                got.signal()
            }
            guard got.wait(timeout: .now() + timeout) == .success, let first = line.value, !first.isEmpty else {
                process.terminate()
                throw DigitdError("digitctl \(arguments.joined(separator: " ")) printed no line within \(Int(timeout)) s")
            }
            firstLine = first
        }

        public var isRunning: Bool { process.isRunning }

        deinit {
            process.terminate()
            process.waitUntilExit()
        }
    }
}
