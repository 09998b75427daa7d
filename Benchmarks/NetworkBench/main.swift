// Images/s of the network engine on random images: inference at batch 1, 64 and 256,
// and training steps at batch 64. `NetworkBench [seconds per measurement]`.
import Foundation
import Network


/// Runs `body` (which handles `images` images) repeatedly for about `seconds`, returns images/s.
func measure(images: Int, seconds: Double, _ body: () -> Void) -> Double {
    body()  // warm-up: buffers, page faults, thread pool
    let start = Date()
    var done = 0
    while Date().timeIntervalSince(start) < seconds {
        body()
        done += images
    }
    return Double(done) / Date().timeIntervalSince(start)
}

// Locals, not top-level globals: the worker threads read the images, and Swift 6 ties
// main.swift's globals to the main actor.
func run(seconds: Double) {
    let model = Model.initial(seed: 1)
    var random = SeededRandom(seed: 2)
    let classifier = Classifier(model: model)
    for batch in [1, 64, 256] {
        let pixels = (0..<(batch * 784)).map { _ in random.unit() }
        let rate = measure(images: batch, seconds: seconds) { _ = classifier.logits(pixels: pixels) }
        print(String(format: "inference batch %3d: %8.0f img/s  (%.3f ms/batch)", batch, rate, 1000 * Double(batch) / rate))
    }

    let batch = 64
    let trainer = Trainer(model: model, batchSize: batch, optimizer: AdamSettings())
    let pixels = (0..<(batch * 784)).map { _ in random.unit() }
    let rate = measure(images: batch, seconds: seconds) {
        _ = trainer.step(count: batch, learningRate: 1e-3) { range, target, labels in
            for (slot, position) in range.enumerated() {
                (target + slot * 784).update(from: pixels.withUnsafeBufferPointer { $0.baseAddress! + position * 784 }, count: 784)
                labels[slot] = Int32(position % 10)
            }
        }
    }
    print(String(format: "training  batch %3d: %8.0f img/s", batch, rate))
}

run(seconds: CommandLine.arguments.count > 1 ? Double(CommandLine.arguments[1]) ?? 3 : 3)
