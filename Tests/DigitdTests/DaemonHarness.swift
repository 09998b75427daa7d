import Foundation
import NeuralNetwork
import Testing
@testable import DigitdCore

/// What the end-to-end tests share: a model file, the built `digitd`, temp
/// runtime roots, and a child process they can kill.
enum Harness {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// A model for the daemon to serve (a fresh, untrained seed CNN: these tests
    /// check the file lifecycle and the CSV, not accuracy). Made once per run.
    static let modelPath: String = {
        let path = scratch + "/model-\(getpid()).\(ModelFile.fileExtension)"
        do { try ModelFile.save(Model.initial(seed: 7), to: path) } catch {
            fatalError("cannot write the test model to \(path): \(error)")
        }
        return path
    }()

    /// Where the tests' roots go (short: the control socket path must fit sun_path).
    /// Folders of earlier runs whose process is gone are removed first (there
    /// is no end-of-run hook to remove this one: it holds the model, ~4 MB).
    static let scratch: String = {
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? [] where entry.hasPrefix("digitd-tests-") {
            if let pid = pid_t(entry.dropFirst("digitd-tests-".count)), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH,
               ProcessInfo.processInfo.environment["DIGITD_TESTS_KEEP"] == nil {
                try? FileManager.default.removeItem(atPath: "/tmp/" + entry)
            }
        }
        let path = "/tmp/digitd-tests-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    /// The `digitd` built with these tests: next to the test bundle in the
    /// build folder (`swift test` builds every product), or $DIGITD_EXECUTABLE.
    static let executable: Result<String, Failure> = {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["DIGITD_EXECUTABLE"] {
            return access(path, X_OK) == 0 ? .success(path) : .failure(Failure(description: "DIGITD_EXECUTABLE=\(path) is not executable"))
        }
        var candidates: [String] = []
        let selfPath = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        candidates.append((selfPath as NSString).deletingLastPathComponent + "/digitd")
        candidates.append(((CommandLine.arguments[0] as NSString).deletingLastPathComponent as NSString)
            .appendingPathComponent("digitd"))
        for candidate in candidates where access(candidate, X_OK) == 0 { return .success(candidate) }
        return .failure(Failure(description: "digitd executable not found next to the test bundle (looked at \(candidates.joined(separator: ", "))); build it with `swift build -c release` in the same build folder, or set DIGITD_EXECUTABLE"))
    }()

    static func digitd() throws -> String { try executable.get() }

    private static let counter = Counter()

    static func uniqueFolder(_ label: String) -> String {
        let path = "\(scratch)/\(label)-\(counter.next())"
        try? FileManager.default.removeItem(atPath: path)
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Polls `condition` every 50 ms until it holds; throws with `describe()` after `timeout`.
    static func waitUntil(_ what: String, timeout: TimeInterval, describe: () -> String = { "" },
                          _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if try condition() { return }
            if Date() > deadline {
                throw Failure(description: "timed out after \(Int(timeout)) s waiting for \(what). \(describe())")
            }
            usleep(50_000)
        }
    }

    static func sleep(milliseconds: Int) { usleep(useconds_t(milliseconds * 1000)) }
}

final class Counter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}

/// A runtime root of its own (inbox/, processing/, done/, ...), a config file
/// pointing at it and at the test model, and a staging folder on the same
/// filesystem where inputs are written before they are renamed into the inbox.
final class DaemonRoot: @unchecked Sendable {
    struct Settings {
        var batchMaxSize = 16
        var batchMaxDelayMs = 5
        var quietPeriodMs = 300
        var rescanIntervalS = 0.5
        /// metrics.listen, when set.
        var metricsListen: String?
    }

    let path: String
    let layout: RuntimeLayout
    let configPath: String
    let staging: String
    let logPath: String
    var settings: Settings

    init(_ label: String, _ settings: Settings = Settings()) throws {
        path = Harness.uniqueFolder(label)
        layout = RuntimeLayout(root: path + "/root")
        configPath = path + "/digitd.toml"
        staging = path + "/staging"
        logPath = path + "/digitd.log"
        self.settings = settings
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        try layout.create()
        try writeConfig()
    }

