import DigitdCore
import Foundation

/// Where the repository is, and ../shared beside it (MNIST, the PyTorch
/// reference: never copied into the repository).
public enum Repository {
    /// The repository's top folder (this file is Tests/TestSupport/Repository.swift).
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// ../shared beside the repository.
    public static let shared = root.deletingLastPathComponent().appendingPathComponent("shared")

    /// `relative` inside the repository, as a path.
    public static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// The model the repository ships (models/seedcnn.digitd-model).
    public static var shippedModel: String { path("models/\(ShippedModel.fileName)") }
}
