public struct UnlabelResult: Codable, Sendable, Equatable {
    /// The label taken back; nil when the image had none.
    public var removed: CorrectionRecord?
}
