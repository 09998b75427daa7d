/// The two pictures of a scan in the review queue.
public enum ReviewPicture: String, Sendable, CaseIterable {
    /// The file as it arrived (PNG or JPEG, from done/).
    case original
    /// The 28x28 image the network saw, as a PNG (light ink on black, as MNIST).
    case normalized
}
