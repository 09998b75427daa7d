/// Takes back the label of the image behind one result row (a review decision undone).
public struct UnlabelRequest: Codable, Sendable {
    public var claim: String

    public init(claim: String) {
        self.claim = claim
    }
}