    deinit {
        if ProcessInfo.processInfo.environment["DIGITD_TESTS_KEEP"] == nil {
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    func writeConfig() throws {
        let text = """
        root = "\(layout.root)"

        [model]
        path = "\(Harness.modelPath)"

        [batch]
        max_size = \(settings.batchMaxSize)
        max_delay_ms = \(settings.batchMaxDelayMs)

        [watch]
        quiet_period_ms = \(settings.quietPeriodMs)
        rescan_interval_s = \(settings.rescanIntervalS)

        """ + (settings.metricsListen.map { "[metrics]\nlisten = \"\($0)\"\n" } ?? "")
        try Data(text.utf8).write(to: URL(fileURLWithPath: configPath))
    }

    /// Starts `digitd --config` on this root, stderr appended to `logPath`;
    /// `environment` is added to the tests' own (the fault switch).
    func start(environment: [String: String] = [:]) throws -> DaemonProcess {
        try DaemonProcess(executable: Harness.digitd(), arguments: ["--config", configPath], logPath: logPath, environment: environment)
    }

    /// Starts the daemon and waits until its control socket says ready.
    func startReady(timeout: TimeInterval = 60, environment: [String: String] = [:]) throws -> DaemonProcess {
        let daemon = try start(environment: environment)
        try daemon.waitReady(socket: layout.socket, timeout: timeout)
        return daemon
    }

    // MARK: Inputs

    /// Writes `bytes` to staging/ and renames them into the inbox (as DESIGN §2 asks writers to).
    func drop(_ name: ScanName, _ bytes: [UInt8]) throws {
        try stage(name, bytes)
        try moveIn(name)
    }

    func drop(_ name: String, _ bytes: [UInt8]) throws { try drop(ScanName(name), bytes) }

    func stage(_ name: ScanName, _ bytes: [UInt8]) throws {
        try Self.write(bytes, folder: staging, name: name)
    }

    func moveIn(_ name: ScanName) throws {
        let source = FileOps.path(staging, name), target = FileOps.path(layout.inbox, name)
        let result = source.withUnsafeBufferPointer { s in target.withUnsafeBufferPointer { rename(s.baseAddress!, $0.baseAddress!) } }
        guard result == 0 else { throw SystemError(errno: errno, "rename \(name) into the inbox") }
    }

    /// Writes a file by raw name (names need not be UTF-8).
    static func write(_ bytes: [UInt8], folder: String, name: ScanName) throws {
        let fd = FileOps.path(folder, name).withUnsafeBufferPointer {
            open($0.baseAddress!, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        }
        guard fd >= 0 else { throw SystemError(errno: errno, "create \(folder)/\(name)") }
        defer { close(fd) }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, bytes.count - written) }
            guard n > 0 else { throw SystemError(errno: errno, "write \(folder)/\(name)") }
            written += n
        }
    }

    static func read(folder: String, name: ScanName) throws -> [UInt8] {
        let fd = FileOps.path(folder, name).withUnsafeBufferPointer { open($0.baseAddress!, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else { throw SystemError(errno: errno, "open \(folder)/\(name)") }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            guard n >= 0 else { throw SystemError(errno: errno, "read \(folder)/\(name)") }
            if n == 0 { return bytes }
            bytes += chunk[0..<n]
        }
    }

    // MARK: Outputs

    /// The names in a folder, raw.
    func names(_ folder: String) throws -> [ScanName] {
        var names: [ScanName] = []
        try FileOps.list(folder) { names.append($0); return true }
        return names
    }

    /// Every result row, read by the strict RFC 4180 reader.
    func rows() throws -> [[String: String]] { try StrictCSV.resultRows(in: layout.results) }

    /// Rows grouped by their `file` column.
    func rowsByFile() throws -> [String: [[String: String]]] {
        Dictionary(grouping: try rows()) { $0["file"] ?? "" }
    }

    /// Finished originals: done/ and failed/ without the `.reason` files.
    func finishedCount() throws -> Int {
        try names(layout.done).count + names(layout.failed).filter { !$0.description.hasSuffix(".reason") }.count
    }

    /// A short picture of the folders and the log's tail, for failure messages.
    func describe() -> String {
        func count(_ folder: String) -> String { (try? names(folder).count).map(String.init) ?? "?" }
        let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        let tail = log.split(separator: "\n").suffix(15).joined(separator: "\n")
        return "inbox \(count(layout.inbox)), processing \(count(layout.processing)), done \(count(layout.done)), "
            + "failed \(count(layout.failed)), rows \((try? rows().count).map(String.init) ?? "unreadable"); "
            + "root \(path); log tail:\n\(tail)"
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }
}

/// A `digitd` child process (posix_spawn, so the test controls its signals
/// and reaps it itself).
final class DaemonProcess: @unchecked Sendable {
    let pid: pid_t
    let logPath: String
    private(set) var exitStatus: Int32?

