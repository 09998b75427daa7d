import Foundation

public struct RollbackRequest: Codable, Sendable {
    /// A version ("v3"), "base", or nil for the one before the current.
    public var version: String?

    public init(version: String?) {
        self.version = version
    }
}
