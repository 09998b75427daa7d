import Foundation
@testable import NeuralNetwork
import Testing

@Suite struct AdamTests {
    /// Three steps against torch.optim.Adam's update written out in Double.
    @Test func matchesPyTorchUpdateRule() {
        let settings = AdamSettings(learningRate: 0.01, weightDecay: 0.1)
        let adam = Adam(settings: settings, count: 3)
        var parameters: [Float] = [0.5, -1, 2]
        var expected = parameters.map(Double.init)
        var (m, v) = ([Double](repeating: 0, count: 3), [Double](repeating: 0, count: 3))
        let gradients: [[Float]] = [[0.1, -0.2, 3], [0.05, 0.4, -1], [-0.3, 0, 0.2]]
        for (t, g) in gradients.enumerated() {
            adam.update(&parameters, gradient: g, learningRate: 0.01)
            for i in 0..<3 {
                let gi = Double(g[i]) + 0.1 * expected[i]
                m[i] = 0.9 * m[i] + 0.1 * gi
                v[i] = 0.999 * v[i] + 0.001 * gi * gi
                let mHat = m[i] / (1 - pow(0.9, Double(t + 1)))
                let vHat = v[i] / (1 - pow(0.999, Double(t + 1)))
                expected[i] -= 0.01 * mHat / (vHat.squareRoot() + 1e-8)
            }
        }
        for i in 0..<3 { #expect(abs(Double(parameters[i]) - expected[i]) < 1e-6) }
    }

    @Test func scheduleWarmsUpThenDecays() {
        var options = TrainingOptions()
        options.warmupSteps = 10
        let rates = (0..<200).map { options.learningRate(step: $0, totalSteps: 200) }
        #expect(rates[0] < rates[5] && rates[5] < rates[9])
        #expect(abs(rates[9] - options.optimizer.learningRate) < 1e-9)
        #expect(zip(rates[10...], rates[11...]).allSatisfy { $0 >= $1 })
        #expect(abs(rates[199] - options.optimizer.learningRate * options.finalLearningRateFraction) < 1e-5)
    }
}
