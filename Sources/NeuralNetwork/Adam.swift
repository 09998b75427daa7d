import CKernels
import Foundation
import Parallel

/// Adam with PyTorch's defaults and semantics (torch.optim.Adam): weight decay is L2 added
/// to the gradient, bias correction as in the paper.
public struct AdamSettings: Codable, Sendable, Equatable {
    public var learningRate: Float = 1e-3
    public var beta1: Float = 0.9
    public var beta2: Float = 0.999
    public var epsilon: Float = 1e-8
    public var weightDecay: Float = 0

    public init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }
}

/// The optimizer's state: first and second moment of every parameter, and the step count.
final class Adam {
    let settings: AdamSettings
    private let firstMoment: FloatBuffer
    private let secondMoment: FloatBuffer
    private(set) var steps = 0

    init(settings: AdamSettings, count: Int) {
        self.settings = settings
        firstMoment = FloatBuffer(count: count)
        secondMoment = FloatBuffer(count: count)
    }

    /// One step at `learningRate` (the schedule's current value), the parameters split over `threads`:
    /// m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g², θ ← θ − lr/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + ε).
    func update(_ parameters: Floats, gradient: ConstFloats, learningRate: Float, threads: Int = 1) {
        steps += 1
        let stepSize = learningRate / (1 - powf(settings.beta1, Float(steps)))
        let secondCorrection = (1 - powf(settings.beta2, Float(steps))).squareRoot()
        let ranges = split(firstMoment.count, into: threads)
        parallelFor(ranges.count) { part in
            let start = ranges[part].lowerBound
            digitd_adam_update(
                parameters + start, firstMoment.pointer + start, secondMoment.pointer + start, gradient + start,
                ranges[part].count, settings.beta1, settings.beta2, settings.epsilon, settings.weightDecay,
                stepSize, secondCorrection)
        }
    }
}
