import Foundation

/// How ScanLifecycle makes its renames and reasons durable: fsync of a folder. A test
/// gives its own, to see what is on disk at each sync and in which order they come.
struct FileSync: Sendable {
    let folder: @Sendable (String) throws -> Void

    static let fsync = FileSync { try FileOps.syncFolder($0) }
}
