import Foundation
import Imaging
import NeuralNetwork
import Parallel

/// The robustness suite: labelled MNIST digits rendered as each kind of scan, written as PNGs in
/// the labels/ layout, one folder per kind: FOLDER/<kind>/<digit>/<index>.png, so that
/// `digitctl eval --scans FOLDER` measures a model on each kind through the daemon's own
/// decoder and normalizer.
public enum RobustnessSuite {
    /// Writes every image of `images` as each of `kinds`; the noise follows from `seed` and the
    /// image's index alone, so the same call always writes the same files.
    public static func write(_ images: LabeledImages, kinds: [ScanKind] = ScanKind.allCases, to folder: String, seed: UInt64 = 1) throws {
        for kind in kinds {
            for digit in 0...9 {
                try FileManager.default.createDirectory(atPath: "\(folder)/\(kind.rawValue)/\(digit)", withIntermediateDirectories: true)
            }
        }
        let failures = parallelMap(kinds.count * images.count, threads: ProcessInfo.processInfo.activeProcessorCount) { job -> String? in
            let kind = kinds[job / images.count], i = job % images.count
            var rng = SeededRandom(seed: seed, UInt64(i), UInt64(job / images.count))
            let path = "\(folder)/\(kind.rawValue)/\(images.labels[i])/\(i).png"
            do {
                let png = try PNGEncoder.encode(kind.render(images.image(i), rng: &rng))
                try Data(png).write(to: URL(fileURLWithPath: path))
                return nil
            } catch {
                return "\(path): \(error)"
            }
        }
        if let failure = failures.compactMap({ $0 }).first { throw SuiteError(description: failure) }
    }

    public struct SuiteError: Error, CustomStringConvertible {
        public var description: String
    }
}
