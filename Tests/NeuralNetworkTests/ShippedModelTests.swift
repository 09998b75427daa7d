import Foundation
import NeuralNetwork
import TestSupport
import Testing

/// The model the repository ships (models/seedcnn.digitd-model) on MNIST's 10,000 test images.
@Suite struct ShippedModelTests {
    static let path = Repository.shippedModel

    @Test(.enabled(if: MNIST.available, MNIST.absent))
    func accuracyOnTheMNISTTestSet() throws {
        let model = try ModelFile.load(Self.path)
        let test = try MNIST.load("t10k")
        #expect(test.count == 10_000)
        let evaluation = Evaluation(classifier: Classifier(model: model), images: test)
        #expect(evaluation.accuracy >= 0.996, "shipped model: \(evaluation.correct)/\(evaluation.total)")
        // The file says how it was trained, and the accuracy it recorded is the one measured here
        // (to a few images: it was measured with the kernels of the training machine).
        let record = try #require(model.training)
        #expect(record.command.hasPrefix("digitctl train"))
        #expect(abs((record.testAccuracy ?? 0) - evaluation.accuracy) <= 0.0003)
    }
}
