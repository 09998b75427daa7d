import Foundation

public struct TrainingOptions: Sendable {
    public var epochs = 20
    public var batchSize = 64
    public var seed: UInt64 = 1
    public var optimizer = AdamSettings()
    /// The cosine schedule ends at this fraction of the peak learning rate.
    public var finalLearningRateFraction: Float = 0.01
    /// Linear warm-up over this many steps (at most a tenth of the run).
    public var warmupSteps = 500
    /// nil: no augmentation.
    public var augmentation: AugmentationSettings? = AugmentationSettings()
    public var threads = defaultThreadCount
    /// Recorded in the model file: how the run was started and on what data.
    public var command = ""
    public var dataset = ""

    public init() {}

    /// Learning rate at `step` of `totalSteps`: linear warm-up, then cosine decay from the peak to
    /// peak × finalLearningRateFraction.
    public func learningRate(step: Int, totalSteps: Int) -> Float {
        let peak = optimizer.learningRate
        let warmup = min(warmupSteps, totalSteps / 10)
        if step < warmup { return peak * Float(step + 1) / Float(warmup) }
        let progress = Float(step - warmup) / Float(max(1, totalSteps - warmup))
        let floor = peak * finalLearningRateFraction
        return floor + (peak - floor) * 0.5 * (1 + cosf(.pi * progress))
    }

    public var scheduleDescription: String {
        "linear warm-up \(warmupSteps) steps, cosine to \(finalLearningRateFraction)x peak"
    }
}

public struct TrainingProgress: Sendable {
    public var epoch: Int
    public var epochs: Int
    public var step: Int
    public var stepsPerEpoch: Int
    /// Mean loss over the epoch so far and accuracy on its digits (on the examples as trained, before each step).
    public var loss: Double
    public var accuracy: Double
    public var imagesPerSecond: Double
    public var remainingSeconds: Double
}

public struct EpochSummary: Sendable {
    public var epoch: Int
    public var loss: Double
    public var trainAccuracy: Double
    public var testAccuracy: Double?
    public var learningRate: Float
    public var seconds: Double
    public var imagesPerSecond: Double
}

/// The training loop on labelled images, augmented by `options.augmentation`.
public func train(
    _ options: TrainingOptions, on training: LabeledImages, test: LabeledImages?, from start: Model? = nil,
    shouldContinue: () -> Bool = { true },
    progress: (TrainingProgress) -> Void = { _ in }, epochDone: (EpochSummary) -> Void = { _ in }
) -> (model: Model, epochs: [EpochSummary], completed: Bool) {
    train(options, on: AugmentedImages(training, augmentation: options.augmentation, seed: options.seed), test: test,
          from: start, shouldContinue: shouldContinue, progress: progress, epochDone: epochDone)
}

/// The training loop: seeded shuffle each epoch, the examples written on the worker threads,
/// Adam with warm-up + cosine schedule, evaluation on `test` after each epoch.
/// `shouldContinue` is asked before every step; when it says no, the run ends there
/// and `completed` is false (a fine-tune cut short by a shutdown or its time limit).
public func train(
    _ options: TrainingOptions, on training: some TrainingExamples, test: LabeledImages?, from start: Model? = nil,
    shouldContinue: () -> Bool = { true },
    progress: (TrainingProgress) -> Void = { _ in }, epochDone: (EpochSummary) -> Void = { _ in }
) -> (model: Model, epochs: [EpochSummary], completed: Bool) {
    let trainer = Trainer(
        model: start ?? .initial(seed: options.seed), batchSize: options.batchSize,
        optimizer: options.optimizer, threads: options.threads)
    let stepsPerEpoch = (training.count + options.batchSize - 1) / options.batchSize
    let totalSteps = stepsPerEpoch * options.epochs
    var order = Array(0..<training.count)
    var shuffler = SeededRandom(seed: options.seed, 0x5348_5546)  // "SHUF"
    var summaries: [EpochSummary] = []
    let runStart = Date()

    var completed = true
    epochs: for epoch in 1...options.epochs {
        order.shuffle(using: &shuffler)
        let epochStart = Date()
        var (lossSum, correct, digits, seen) = (0.0, 0, 0, 0)
        var learningRate: Float = 0
        for step in 0..<stepsPerEpoch {
            guard shouldContinue() else {
                completed = false
                break epochs
            }
            let batchStart = step * options.batchSize
            let count = min(options.batchSize, training.count - batchStart)
            learningRate = options.learningRate(step: (epoch - 1) * stepsPerEpoch + step, totalSteps: totalSteps)
            let result = order.withUnsafeBufferPointer { order in
                trainer.step(count: count, learningRate: learningRate) { range, pixels, labels in
                    for (slot, position) in range.enumerated() {
                        labels[slot] = training.write(order[batchStart + position], epoch: epoch, to: pixels + slot * SeedCNN.pixels)
                    }
                }
            }
            lossSum += Double(result.loss)
            correct += result.correct
            digits += result.digits
            seen += count
            let elapsed = Date().timeIntervalSince(epochStart)
            let rate = Double(seen) / max(elapsed, 1e-9)
            let remainingImages = (options.epochs - epoch) * training.count + (training.count - seen)
            progress(TrainingProgress(
                epoch: epoch, epochs: options.epochs, step: step + 1, stepsPerEpoch: stepsPerEpoch,
                loss: lossSum / Double(seen), accuracy: Double(correct) / Double(max(digits, 1)),
                imagesPerSecond: rate, remainingSeconds: Double(remainingImages) / rate))
        }
        let trainSeconds = Date().timeIntervalSince(epochStart)
        let testAccuracy = test.map { Evaluation(classifier: Classifier(model: trainer.model, threads: options.threads), images: $0).accuracy }
        let summary = EpochSummary(
            epoch: epoch, loss: lossSum / Double(seen), trainAccuracy: Double(correct) / Double(max(digits, 1)),
            testAccuracy: testAccuracy, learningRate: learningRate,
            seconds: Date().timeIntervalSince(epochStart), imagesPerSecond: Double(seen) / trainSeconds)
        summaries.append(summary)
        epochDone(summary)
    }
    var model = trainer.model
    model.training = TrainingRecord(
        command: options.command, dataset: options.dataset, examples: training.count, epochs: options.epochs, batchSize: options.batchSize,
        seed: options.seed, optimizer: options.optimizer, schedule: options.scheduleDescription,
        augmentation: options.augmentation, finalTrainLoss: summaries.last?.loss ?? 0,
        testAccuracy: summaries.last?.testAccuracy, seconds: Date().timeIntervalSince(runStart),
        finishedAt: ISO8601DateFormatter().string(from: Date()))
    return (model, summaries, completed)
}
