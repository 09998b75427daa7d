import Foundation
@testable import NeuralNetwork
import TestSupport
import Testing

@Suite struct TrainingTests {
    /// Memorizing a tiny set is the basic sign that forward, backward and Adam work together.
    @Test(.enabled(if: MNIST.available, MNIST.absent))
    func overfitsATinySet() throws {
        let tiny = try MNIST.load("train", limit: 64)
        var options = TrainingOptions()
        options.epochs = 40
        options.batchSize = 16
        options.augmentation = nil
        options.seed = 5
        let untrained = Evaluation(classifier: Classifier(model: .initial(seed: 5)), images: tiny).accuracy
        let (model, epochs, _) = train(options, on: tiny, test: nil)
        let accuracy = Evaluation(classifier: Classifier(model: model), images: tiny).accuracy
        #expect(untrained < 0.5)
        #expect(accuracy == 1, "accuracy on the 64 training images: \(accuracy)")
        #expect(epochs.last!.loss < 0.01, "final loss \(epochs.last!.loss)")
    }

    /// Same seed, same data: the same weights, bit for bit, with augmentation on two threads.
    @Test(.enabled(if: MNIST.available, MNIST.absent))
    func trainingIsRepeatable() throws {
        let tiny = try MNIST.load("train", limit: 48)
        var options = TrainingOptions()
        options.epochs = 2
        options.batchSize = 16
        options.augmentation = AugmentationSettings(elasticAlpha: 30)
        options.threads = 2
        let first = train(options, on: tiny, test: nil).model
        #expect(train(options, on: tiny, test: nil).model.parameters == first.parameters)
        options.seed = 2
        #expect(train(options, on: tiny, test: nil).model.parameters != first.parameters)
    }
}
