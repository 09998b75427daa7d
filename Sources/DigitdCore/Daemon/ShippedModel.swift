import Foundation

/// The model the repository ships, found with no configuration: `models/seedcnn.digitd-model`
/// in the source tree the executable was built in (any directory above it), or
/// `share/digitd/models/seedcnn.digitd-model` under the prefix it was installed to.
public enum ShippedModel {
    public static let fileName = "seedcnn.digitd-model"

    public static func locate() -> String? {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var directory = URL(fileURLWithPath: executable).deletingLastPathComponent().standardizedFileURL
        while true {
            for candidate in ["models/\(fileName)", "share/digitd/models/\(fileName)"] {
                let path = directory.appendingPathComponent(candidate).path
                if FileManager.default.fileExists(atPath: path) { return path }
            }
            let parent = directory.deletingLastPathComponent().standardizedFileURL
            if parent.path == directory.path { return nil }
            directory = parent
        }
    }
}
