/// The seed CNN of DESIGN.md §5, the one architecture this engine runs:
/// conv 3x3 1→32 pad 1, ReLU, maxpool 2 → conv 3x3 32→64 pad 1, ReLU, maxpool 2 →
/// flatten 3136 → dense 128, ReLU → dense 10 (logits).
///
/// Activations are NHWC (channels last): a 3x3 patch of a pixel is then 3 runs of
/// 3*channels contiguous floats, and every layer is a matrix product over rows of pixels.
/// Conv weights are [kh][kw][in][out] and dense weights [in][out], so each layer is
/// `rows × weights` with no transposes; the flatten before fc1 is in (h, w, c) order.
public enum SeedCNN {
    public static let side = 28
    public static let pixels = 28 * 28
    public static let classes = 10
    static let conv1Channels = 32
    static let conv2Channels = 64
    static let pooledSide = 7
    static let flattened = 7 * 7 * 64
    static let hidden = 128

    /// Human-readable description stored in model files and compared on load.
    public static let architecture: [String] = [
        "input 28x28x1",
        "conv3x3 1->32 pad1", "relu", "maxpool2",
        "conv3x3 32->64 pad1", "relu", "maxpool2",
        "flatten 3136 (h,w,c)",
        "dense 3136->128", "relu",
        "dense 128->10", "logits",
    ]

    public static let layout =
        "activations NHWC; conv weights [kh][kw][in][out]; dense weights [in][out]; flatten order (h,w,c); float32 little-endian"

    /// All parameters live in one flat array in this order (the model file's order too).
    public static let tensors: [ParameterTensor] = {
        let shapes: [(String, [Int])] = [
            ("conv1.weight", [3, 3, 1, 32]), ("conv1.bias", [32]),
            ("conv2.weight", [3, 3, 32, 64]), ("conv2.bias", [64]),
            ("fc1.weight", [3136, 128]), ("fc1.bias", [128]),
            ("fc2.weight", [128, 10]), ("fc2.bias", [10]),
        ]
        var offset = 0
        return shapes.map { name, shape in
            defer { offset += shape.reduce(1, *) }
            return ParameterTensor(name: name, shape: shape, offset: offset)
        }
    }()

    public static let parameterCount = tensors.last!.offset + tensors.last!.count

    static func offset(_ name: String) -> Int { tensors.first { $0.name == name }!.offset }
    static let conv1Weight = offset("conv1.weight"), conv1Bias = offset("conv1.bias")
    static let conv2Weight = offset("conv2.weight"), conv2Bias = offset("conv2.bias")
    static let fc1Weight = offset("fc1.weight"), fc1Bias = offset("fc1.bias")
    static let fc2Weight = offset("fc2.weight"), fc2Bias = offset("fc2.bias")

    /// He (Kaiming) normal initialization for ReLU networks: weights N(0, 2/fan_in), biases 0.
    public static func initialParameters(seed: UInt64) -> [Float] {
        var random = SeededRandom(seed: seed)
        var values = [Float](repeating: 0, count: parameterCount)
        for tensor in tensors where tensor.shape.count > 1 {
            let fanIn = tensor.shape.dropLast().reduce(1, *)
            let std = (2 / Float(fanIn)).squareRoot()
            for i in tensor.offset..<(tensor.offset + tensor.count) { values[i] = std * random.normal() }
        }
        return values
    }
}

public struct ParameterTensor: Codable, Equatable, Sendable {
    public var name: String
    public var shape: [Int]
    public var offset: Int
    public var count: Int { shape.reduce(1, *) }
}

/// How raw pixels become network input: x = (pixel/255 - mean) / std.
public struct InputNormalization: Codable, Equatable, Sendable {
    public var mean: Float
    public var std: Float
    /// MNIST convention: light ink on black, pixel 255 = full ink.
    public var polarity: String

    public static let seed = InputNormalization(mean: 0.5, std: 0.5, polarity: "white ink on black (255 = ink)")
}
