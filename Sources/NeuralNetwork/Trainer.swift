import CKernels
import Parallel

/// Minibatch training on all cores: each thread runs forward and backward on its share of
/// the batch, the gradients are summed, and Adam takes one step.
public final class Trainer: @unchecked Sendable {
    public let batchSize: Int
    private let threads: Int
    private let normalization: InputNormalization
    private let parameters: FloatBuffer
    private let adam: Adam
    private let workspaces: [Workspace]

    public init(model: Model, batchSize: Int, optimizer: AdamSettings, threads: Int = defaultThreadCount) {
        precondition(batchSize > 0)
        self.batchSize = batchSize
        self.threads = max(1, min(threads, batchSize))
        normalization = model.normalization
        let parameters = FloatBuffer(count: SeedCNN.parameterCount)
        model.parameters.withUnsafeBufferPointer { parameters.pointer.update(from: $0.baseAddress!, count: $0.count) }
        self.parameters = parameters
        adam = Adam(settings: optimizer, count: SeedCNN.parameterCount)
        let share = (batchSize + self.threads - 1) / self.threads
        workspaces = (0..<self.threads).map { _ in Workspace(capacity: share, training: true) }
    }

    /// The current weights as a model (training metadata is the caller's to add).
    public var model: Model {
        Model(parameters: Array(UnsafeBufferPointer(start: parameters.pointer, count: parameters.count)), normalization: normalization)
    }

    public struct StepResult: Sendable {
        /// Summed cross-entropy over the batch.
        public var loss: Float
        /// Digits (not `notADigit` examples) whose top logit (before this step) was the label.
        public var correct: Int
        /// Examples that were digits.
        public var digits: Int
    }

    /// One step on a batch of `count` ≤ batchSize examples. `fill(range, pixels, labels)` is
    /// called on the worker threads to write the examples at batch positions `range` as
    /// pixels in [0,1] (range.count × 784) and labels (0-9 or `notADigit`); this is where augmentation runs.
    public func step(
        count: Int, learningRate: Float,
        fill: (Range<Int>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Int32>) -> Void
    ) -> StepResult {
        precondition(count > 0 && count <= batchSize)
        let ranges = split(count, into: min(threads, count))
        var results = [StepResult](repeating: StepResult(loss: 0, correct: 0, digits: 0), count: ranges.count)
        results.withUnsafeMutableBufferPointer { results in
            parallelFor(ranges.count) { t in
                let workspace = workspaces[t]
                let n = ranges[t].count
                fill(ranges[t], workspace.input.pointer, workspace.labels)
                workspace.normalizeInput(count: n, normalization)
                workspace.forward(parameters.pointer, count: n)
                let loss = workspace.backward(parameters.pointer, count: n, normalizer: count)
                let (correct, digits) = workspace.correctPredictions(count: n)
                results[t] = StepResult(loss: loss, correct: correct, digits: digits)
            }
        }
        // Sum the threads' gradients in a fixed order, so a run is repeatable; each thread a
        // share of the parameters, as in the update (421k of them: serial, both took 5% of a step).
        let total = workspaces[0].parameterGradient.pointer
        let shares = split(SeedCNN.parameterCount, into: threads)
        parallelFor(shares.count) { part in
            for t in 1..<ranges.count {
                let start = shares[part].lowerBound
                digitd_add(total + start, workspaces[t].parameterGradient.pointer + start, shares[part].count)
            }
        }
        adam.update(parameters.pointer, gradient: total, learningRate: learningRate, threads: threads)
        return results.reduce(StepResult(loss: 0, correct: 0, digits: 0)) {
            StepResult(loss: $0.loss + $1.loss, correct: $0.correct + $1.correct, digits: $0.digits + $1.digits)
        }
    }
}

extension Workspace {
    func correctPredictions(count n: Int) -> (correct: Int, digits: Int) {
        var correct = 0, digits = 0
        for r in 0..<n where labels[r] != notADigit {
            digits += 1
            let z = logits.pointer + r * 10
            var top = 0
            for c in 1..<10 where z[c] > z[top] { top = c }
            if top == Int(labels[r]) { correct += 1 }
        }
        return (correct, digits)
    }
}
