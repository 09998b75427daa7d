import Foundation
import NeuralNetwork

/// One model version in models/: a fine-tune's candidate, promoted or rejected.
public struct ModelVersion: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable { case promoted, rejected }

    /// "v1", "v2", ...; the file is models/<version>.digitd-model.
    public var version: String
    public var state: State
    /// The served model it was fine-tuned from (its CSV `model` name).
    public var parent: String
    public var createdAt: Date
    public var corrections: Int
    public var heldOut: Int
    public var replay: Int
    public var general: String
    public var before: GateFigures
    public var after: GateFigures
    public var seconds: Double
    /// Why the gate refused it (rejected only).
    public var reason: String?
    /// false once pruned: only the record is left.
    public var fileKept: Bool

    public var file: String { "\(version).\(ModelFile.fileExtension)" }
}
