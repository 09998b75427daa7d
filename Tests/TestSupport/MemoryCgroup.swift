import Foundation
import Testing
@testable import DigitdCore

/// A memory cgroup of its own (cgroup v2's memory.max, or v1's memory.limit_in_bytes) that
/// processes are moved into: systemd's MemoryMax= for a digitd the test runs itself.
public final class MemoryCgroup: @unchecked Sendable {
    public let path: String
    private let limitFile: String

    /// Where a cgroup can be made here; nil when this machine (or container) has no
    /// writable memory controller.
    static let parent: (folder: String, limit: String)? = {
        let v2 = "/sys/fs/cgroup"
        if let controllers = try? String(contentsOfFile: v2 + "/cgroup.controllers", encoding: .utf8),
           controllers.split(separator: " ").contains(where: { $0.trimmingCharacters(in: .whitespacesAndNewlines) == "memory" }),
           access(v2, W_OK) == 0 {
            return (v2, "memory.max")
        }
        let v1 = "/sys/fs/cgroup/memory"
        if access(v1 + "/memory.limit_in_bytes", F_OK) == 0, access(v1, W_OK) == 0 { return (v1, "memory.limit_in_bytes") }
        return nil
    }()

    public static var available: Bool { parent != nil }
    public static let unavailable: Comment = "no writable memory cgroup controller here: skipped"

    public init(_ label: String, megabytes: Int) throws {
        guard let parent = Self.parent else { throw DigitdError("no memory cgroup controller") }
        path = "\(parent.folder)/digitd-test-\(label)-\(getpid())"
        limitFile = path + "/" + parent.limit
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else { throw SystemError(errno: errno, "mkdir \(path)") }
        try Self.write("\(megabytes << 20)", to: limitFile)
    }

    deinit { rmdir(path) }

    /// Moves `pid` into the cgroup.
    public func add(_ pid: pid_t) throws { try Self.write("\(pid)", to: path + "/cgroup.procs") }

    private static func write(_ text: String, to file: String) throws {
        let fd = open(file, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError(errno: errno, "open \(file)") }
        defer { close(fd) }
        guard Array(text.utf8).withUnsafeBytes({ Glibc.write(fd, $0.baseAddress, $0.count) }) == text.utf8.count else {
            throw SystemError(errno: errno, "write \(text) to \(file)")
        }
    }
}
