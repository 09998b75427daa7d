import Foundation
import NeuralNetwork

/// A one-line live progress bar on a terminal (stderr); plain lines when stderr is not a TTY.
final class ProgressBar {
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private var lastDraw = Date.distantPast
    private var drawn = false

    func update(_ p: TrainingProgress) {
        guard isTerminal, Date().timeIntervalSince(lastDraw) > 0.1 || p.step == p.stepsPerEpoch else { return }
        lastDraw = Date()
        let fraction = Double(p.step) / Double(p.stepsPerEpoch)
        let filled = Int(fraction * 24)
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: 24 - filled)
        let text = String(
            format: "\repoch %d/%d [%@] %3.0f%%  loss %.4f  acc %.2f%%  %.0f img/s  ETA %@\u{1B}[K",
            p.epoch, p.epochs, bar, 100 * fraction, p.loss, 100 * p.accuracy, p.imagesPerSecond, Self.duration(p.remainingSeconds))
        FileHandle.standardError.write(Data(text.utf8))
        drawn = true
    }

    func line(_ text: String) {
        let prefix = drawn ? "\r\u{1B}[K" : ""
        drawn = false
        FileHandle.standardError.write(Data((prefix + text + "\n").utf8))
    }

    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let s = Int(seconds.rounded())
        return s >= 3600 ? "\(s / 3600)h\(s / 60 % 60)m" : s >= 60 ? "\(s / 60)m\(s % 60)s" : "\(s)s"
    }
}
