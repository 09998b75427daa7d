import Foundation

/// Folders for the tests' files, all under one scratch folder per test process
/// (/tmp/digitd-tests-PID: short, so a control socket path in it fits sun_path).
public enum TempFolder {
    /// The scratch folder. Folders of earlier runs whose process is gone are
    /// removed first (there is no end-of-run hook to remove this one: it holds
    /// the daemon tests' model, ~4 MB). DIGITD_TESTS_KEEP keeps them all.
    public static let scratch: String = {
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? [] where entry.hasPrefix("digitd-tests-") {
            if let pid = pid_t(entry.dropFirst("digitd-tests-".count)), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH,
               !keep {
                try? FileManager.default.removeItem(atPath: "/tmp/" + entry)
            }
        }
        let path = "/tmp/digitd-tests-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    /// DIGITD_TESTS_KEEP is set: nothing the tests write is removed, to look at afterwards.
    public static var keep: Bool { ProcessInfo.processInfo.environment["DIGITD_TESTS_KEEP"] != nil }

    private static let counter = Counter()

    /// A new, empty folder of its own: scratch/label-N.
    public static func unique(_ label: String) -> String {
        let path = "\(scratch)/\(label)-\(counter.next())"
        try? FileManager.default.removeItem(atPath: path)
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Removes `path` and all in it, unless DIGITD_TESTS_KEEP is set.
    public static func remove(_ path: String) {
        if !keep { try? FileManager.default.removeItem(atPath: path) }
    }
}

private final class Counter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()

    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}
