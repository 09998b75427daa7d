import DigitdCore
import Foundation
import NeuralNetwork

/// What the daemon tests share: a model file, the built `digitd`, and waiting.
/// Their roots are DaemonRoot (a real digitd) and TempRoot (in process).
public enum Harness {
    /// A model for the daemon to serve (a fresh, untrained seed CNN: these tests
    /// check the file lifecycle and the CSV, not accuracy). Made once per run.
    public static let modelPath: String = {
        let path = TempFolder.scratch + "/model-\(getpid()).\(ModelFile.fileExtension)"
        do { try ModelFile.save(Model.initial(seed: 7), to: path) } catch {
            fatalError("cannot write the test model to \(path): \(error)")
        }
        return path
    }()

    /// The `digitd` built with these tests: next to the test bundle in the
    /// build folder (`swift test` builds every product), or $DIGITD_EXECUTABLE.
    public static let executable: Result<String, DigitdError> = {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["DIGITD_EXECUTABLE"] {
            return access(path, X_OK) == 0 ? .success(path) : .failure(DigitdError("DIGITD_EXECUTABLE=\(path) is not executable"))
        }
        var candidates: [String] = []
        let selfPath = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        candidates.append((selfPath as NSString).deletingLastPathComponent + "/digitd")
        candidates.append(((CommandLine.arguments[0] as NSString).deletingLastPathComponent as NSString)
            .appendingPathComponent("digitd"))
        for candidate in candidates where access(candidate, X_OK) == 0 { return .success(candidate) }
        return .failure(DigitdError("digitd executable not found next to the test bundle (looked at \(candidates.joined(separator: ", "))); build it with `swift build -c release` in the same build folder, or set DIGITD_EXECUTABLE"))
    }()

    public static func digitd() throws -> String { try executable.get() }

    /// Polls `condition` every 50 ms until it holds; throws with `describe()` after `timeout`.
    public static func waitUntil(_ what: String, timeout: TimeInterval, describe: () -> String = { "" },
                                 _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if try condition() { return }
            if Date() > deadline {
                throw DigitdError("timed out after \(Int(timeout)) s waiting for \(what). \(describe())")
            }
            usleep(50_000)
        }
    }

    public static func sleep(milliseconds: Int) { usleep(useconds_t(milliseconds * 1000)) }
}
