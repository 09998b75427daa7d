import Foundation
import Testing
@testable import DigitdCore

/// A tmpfs of a few hundred KiB mounted over a folder (root only), that a test fills to ENOSPC
/// and frees again: a full disk on one folder, for real.
public final class SmallFilesystem: @unchecked Sendable {
    public let mountPoint: String
    private var filler: String { mountPoint + "/.filler" }

    /// Whether this process may mount (root in a container that allows it); tests that need
    /// a full disk are skipped, saying so, where it cannot.
    public static let canMount: Bool = {
        let probe = TempFolder.unique("mount-probe")
        defer { TempFolder.remove(probe) }
        guard (try? FileManager.default.createDirectory(atPath: probe, withIntermediateDirectories: true)) != nil,
              QuietCommand.succeeds("/bin/mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", probe) else { return false }
        return QuietCommand.succeeds("/bin/umount", probe)
    }()

    public static let cannotMount: Comment = "cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN): skipped"

    public init(over folder: String, kilobytes: Int) throws {
        mountPoint = folder
        guard QuietCommand.succeeds("/bin/mount", "-t", "tmpfs", "-o", "size=\(kilobytes)k,mode=0755", "tmpfs", folder) else {
            throw DigitdError("cannot mount a \(kilobytes) KiB tmpfs on \(folder)")
        }
    }

    deinit { _ = QuietCommand.succeeds("/bin/umount", "--lazy", mountPoint) }

    /// Writes a filler file until the filesystem is full (ENOSPC).
    public func fill() throws {
        let fd = open(filler, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SystemError(errno: errno, "open \(filler)") }
        defer { close(fd) }
        let block = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = block.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == ENOSPC { break }
            guard n > 0 else { throw SystemError(errno: errno, "fill \(mountPoint)") }
        }
        // Partial blocks too: not one byte must fit.
        while write(fd, block, 1) == 1 {}
    }

    public func free() { unlink(filler) }
}
