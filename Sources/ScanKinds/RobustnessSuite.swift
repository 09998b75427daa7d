import Foundation
import Imaging
import NeuralNetwork
import Parallel

/// The robustness suite: labelled MNIST digits rendered as each kind of scan, written as PNGs in
/// the labels/ layout, one folder per kind: FOLDER/<kind>/<digit>/<index>.png, and marks that
/// are not digits, one folder per NonDigit kind: FOLDER/<kind>/not-a-digit/<index>.png, so that
/// `digitctl eval --scans FOLDER` measures a model on each through the daemon's own decoder and
/// normalizer.
public enum RobustnessSuite {
    /// Writes every image of `images` as each of `kinds`; the noise follows from `seed` and the
    /// image's index alone, so the same call always writes the same files.
    /// Each non-digit is drawn (crossed out, paired or cut from `images`) and rendered as one of
    /// `kinds` in turn.
    public static func write(_ images: LabeledImages, kinds: [ScanKind] = ScanKind.allCases, nonDigits: [NonDigit] = NonDigit.suite,
                             to folder: String, seed: UInt64 = 1) throws {
        for kind in kinds {
            for digit in 0...9 {
                try FileManager.default.createDirectory(atPath: "\(folder)/\(kind.rawValue)/\(digit)", withIntermediateDirectories: true)
            }
        }
        for kind in nonDigits {
            try FileManager.default.createDirectory(atPath: "\(folder)/\(kind.rawValue)/\(notADigitFolder)", withIntermediateDirectories: true)
        }
        let digitJobs = kinds.count * images.count
        let failures = parallelMap(digitJobs + nonDigits.count * images.count, threads: ProcessInfo.processInfo.activeProcessorCount) { job -> String? in
            let i = job % images.count
            var rng = SeededRandom(seed: seed, UInt64(i), UInt64(job / images.count))
            let path: String, scan: GrayImage
            if job < digitJobs {
                let kind = kinds[job / images.count]
                path = "\(folder)/\(kind.rawValue)/\(images.labels[i])/\(i).png"
                scan = kind.render(images.image(i), rng: &rng)
            } else {
                let kind = nonDigits[(job - digitJobs) / images.count]
                path = "\(folder)/\(kind.rawValue)/\(notADigitFolder)/\(i).png"
                scan = ScanKind.allCases[i % ScanKind.allCases.count].render(kind.render(digits: images, rng: &rng), rng: &rng)
            }
            do {
                try Data(try PNGEncoder.encode(scan)).write(to: URL(fileURLWithPath: path))
                return nil
            } catch {
                return "\(path): \(error)"
            }
        }
        if let failure = failures.compactMap({ $0 }).first { throw SuiteError(description: failure) }
    }

    /// The folder beside labels/0..9/ that holds marks that are not digits.
    public static let notADigitFolder = "not-a-digit"

    public struct SuiteError: Error, CustomStringConvertible {
        public var description: String
    }
}
