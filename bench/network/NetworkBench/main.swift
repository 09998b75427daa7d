// Images/s of the network engine on random images: inference at batch 1, 64 and 256,
// and training steps at batch 64. `NetworkBench [seconds per measurement]`, or
// `NetworkBench --iterations N` for a fixed amount of work (perf stat, callgrind).
import Foundation
import NeuralNetwork


/// Runs `body` (which handles `images` images) repeatedly for about `seconds`, returns images/s.
/// CPU time of the whole process (all threads): images per CPU-second is what the code
/// costs, even on a machine busy with other work.
func cpuSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}

/// Images/s (wall clock) and images per CPU-second.
func measure(images: Int, seconds: Double, iterations: Int?, _ body: () -> Void) -> (wall: Double, cpu: Double) {
    body()  // warm-up: buffers, page faults, thread pool
    let start = Date()
    let startCPU = cpuSeconds()
    var done = 0
    while iterations.map({ done < $0 * images }) ?? (Date().timeIntervalSince(start) < seconds) {
        body()
        done += images
    }
    return (Double(done) / Date().timeIntervalSince(start), Double(done) / (cpuSeconds() - startCPU))
}

// Locals, not top-level globals: the worker threads read the images, and Swift 6 ties
// main.swift's globals to the main actor.
func run(seconds: Double, iterations: Int?) {
    print("kernels: \(kernelDescription), threads: \(defaultThreadCount)")
    let model = Model.initial(seed: 1)
    var random = SeededRandom(seed: 2)
    let classifier = Classifier(model: model)
    for batch in [1, 64, 256] {
        let pixels = (0..<(batch * 784)).map { _ in random.unit() }
        let rate = measure(images: batch, seconds: seconds, iterations: iterations) { _ = classifier.logits(pixels: pixels) }
        print(String(format: "inference batch %3d: %8.0f img/s  %8.0f img/CPU-s  (%.3f ms/batch)", batch, rate.wall, rate.cpu, 1000 * Double(batch) / rate.wall))
    }

    let batch = 64
    let trainer = Trainer(model: model, batchSize: batch, optimizer: AdamSettings())
    let pixels = (0..<(batch * 784)).map { _ in random.unit() }
    let rate = measure(images: batch, seconds: seconds, iterations: iterations) {
        _ = trainer.step(count: batch, learningRate: 1e-3) { range, target, labels in
            for (slot, position) in range.enumerated() {
                (target + slot * 784).update(from: pixels.withUnsafeBufferPointer { $0.baseAddress! + position * 784 }, count: 784)
                labels[slot] = Int32(position % 10)
            }
        }
    }
    print(String(format: "training  batch %3d: %8.0f img/s  %8.0f img/CPU-s", batch, rate.wall, rate.cpu))
}

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "--iterations", arguments.count == 2, let count = Int(arguments[1]) {
    run(seconds: 0, iterations: count)
} else {
    run(seconds: arguments.first.flatMap(Double.init) ?? 3, iterations: nil)
}
