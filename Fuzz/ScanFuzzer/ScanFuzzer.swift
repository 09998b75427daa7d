import Foundation
import Imaging
import NeuralNetwork

/// libFuzzer's target: one input is handled the way digitd handles a scan (PreparedScan),
/// bytes → decode → normalize under one work budget → classify with the shipped model.
/// A decode or normalization error is a clean outcome; a trap, a sanitizer report, a leak,
/// a unit over -timeout, an error that cannot happen or an output out of range is a finding.
///
/// `make fuzz` builds this with -sanitize=fuzzer, which supplies main(). In a plain
/// `swift build` nothing calls these functions: the executable starts and exits.
struct ScanFuzzer: Sendable {
    let decoder = ImageDecoder()
    let normalizer = ScanNormalizer()
    let classifier: Classifier

    /// Loaded once for the whole run (a lazy static), not per input: reading and checking
    /// the model takes far longer than one scan. One thread, as the fuzzer gets one core.
    /// `make fuzz` runs in the repository, so the shipped model is at models/ unless
    /// DIGITD_FUZZ_MODEL names another.
    static let shared: ScanFuzzer = {
        let path = ProcessInfo.processInfo.environment["DIGITD_FUZZ_MODEL"] ?? "models/seedcnn.digitd-model"
        do { return ScanFuzzer(classifier: Classifier(model: try ModelFile.load(path), threads: 1)) } catch {
            fatalError("ScanFuzzer: \(error)")
        }
    }()

    func handle(_ bytes: [UInt8]) {
        let budget = WorkBudget(seconds: decoder.limits.workBudgetSeconds)
        guard let decoded = try? decoder.decode(bytes, budget: budget) else { return }
        let scan: NormalizedScan
        do { scan = try normalizer.normalize(decoded.image, budget: budget) } catch {
            // Only the budget may stop a normalization; the others are bugs that fail a scan.
            guard case .overBudget = error else { fatalError("ScanFuzzer: \(error)") }
            return
        }
        precondition(scan.pixels.count == NormalizedScan.side * NormalizedScan.side && scan.pixels.allSatisfy { $0 >= 0 && $0 <= 1 },
                     "ScanFuzzer: normalized pixels out of [0, 1]")
        guard !scan.isBlank else { return }
        let (digit, confidence) = classifier.classify(pixels: scan.pixels)[0]
        precondition((0...9).contains(digit) && confidence > 0 && confidence <= 1, "ScanFuzzer: classified \(digit) at \(confidence)")
    }
}

/// Loads the model before the first input, so its allocations are not taken for a leak
/// of that input and a missing model stops the run at once.
@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutableRawPointer) -> CInt {
    _ = ScanFuzzer.shared
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    ScanFuzzer.shared.handle(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
