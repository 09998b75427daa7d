/// One thread's buffers for up to `capacity` images: every activation the backward pass
/// needs, and the gradients. Allocated once and reused for every batch.
final class Workspace: @unchecked Sendable {
    let capacity: Int
    let input: FloatBuffer         // n×28×28×1, normalized
    let conv1: FloatBuffer         // 28×28×32, one image at a time
    let pool1: FloatBuffer         // n×14×14×32, after ReLU
    let pool1Argmax: ByteBuffer
    let conv2: FloatBuffer         // 14×14×64, one image at a time
    let pool2: FloatBuffer         // n×7×7×64 = n×3136, after ReLU
    let pool2Argmax: ByteBuffer
    let hidden: FloatBuffer        // n×128, after ReLU
    let logits: FloatBuffer        // n×10
    let labels: UnsafeMutablePointer<Int32>
    let columns: FloatBuffer       // one image's im2col rows, for either conv: 784×9 or 196×288

    // Training only (empty for inference).
    let probabilities: FloatBuffer
    let dLogits: FloatBuffer, dHidden: FloatBuffer, dPool2: FloatBuffer
    let dConv2: FloatBuffer, dPool1: FloatBuffer, dConv1: FloatBuffer
    let parameterGradient: FloatBuffer

    init(capacity n: Int, training: Bool) {
        _ = blasSingleThreaded
        capacity = n
        input = FloatBuffer(count: n * 784)
        conv1 = FloatBuffer(count: 784 * 32)
        pool1 = FloatBuffer(count: n * 196 * 32)
        pool1Argmax = ByteBuffer(count: n * 196 * 32)
        columns = FloatBuffer(count: max(784 * 9, 196 * 288))
        conv2 = FloatBuffer(count: 196 * 64)
        pool2 = FloatBuffer(count: n * 3136)
        pool2Argmax = ByteBuffer(count: n * 3136)
        hidden = FloatBuffer(count: n * 128)
        logits = FloatBuffer(count: n * 10)
        labels = .allocate(capacity: n)
        labels.initialize(repeating: 0, count: n)
        let t = training ? n : 0
        probabilities = FloatBuffer(count: t * 10)
        dLogits = FloatBuffer(count: t * 10)
        dHidden = FloatBuffer(count: t * 128)
        dPool2 = FloatBuffer(count: t * 3136)
        dConv2 = FloatBuffer(count: training ? 196 * 64 : 0)  // these three: one image at a time
        dPool1 = FloatBuffer(count: training ? 196 * 32 : 0)
        dConv1 = FloatBuffer(count: training ? 784 * 32 : 0)
        parameterGradient = FloatBuffer(count: training ? SeedCNN.parameterCount : 0)
    }

    deinit { labels.deallocate() }

    /// `input` holds pixels in [0,1]; normalize them in place, as the model file says.
    func normalizeInput(count n: Int, _ normalization: InputNormalization) {
        let x = input.pointer
        for i in 0..<(n * 784) { x[i] = (x[i] - normalization.mean) / normalization.std }
    }

    /// The whole network on the first n images of `input`; logits end up in `logits`.
    /// ReLU runs after each maxpool rather than before: max and ReLU commute (ReLU is monotone),
    /// gradients are the same, and it touches a quarter of the values.
    func forward(_ p: UnsafePointer<Float>, count n: Int) {
        precondition(n <= capacity)
        // The convolutions and their pooling run image by image: an image's conv output (100 KB,
        // 50 KB) is pooled while it is in L2, where a batch's went out to memory and back.
        for image in 0..<n {
            let (pool1Image, pool2Image) = (image * 196 * 32, image * 3136)
            conv3x3Forward(
                input.pointer + image * 784, batch: 1, height: 28, width: 28, inChannels: 1,
                weights: p + SeedCNN.conv1Weight, bias: p + SeedCNN.conv1Bias, outChannels: 32,
                columns: columns.pointer, conv1.pointer)
            maxPool2Forward(
                conv1.pointer, batch: 1, height: 28, width: 28, channels: 32,
                pool1.pointer + pool1Image, argmax: pool1Argmax.pointer + pool1Image)
            reluForward(pool1.pointer + pool1Image, count: 196 * 32)
            conv3x3Forward(
                pool1.pointer + pool1Image, batch: 1, height: 14, width: 14, inChannels: 32,
                weights: p + SeedCNN.conv2Weight, bias: p + SeedCNN.conv2Bias, outChannels: 64,
                columns: columns.pointer, conv2.pointer)
            maxPool2Forward(
                conv2.pointer, batch: 1, height: 14, width: 14, channels: 64,
                pool2.pointer + pool2Image, argmax: pool2Argmax.pointer + pool2Image)
            reluForward(pool2.pointer + pool2Image, count: 3136)
        }
        denseForward(pool2.pointer, batch: n, inputs: 3136, weights: p + SeedCNN.fc1Weight, bias: p + SeedCNN.fc1Bias, outputs: 128, hidden.pointer)
        reluForward(hidden.pointer, count: n * 128)
        denseForward(hidden.pointer, batch: n, inputs: 128, weights: p + SeedCNN.fc2Weight, bias: p + SeedCNN.fc2Bias, outputs: 10, logits.pointer)
    }