    init(executable: String, arguments: [String], logPath: String, environment extra: [String: String] = [:]) throws {
        self.logPath = logPath
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGPIPE, SIGCHLD, SIGUSR1, SIGUSR2, SIGXFSZ] {
            sigaddset(&defaults, signal)
        }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for arg in argv { free(arg) } }
        // No systemd notification socket from whatever runs the tests.
        let environment = ProcessInfo.processInfo.environment
            .filter { !["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "LISTEN_FDS", "LISTEN_PID"].contains($0.key) }
            .merging(extra) { $1 }
            .map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for entry in environment { free(entry) } }

        var child: pid_t = 0
        let result = posix_spawn(&child, executable, &actions, &attributes, argv, environment)
        guard result == 0 else { throw SystemError(errno: result, "spawn \(executable)") }
        pid = child
    }

    deinit {
        if exitStatus == nil {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
    }

    func signal(_ signal: Int32) { if exitStatus == nil { kill(pid, signal) } }

    /// Reaps the child if it has exited; true while it runs.
    var isRunning: Bool {
        if exitStatus != nil { return false }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid {
            exitStatus = status
            return false
        }
        return true
    }

    /// Waits for the exit; the raw wait status, or nil after `timeout`.
    @discardableResult
    func wait(timeout: TimeInterval) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while isRunning {
            if Date() > deadline { return nil }
            usleep(5_000)
        }
        return exitStatus
    }

    /// kill -9 and reap.
    func crash() {
        signal(SIGKILL)
        wait(timeout: 30)
    }

    /// SIGTERM, then the exit code (nil: still running after `timeout`, or killed by a signal).
    func terminate(timeout: TimeInterval = 30) -> (exited: Bool, code: Int32?) {
        signal(SIGTERM)
        guard let status = wait(timeout: timeout) else { return (false, nil) }
        return (true, Self.exitCode(status))
    }

    /// WEXITSTATUS when it exited normally, nil when a signal ended it.
    static func exitCode(_ status: Int32) -> Int32? {
        status & 0x7F == 0 ? (status >> 8) & 0xFF : nil
    }

    /// The daemon's status over its control socket, on a thread of its own so
    /// a hung daemon fails the test instead of hanging it.
    func status(socket: String, timeout: TimeInterval = 15) throws -> DaemonStatus {
        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            box.set(Result { try ControlClient(socket: socket).status() })
            done.signal()
        }
        guard done.wait(timeout: .now() + timeout) == .success else {
            throw Harness.Failure(description: "digitd did not answer status within \(Int(timeout)) s")
        }
        return try box.get()
    }

    func waitReady(socket: String, timeout: TimeInterval) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            guard isRunning else {
                throw Harness.Failure(description: "digitd exited (status \(exitStatus ?? -1)) before it was ready:\n\(tail)")
            }
            if let status = try? self.status(socket: socket), status.ready { return }
            if Date() > deadline { throw Harness.Failure(description: "digitd not ready after \(Int(timeout)) s:\n\(tail)") }
            usleep(20_000)
        }
    }

    var tail: String {
        let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return log.split(separator: "\n").suffix(20).joined(separator: "\n")
    }
}

private final class ResultBox: @unchecked Sendable {
    private var result: Result<DaemonStatus, Error>?
    private let lock = NSLock()
    func set(_ value: Result<DaemonStatus, Error>) { lock.lock(); result = value; lock.unlock() }
    func get() throws -> DaemonStatus {
        lock.lock()
        defer { lock.unlock() }
        return try result!.get()
    }
}
