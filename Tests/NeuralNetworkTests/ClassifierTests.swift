import Foundation
import NeuralNetwork
import Testing

@Suite struct ClassifierTests {
    /// Splitting a batch over threads and chunks must not change any image's logits.
    @Test func batchingDoesNotChangeResults() {
        let model = Model.initial(seed: 11)
        var random = SeededRandom(seed: 12)
        let pixels = (0..<(37 * 784)).map { _ in random.unit() }
        let reference = Classifier(model: model, threads: 1, chunk: 37).logits(pixels: pixels)
        for (threads, chunk) in [(2, 16), (2, 5), (1, 1)] {
            let logits = Classifier(model: model, threads: threads, chunk: chunk).logits(pixels: pixels)
            let worst = zip(logits, reference).map { abs($0 - $1) }.max()!
            #expect(worst < 1e-5, "threads \(threads), chunk \(chunk): \(worst)")
        }
        let single = Classifier(model: model).logits(pixels: Array(pixels[(36 * 784)...]))
        #expect(zip(single, reference[(36 * 10)...]).allSatisfy { abs($0 - $1) < 1e-5 })
    }

    @Test func confidenceIsTheTopSoftmaxProbability() {
        let model = Model.initial(seed: 13)
        let pixels = (0..<784).map { Float($0 % 17) / 16 }
        let logits = Classifier(model: model).logits(pixels: pixels)
        let exps = logits.map { exp(Double($0)) }
        let top = logits.indices.max { logits[$0] < logits[$1] }!
        let result = Classifier(model: model).classify(pixels: pixels)[0]
        #expect(result.digit == top)
        #expect(abs(Double(result.confidence) - exps[top] / exps.reduce(0, +)) < 1e-6)
    }
}