    /// Loss and gradients for the n images of the last forward, with `labels` set. The loss is
    /// averaged over `normalizer` examples (the whole batch, of which this is one thread's share),
    /// so the threads' gradients simply add up. Returns the summed (not averaged) loss.
    func backward(_ p: UnsafePointer<Float>, count n: Int, normalizer: Int) -> Float {
        let g = parameterGradient.pointer
        parameterGradient.zero()
        let loss = softmaxCrossEntropyForward(logits.pointer, labels: labels, batch: n, classes: 10, probabilities: probabilities.pointer)
        softmaxCrossEntropyBackward(probabilities: probabilities.pointer, labels: labels, batch: n, classes: 10, normalizer: normalizer, dLogits.pointer)
        denseBackward(
            dLogits.pointer, input: hidden.pointer, batch: n, inputs: 128, weights: p + SeedCNN.fc2Weight, outputs: 10,
            weightGradient: g + SeedCNN.fc2Weight, biasGradient: g + SeedCNN.fc2Bias, dHidden.pointer)
        reluBackward(output: hidden.pointer, dHidden.pointer, count: n * 128)
        denseBackward(
            dHidden.pointer, input: pool2.pointer, batch: n, inputs: 3136, weights: p + SeedCNN.fc1Weight, outputs: 128,
            weightGradient: g + SeedCNN.fc1Weight, biasGradient: g + SeedCNN.fc1Bias, dPool2.pointer)
        reluBackward(output: pool2.pointer, dPool2.pointer, count: n * 3136)
        for image in 0..<n {  // image by image, as in the forward pass
            let (pool1Image, pool2Image) = (image * 196 * 32, image * 3136)
            maxPool2Backward(
                dPool2.pointer + pool2Image, argmax: pool2Argmax.pointer + pool2Image,
                batch: 1, height: 14, width: 14, channels: 64, dConv2.pointer)
            conv3x3Backward(
                dConv2.pointer, input: pool1.pointer + pool1Image, batch: 1, height: 14, width: 14, inChannels: 32,
                weights: p + SeedCNN.conv2Weight, outChannels: 64,
                weightGradient: g + SeedCNN.conv2Weight, biasGradient: g + SeedCNN.conv2Bias,
                columns: columns.pointer, dPool1.pointer)
            reluBackward(output: pool1.pointer + pool1Image, dPool1.pointer, count: 196 * 32)
            maxPool2Backward(
                dPool1.pointer, argmax: pool1Argmax.pointer + pool1Image,
                batch: 1, height: 28, width: 28, channels: 32, dConv1.pointer)
            // The input needs no gradient: conv1 stops at its weights.
            conv3x3Backward(
                dConv1.pointer, input: input.pointer + image * 784, batch: 1, height: 28, width: 28, inChannels: 1,
                weights: p + SeedCNN.conv1Weight, outChannels: 32,
                weightGradient: g + SeedCNN.conv1Weight, biasGradient: g + SeedCNN.conv1Bias,
                columns: columns.pointer, nil)
        }
        return loss
    }
}
