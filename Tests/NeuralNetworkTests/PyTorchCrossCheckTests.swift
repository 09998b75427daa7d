import NeuralNetwork
import TestSupport
import Testing

/// The same network trained in PyTorch (../shared/reference/pytorch-seedcnn): with its weights
/// our forward pass must give PyTorch's logits for the first 100 MNIST test images.
@Suite(.enabled(if: PyTorchReference.available && MNIST.available, "needs ../shared/reference/pytorch-seedcnn and ../shared/data/mnist"))
struct PyTorchCrossCheckTests {
    /// PyTorch's state_dict (OIHW convs, [out,in] linears, NCHW flatten) in our layout.
    static func importPyTorch(_ raw: [Float]) -> [Float] {
        precondition(raw.count == SeedCNN.parameterCount)
        var p = [Float](repeating: 0, count: raw.count)
        var at = 0
        func take(_ count: Int) -> ArraySlice<Float> {
            defer { at += count }
            return raw[at..<(at + count)]
        }
        func convWeights(_ out: Int, _ inChannels: Int, into offset: Int) {
            let w = Array(take(out * inChannels * 9))
            for o in 0..<out { for c in 0..<inChannels { for u in 0..<3 { for v in 0..<3 {
                p[offset + ((u * 3 + v) * inChannels + c) * out + o] = w[((o * inChannels + c) * 3 + u) * 3 + v]
            } } } }
        }
        func copy(_ count: Int, into offset: Int) { p.replaceSubrange(offset..<(offset + count), with: take(count)) }
        convWeights(32, 1, into: 0)
        copy(32, into: 288)
        convWeights(64, 32, into: 320)
        copy(64, into: 18752)
        let fc1 = Array(take(128 * 3136))  // [out][c*49 + h*7 + w]
        for o in 0..<128 { for h in 0..<7 { for w in 0..<7 { for c in 0..<64 {
            p[18816 + ((h * 7 + w) * 64 + c) * 128 + o] = fc1[o * 3136 + c * 49 + h * 7 + w]
        } } } }
        copy(128, into: 420224)
        let fc2 = Array(take(10 * 128))
        for o in 0..<10 { for i in 0..<128 { p[420352 + i * 10 + o] = fc2[o * 128 + i] } }
        copy(10, into: 421632)
        return p
    }

    /// Images as network input: pixels/255 in [0,1].
    static func pixels(_ images: LabeledImages) -> [Float] { images.pixels.map { Float($0) / 255 } }

    @Test func logitsMatchPyTorch() throws {
        #expect(SeedCNN.tensors.map(\.offset) == [0, 288, 320, 18752, 18816, 420224, 420352, 421632])
        let raw = try PyTorchReference.floats("seedcnn.f32")
        let expected = try PyTorchReference.floats("ref_logits_t10k_first100.f32")
        let images = try MNIST.load("t10k", limit: 100)
        let model = Model(parameters: Self.importPyTorch(raw))
        for threads in [1, 2] {
            let logits = Classifier(model: model, threads: threads).logits(pixels: Self.pixels(images))
            #expect(logits.count == expected.count)
            let worst = zip(logits, expected).map { abs($0 - $1) }.max()!
            #expect(worst <= 1e-4, "largest |logit − PyTorch| with \(threads) threads: \(worst)")
        }
    }
}
