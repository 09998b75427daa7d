import Foundation
import NeuralNetwork

/// A uniform sample (reservoir sampling, Algorithm R) of the confident inputs
/// digitd has classified, as 28×28 bytes with the predicted digit: the replay
/// data that keeps a fine-tune from forgetting what the model already knew.
/// Saved to models/replay.bin (atomically) and loaded at start.
final class ReplayReservoir: @unchecked Sendable {
    let capacity: Int
    /// Predictions at least this confident are taken.
    let minimumConfidence: Float
    private var pixels: [UInt8] = []
    private var labels: [UInt8] = []
    private var seen: UInt64 = 0
    private var random: SeededRandom
    private var changed = false
    private let lock = NSLock()

    init(capacity: Int, minimumConfidence: Float = 0.99, seed: UInt64 = UInt64(Date().timeIntervalSince1970)) {
        self.capacity = capacity
        self.minimumConfidence = minimumConfidence
        random = SeededRandom(seed: seed, 0x5245_504C)  // "REPL"
    }

    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return labels.count
    }

    /// Offers one classified input (784 floats in [0,1]).
    func offer(_ image: [Float], digit: Int, confidence: Float) {
        guard capacity > 0, confidence >= minimumConfidence, image.count == SeedCNN.pixels else { return }
        lock.lock()
        defer { lock.unlock() }
        seen += 1
        let slot: Int
        if labels.count < capacity {
            slot = labels.count
            labels.append(0)
            pixels.append(contentsOf: repeatElement(0, count: SeedCNN.pixels))
        } else {
            let pick = Int(random.next() % seen)
            guard pick < capacity else { return }
            slot = pick
        }
        labels[slot] = UInt8(digit)
        for i in 0..<SeedCNN.pixels { pixels[slot * SeedCNN.pixels + i] = UInt8((image[i] * 255).rounded()) }
        changed = true
    }

    /// The sample, less the inputs in `excluded` (28x28 bytes): the corrections, so that no
    /// label a person gave is contradicted, or counted twice, by the model's own guess.
    func snapshot(excluding excluded: Set<[UInt8]> = []) -> LabeledImages {
        lock.lock()
        defer { lock.unlock() }
        let all = LabeledImages(pixels: pixels, labels: labels)
        guard !excluded.isEmpty else { return all }
        return all.subset(all.labels.indices.filter { !excluded.contains(Array(pixels[($0 * SeedCNN.pixels)..<(($0 + 1) * SeedCNN.pixels)])) })
    }

    // File: "DGTREPL1", count and seen (little-endian UInt64), labels, pixels.
    private static let magic = Array("DGTREPL1".utf8)

    /// Writes the sample when it changed since the last save.
    func save(to path: String) throws {
        lock.lock()
        guard changed else {
            lock.unlock()
            return
        }
        var bytes = Self.magic
        for value in [UInt64(labels.count), seen] { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
        bytes += labels
        bytes += pixels
        changed = false
        lock.unlock()
        try AtomicFile.write(bytes, to: path, mode: 0o640)
    }

    /// Loads a saved sample; a missing file is an empty reservoir, a damaged one an error.
    func load(from path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else { return }
        let bytes = [UInt8](data)
        func word(_ at: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(bytes[at + $1]) << (8 * UInt64($1)) } }
        guard bytes.count >= 24, Array(bytes[0..<8]) == Self.magic else { throw DigitdError("\(path): not a replay file") }
        // The count is checked against the file's real size before any
        // arithmetic with it: a damaged one may be anything up to 2^64 - 1.
        let stored = word(8)
        guard stored <= UInt64((bytes.count - 24) / (1 + SeedCNN.pixels)) else {
            throw DigitdError("\(path): damaged: it claims \(stored) images, more than its \(bytes.count) bytes hold")
        }
        let count = Int(stored)
        guard bytes.count == 24 + count * (1 + SeedCNN.pixels), bytes[24..<(24 + count)].allSatisfy({ $0 < 10 }) else {
            throw DigitdError("\(path): truncated or damaged")
        }
        let kept = min(count, capacity)
        lock.lock()
        labels = Array(bytes[24..<(24 + kept)])
        pixels = Array(bytes[(24 + count)..<(24 + count + kept * SeedCNN.pixels)])
        seen = max(word(16), UInt64(kept))
        lock.unlock()
    }

}
