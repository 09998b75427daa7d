import Imaging
import NeuralNetwork

/// libFuzzer's target: one input is handled the way digitd handles a scan, bytes →
/// decode → normalize → classify with the shipped model. A decode error is a clean
/// outcome; a trap, a sanitizer report, a leak or a unit over -timeout is a finding.
///
/// `make fuzz` builds this with -sanitize=fuzzer, which supplies main(). In a plain
/// `swift build` nothing calls these functions: the executable starts and exits.
struct ScanFuzzer: Sendable {
    let decoder = ImageDecoder()
    let normalizer = ScanNormalizer()
    let classifier: Classifier

    /// Loaded once for the whole run (a lazy static), not per input: reading and checking
    /// the model takes far longer than one scan. One thread, as the fuzzer gets one core.
    static let shared: ScanFuzzer = {
        guard let path = ShippedModel.locate() else { fatalError("ScanFuzzer: models/\(ShippedModel.fileName) not found above the executable") }
        do { return ScanFuzzer(classifier: Classifier(model: try ModelFile.load(path), threads: 1)) } catch {
            fatalError("ScanFuzzer: \(error)")
        }
    }()

    func handle(_ bytes: [UInt8]) {
        guard let decoded = try? decoder.decode(bytes) else { return }
        let scan = normalizer.normalize(decoded.image)
        if !scan.isBlank { _ = classifier.classify(pixels: scan.pixels) }
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
