public struct RollbackResult: Codable, Sendable, Equatable {
    /// The served model's CSV name after the rollback.
    public var model: String
    /// The registry's current version; nil: the base model.
    public var current: String?
    /// false when digitd was not running: it serves `model` when it starts.
    public var servedNow: Bool
}
