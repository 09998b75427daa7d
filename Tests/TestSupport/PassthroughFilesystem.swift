import Foundation
import Testing
@testable import DigitdCore

/// bindfs (FUSE) mounted over a folder, passing through to a backing folder: like NFS and
/// CIFS, it rejects renameat2's RENAME_NOREPLACE with EINVAL, and a file written in the
/// backing folder is what another client of a share writes (inotify on the mount sees none).
public final class PassthroughFilesystem: @unchecked Sendable {
    public let mountPoint: String
    public let backing: String

    static let bindfs = "/usr/bin/bindfs"

    /// Whether bindfs is installed and FUSE usable (root, /dev/fuse); tests that need it are
    /// skipped, saying so, where it is not.
    public static let available: Bool = {
        guard access(bindfs, X_OK) == 0 else { return false }
        let probe = TempFolder.unique("fuse-probe")
        defer { TempFolder.remove(probe) }
        guard (try? FileManager.default.createDirectory(atPath: probe + "/mnt", withIntermediateDirectories: true)) != nil,
              (try? FileManager.default.createDirectory(atPath: probe + "/backing", withIntermediateDirectories: true)) != nil,
              QuietCommand.succeeds(bindfs, probe + "/backing", probe + "/mnt") else { return false }
        return QuietCommand.succeeds("/bin/umount", probe + "/mnt")
    }()

    public static let unavailable: Comment = "bindfs (apt-get install bindfs) or FUSE is not available here: skipped"

    public init(over folder: String, backing: String) throws {
        mountPoint = folder
        self.backing = backing
        try FileManager.default.createDirectory(atPath: backing, withIntermediateDirectories: true)
        // (libfuse 2 mounts over a non-empty folder only when told to.)
        guard QuietCommand.succeeds(Self.bindfs, "-o", "nonempty", backing, folder) else { throw DigitdError("cannot mount bindfs \(backing) on \(folder)") }
    }

    deinit { _ = QuietCommand.succeeds("/bin/umount", "--lazy", mountPoint) }
}
