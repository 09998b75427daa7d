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
    /// The base model's figures (model.path or the shipped one), when it is not the served one.
    public var base: GateFigures? = nil
    /// The fraction of the trained change to the weights it kept (FineTuneSettings.interpolation or shorter).
    public var interpolation: Float? = nil
    public var seconds: Double
    /// Why the gate refused it (rejected only).
    public var reason: String?
    /// false once pruned: only the record is left.
    public var fileKept: Bool

    public var file: String { "\(version).\(ModelFile.fileExtension)" }
}
