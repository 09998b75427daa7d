import Foundation
@testable import NeuralNetwork
import Testing

/// Each layer's backward against central finite differences of its forward. A layer's
/// scalar test loss is L = Σ y·r for a fixed random r, so dL/dy = r.
@Suite struct GradientCheckTests {
    /// Distinct values away from 0 so no ±eps nudge crosses a ReLU kink or changes a pooling argmax.
    static func separated(_ count: Int, seed: UInt64) -> [Float] {
        var random = SeededRandom(seed: seed)
        return Array(0..<count).shuffled(using: &random).map { i in
            let magnitude = 0.1 + Float(i) / Float(count)
            return i % 2 == 0 ? magnitude : -magnitude
        }
    }

    static func random(_ count: Int, seed: UInt64) -> [Float] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { _ in random.uniform(-1, 1) }
    }

    static func dot(_ a: [Float], _ b: [Float]) -> Double {
        zip(a, b).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    }

    /// Checks analytic[i] ≈ (L(x+eps·e_i) − L(x−eps·e_i)) / 2eps for every i.
    static func expectMatches(
        _ name: String, analytic: [Float], values: inout [Float], eps: Float = 1e-2, loss: ([Float]) -> Double
    ) {
        var worst: Double = 0
        for i in values.indices {
            let saved = values[i]
            values[i] = saved + eps
            let plus = loss(values)
            values[i] = saved - eps
            let minus = loss(values)
            values[i] = saved
            let numeric = (plus - minus) / Double(2 * eps)
            worst = max(worst, abs(numeric - Double(analytic[i])) / max(1, abs(numeric)))
        }
        #expect(worst < 1e-3, "\(name): worst relative gradient error \(worst)")
    }

    @Test func conv3x3() {
        let (batch, height, width, inChannels, outChannels) = (2, 5, 6, 3, 4)
        var x = Self.random(batch * height * width * inChannels, seed: 1)
        var w = Self.random(9 * inChannels * outChannels, seed: 2)
        var b = Self.random(outChannels, seed: 3)
        let r = Self.random(batch * height * width * outChannels, seed: 4)
        var columns = [Float](repeating: 0, count: height * width * 9 * inChannels)
        func forward(_ x: [Float], _ w: [Float], _ b: [Float]) -> [Float] {
            var y = [Float](repeating: 0, count: r.count)
            conv3x3Forward(x, batch: batch, height: height, width: width, inChannels: inChannels,
                           weights: w, bias: b, outChannels: outChannels, columns: &columns, &y)
            return y
        }
        _ = forward(x, w, b)
        var dw = [Float](repeating: 0, count: w.count), db = [Float](repeating: 0, count: b.count)
        var dx = x
        conv3x3Backward(r, input: x, batch: batch, height: height, width: width, inChannels: inChannels,
                        weights: w, outChannels: outChannels, weightGradient: &dw, biasGradient: &db,
                        columns: &columns, &dx)
        let (x0, w0, b0) = (x, w, b)
        Self.expectMatches("conv dx", analytic: dx, values: &x) { Self.dot(forward($0, w0, b0), r) }
        Self.expectMatches("conv dw", analytic: dw, values: &w) { Self.dot(forward(x0, $0, b0), r) }
        Self.expectMatches("conv db", analytic: db, values: &b) { Self.dot(forward(x0, w0, $0), r) }
    }

    @Test func convMatchesTheDefinition() {
        // y[n,i,j,o] = b[o] + Σ w[dy,dx,c,o]·x[n,i+dy−1,j+dx−1,c], written out directly.
        let (batch, height, width, inChannels, outChannels) = (2, 4, 5, 3, 2)
        let x = Self.random(batch * height * width * inChannels, seed: 5)
        let w = Self.random(9 * inChannels * outChannels, seed: 6)
        let b = Self.random(outChannels, seed: 7)
        var columns = [Float](repeating: 0, count: height * width * 9 * inChannels)
        var y = [Float](repeating: 0, count: batch * height * width * outChannels)
        conv3x3Forward(x, batch: batch, height: height, width: width, inChannels: inChannels,
                       weights: w, bias: b, outChannels: outChannels, columns: &columns, &y)
        var worst: Float = 0
        for n in 0..<batch { for i in 0..<height { for j in 0..<width { for o in 0..<outChannels {
            var expected = b[o]
            for dy in 0..<3 { for dx in 0..<3 { for c in 0..<inChannels {
                let (yy, xx) = (i + dy - 1, j + dx - 1)
                guard yy >= 0, yy < height, xx >= 0, xx < width else { continue }
                expected += w[((dy * 3 + dx) * inChannels + c) * outChannels + o] * x[((n * height + yy) * width + xx) * inChannels + c]
            } } }
            worst = max(worst, abs(expected - y[((n * height + i) * width + j) * outChannels + o]))
        } } } }
        #expect(worst < 1e-5)
    }

    @Test func relu() {
        var x = Self.separated(40, seed: 8)
        let r = Self.random(40, seed: 9)
        func forward(_ x: [Float]) -> [Float] {
            var y = x
            reluForward(&y, count: y.count)
            return y
        }
        var dx = r
        reluBackward(output: forward(x), &dx, count: x.count)
        Self.expectMatches("relu dx", analytic: dx, values: &x) { Self.dot(forward($0), r) }
    }

    @Test func maxPool2() {
        let (batch, height, width, channels) = (2, 4, 6, 3)
        var x = Self.separated(batch * height * width * channels, seed: 10)
        let r = Self.random(batch * 2 * 3 * channels, seed: 11)
        var argmax = [UInt8](repeating: 0, count: r.count)
        func forward(_ x: [Float]) -> [Float] {
            var y = [Float](repeating: 0, count: r.count)
            maxPool2Forward(x, batch: batch, height: height, width: width, channels: channels, &y, argmax: &argmax)
            return y
        }
        _ = forward(x)
        var dx = x
        maxPool2Backward(r, argmax: argmax, batch: batch, height: height, width: width, channels: channels, &dx)
        Self.expectMatches("maxpool dx", analytic: dx, values: &x) { Self.dot(forward($0), r) }
    }

    @Test func dense() {
        let (batch, inputs, outputs) = (3, 7, 5)
        var x = Self.random(batch * inputs, seed: 12)
        var w = Self.random(inputs * outputs, seed: 13)
        var b = Self.random(outputs, seed: 14)
        let r = Self.random(batch * outputs, seed: 15)
        func forward(_ x: [Float], _ w: [Float], _ b: [Float]) -> [Float] {
            var y = [Float](repeating: 0, count: r.count)
            denseForward(x, batch: batch, inputs: inputs, weights: w, bias: b, outputs: outputs, &y)
            return y
        }
        var dw = [Float](repeating: 0, count: w.count), db = [Float](repeating: 0, count: b.count), dx = x
        denseBackward(r, input: x, batch: batch, inputs: inputs, weights: w, outputs: outputs,
                      weightGradient: &dw, biasGradient: &db, &dx)
        let (x0, w0, b0) = (x, w, b)
        Self.expectMatches("dense dx", analytic: dx, values: &x) { Self.dot(forward($0, w0, b0), r) }
        Self.expectMatches("dense dw", analytic: dw, values: &w) { Self.dot(forward(x0, $0, b0), r) }
        Self.expectMatches("dense db", analytic: db, values: &b) { Self.dot(forward(x0, w0, $0), r) }
    }

    @Test func softmaxCrossEntropy() {
        let (batch, classes) = (4, 10)
        var z = Self.random(batch * classes, seed: 16).map { $0 * 4 }
        // Row 1 is not a digit: its target is the uniform distribution.
        let labels: [Int32] = [3, notADigit, 9, 3]
        var probabilities = [Float](repeating: 0, count: z.count)
        func meanLoss(_ z: [Float]) -> Double {
            Double(softmaxCrossEntropyForward(z, labels: labels, batch: batch, classes: classes, probabilities: &probabilities)) / Double(batch)
        }
        // The loss itself, from the definition −log(e^z_y / Σ e^z).
        let row0 = z[0..<10].map { exp(Double($0)) }
        let expected0 = -log(row0[3] / row0.reduce(0, +))
        var single = [Float](repeating: 0, count: 10)
        let loss0 = softmaxCrossEntropyForward(Array(z[0..<10]), labels: labels, batch: 1, classes: classes, probabilities: &single)
        #expect(abs(Double(loss0) - expected0) < 1e-5)
        // And for a non-digit, −(1/C) Σ_c log(e^z_c / Σ e^z).
        let row1 = z[10..<20].map { exp(Double($0)) }
        let expected1 = -row1.map { log($0 / row1.reduce(0, +)) }.reduce(0, +) / 10
        let loss1 = softmaxCrossEntropyForward(Array(z[10..<20]), labels: [notADigit], batch: 1, classes: classes, probabilities: &single)
        #expect(abs(Double(loss1) - expected1) < 1e-5)

        _ = meanLoss(z)
        var dz = z
        softmaxCrossEntropyBackward(probabilities: probabilities, labels: labels, batch: batch, classes: classes, normalizer: batch, &dz)
        Self.expectMatches("softmax-CE dz", analytic: dz, values: &z, eps: 1e-3) { meanLoss($0) }
    }

    /// The whole network (the wiring of all layers): for each parameter tensor, the partial
    /// derivatives of the mean loss for its 4 largest-gradient parameters. In float32 and
    /// through ReLU and maxpool kinks the finite differences are only good to a few percent,
    /// which any wiring mistake (a wrong offset, transpose or layout) exceeds by far; the
    /// layer checks above hold each layer to 1e-3.
    @Test func wholeNetwork() {
        let batch = 3
        let workspace = Workspace(capacity: batch, training: true)
        var random = SeededRandom(seed: 17)
        for i in 0..<(batch * 784) { workspace.input.pointer[i] = random.uniform(-1, 1) }
        let labels: [Int32] = [1, 7, 4]
        for (i, label) in labels.enumerated() { workspace.labels[i] = label }
        // Positive biases make dead ReLUs less likely, so every layer's gradient is exercised.
        var parameters = SeedCNN.initialParameters(seed: 18)
        for tensor in SeedCNN.tensors where tensor.shape.count == 1 {
            for i in tensor.offset..<(tensor.offset + tensor.count) { parameters[i] = random.uniform(0, 0.1) }
        }
        func loss(_ p: [Float]) -> Double {
            workspace.forward(p, count: batch)
            var probabilities = [Float](repeating: 0, count: batch * 10)
            return Double(softmaxCrossEntropyForward(workspace.logits.pointer, labels: labels, batch: batch, classes: 10, probabilities: &probabilities)) / Double(batch)
        }
        workspace.forward(parameters, count: batch)
        _ = workspace.backward(parameters, count: batch, normalizer: batch)
        let gradient = Array(UnsafeBufferPointer(start: workspace.parameterGradient.pointer, count: SeedCNN.parameterCount))
        for tensor in SeedCNN.tensors {
            let largest = (tensor.offset..<(tensor.offset + tensor.count)).sorted { abs(gradient[$0]) > abs(gradient[$1]) }.prefix(4)
            for i in largest {
                let eps: Float = 1e-3
                var nudged = parameters
                nudged[i] += eps
                let plus = loss(nudged)
                nudged[i] = parameters[i] - eps
                let minus = loss(nudged)
                let numeric = (plus - minus) / Double(2 * eps)
                let analytic = Double(gradient[i])
                #expect(abs(analytic) > 1e-3, "\(tensor.name): gradient vanishes, the check would prove nothing")
                #expect(abs(numeric - analytic) / abs(analytic) < 0.05, "\(tensor.name)[\(i - tensor.offset)]: analytic \(analytic), numeric \(numeric)")
            }
        }
    }
}
