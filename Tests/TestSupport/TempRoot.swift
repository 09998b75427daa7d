import DigitdCore
import Foundation

/// A runtime root of its own (inbox/, processing/, done/, ... created) in a
/// temp folder, for tests that drive DigitdCore in process; removed with it.
public final class TempRoot: @unchecked Sendable {
    public let path: String
    public let layout: RuntimeLayout

    public init(_ label: String) throws {
        path = TempFolder.unique(label)
        layout = RuntimeLayout(root: path)
        try layout.create()
    }

    deinit { TempFolder.remove(path) }

    /// True when `relative` exists under the root.
    public func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: "\(path)/\(relative)") }
}
