/// A trained seed CNN: its parameters (SeedCNN.tensors order and layout), the input
/// normalization it was trained with, how it was trained, and its calibration.
public struct Model: Sendable, Equatable {
    public var parameters: [Float]
    public var normalization: InputNormalization
    public var training: TrainingRecord?
    public var calibration: Calibration?

    public init(parameters: [Float], normalization: InputNormalization = .seed, training: TrainingRecord? = nil,
                calibration: Calibration? = nil) {
        precondition(parameters.count == SeedCNN.parameterCount, "seed CNN has \(SeedCNN.parameterCount) parameters")
        self.parameters = parameters
        self.normalization = normalization
        self.training = training
        self.calibration = calibration
    }

    /// A fresh, He-initialized network.
    public static func initial(seed: UInt64) -> Model {
        Model(parameters: SeedCNN.initialParameters(seed: seed))
    }
}

/// What the model file says about the run that produced a model.
public struct TrainingRecord: Codable, Sendable, Equatable {
    public var command: String
    public var dataset: String
    public var examples: Int
    public var epochs: Int
    public var batchSize: Int
    public var seed: UInt64
    public var optimizer: AdamSettings
    public var schedule: String
    public var augmentation: AugmentationSettings?
    public var finalTrainLoss: Double
    public var testAccuracy: Double?
    public var seconds: Double
    public var finishedAt: String

    public init(
        command: String, dataset: String, examples: Int, epochs: Int, batchSize: Int, seed: UInt64,
        optimizer: AdamSettings, schedule: String, augmentation: AugmentationSettings?,
        finalTrainLoss: Double, testAccuracy: Double?, seconds: Double, finishedAt: String
    ) {
        self.command = command
        self.dataset = dataset
        self.examples = examples
        self.epochs = epochs
        self.batchSize = batchSize
        self.seed = seed
        self.optimizer = optimizer
        self.schedule = schedule
        self.augmentation = augmentation
        self.finalTrainLoss = finalTrainLoss
        self.testAccuracy = testAccuracy
        self.seconds = seconds
        self.finishedAt = finishedAt
    }
}
