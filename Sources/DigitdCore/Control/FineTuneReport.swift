import Foundation

/// One fine-tune run as `digitctl finetune-now` and `status` show it, and as
/// models/finetune-log.jsonl keeps it.
public struct FineTuneReport: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable { case queued, running, promoted, rejected, failed }

    public var run: Int
    public var trigger: String
    public var state: State
    public var startedAt: Date?
    public var finishedAt: Date?
    public var epoch = 0
    public var epochs = 0
    public var parent: String?
    /// The registry version written (promoted or rejected).
    public var version: String?
    public var reason: String?
    public var corrections = 0
    public var newCorrections = 0
    public var trained = 0
    public var heldOut = 0
    public var replay = 0
    /// The images replay is drawn from (reservoir, MNIST train), known from the run's start.
    public var replayPool: Int?
    public var general: String?
    public var before: GateFigures?
    public var after: GateFigures?
    /// The base model's, when it is not the served one: the candidate must not fall under it either.
    public var base: GateFigures?
    public var seconds: Double?
    /// The fraction of the trained change the candidate kept, and why the longer steps before
    /// it were refused ("0.70: anchor set ... fell ...").
    public var interpolation: Float?
    public var refusedSteps: [String]?
    /// Label files that could not be used (undecodable, blank).
    public var problems: [String] = []

    public var isFinished: Bool { state == .promoted || state == .rejected || state == .failed }
}
