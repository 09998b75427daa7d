import Foundation
import Imaging
import Logging
import NeuralNetwork
import Testing
@testable import DigitdCore

/// DESIGN §7 measured: corrections on a distribution the shipped model is weak
/// on make it better there without forgetting MNIST; wrong labels are refused
/// by the validation gate.
@Suite(.serialized, .enabled(if: MNIST.available, MNIST.absent))
struct FineTuneTests {
    /// MNIST test digits drawn in a steep italic, as scans of dark ink on
    /// paper: the shipped model has not seen this style. A
    /// stratified 10% is relabeled, the fine-tune learns from it, and the other
    /// 90% and the MNIST test set are scored before and after.
    @Test func correctionsFixAShiftedStyleWithoutForgetting() throws {
        let shifted = try MNIST.load("t10k", range: 0..<3000)
        let normalizer = ScanNormalizer()
        let scans = try (0..<shifted.count).map { i in try normalizer.normalize(SteepItalic.render(shifted.image(i))).bytes }

        let root = try TuneRoot("shifted")
        // 10% of each digit relabeled, the rest scored.
        var relabeled = Set<Int>()
        for digit in 0...9 {
            let members = (0..<shifted.count).filter { shifted.labels[$0] == digit }
            relabeled.formUnion(members.prefix(members.count / 10))
        }
        for i in relabeled {
            try root.writeLabel(SteepItalic.render(shifted.image(i)), digit: Int(shifted.labels[i]), name: "scan-\(i).png")
        }
        let scored = (0..<shifted.count).filter { !relabeled.contains($0) }
        let heldBack = LabeledImages(pixels: scored.flatMap { scans[$0] }, labels: scored.map { shifted.labels[$0] })
        let mnistTest = try MNIST.load("t10k", range: 0..<10_000).images

        let base = try root.servedModel()
        let errorBefore = 1 - Evaluation(classifier: Classifier(model: base), images: heldBack).accuracy
        let mnistBefore = Evaluation(classifier: Classifier(model: base), images: mnistTest).accuracy

        let report = try root.fineTune()
        #expect(report.state == .promoted, "\(report)")
        let tuned = try root.servedModel()
        #expect(tuned != base)
        let errorAfter = 1 - Evaluation(classifier: Classifier(model: tuned), images: heldBack).accuracy
        let mnistAfter = Evaluation(classifier: Classifier(model: tuned), images: mnistTest).accuracy
        print(String(format: "fine-tune proof: %d corrections; shifted-style error on the other %d: %.2f%% -> %.2f%%; MNIST test: %.2f%% -> %.2f%%; %.1f s; gate: held-out %.1f%% -> %.1f%%",
                     relabeled.count, scored.count, 100 * errorBefore, 100 * errorAfter, 100 * mnistBefore, 100 * mnistAfter,
                     report.seconds ?? 0, 100 * (report.before?.heldOut ?? 0), 100 * (report.after?.heldOut ?? 0)))
        #expect(errorBefore > 0.1, "the shifted style must be one the shipped model is weak on")
        #expect(errorAfter <= errorBefore / 2, "the error on the shifted style must fall by at least half")
        #expect(mnistBefore - mnistAfter <= 0.002, "MNIST accuracy may drop by at most 0.2 points")
    }

    /// A hundred different 1s, all labelled 7: the candidate learns them (the
    /// held-out ones "improve"), but MNIST's 1s suffer, and the gate refuses it.
    @Test func wrongLabelsAreRejectedByTheGate() throws {
        let ones = try MNIST.load("t10k", range: 0..<2000, only: 1)
        let root = try TuneRoot("wrong")
        for i in 0..<min(100, ones.count) {
            try root.writeLabel(ScanStyle.plain(ones.image(i)), digit: 7, name: "one-\(i).png")
        }
        let before = try root.servedModel()
        let report = try root.fineTune()
        print("wrong labels: \(report.state.rawValue): \(report.reason ?? "")")
        #expect(report.state == .rejected, "\(report)")
        #expect(try root.registry.read().current == nil)
        #expect(try root.servedModel() == before)
        #expect(try root.registry.read().versions.last?.state == .rejected)
    }
}

/// A runtime root with corrections, fine-tuned from the shipped model with
/// MNIST as replay and general set, the way the daemon's scheduler does it.
final class TuneRoot {
    let path: String
    let layout: RuntimeLayout
    let registry: ModelRegistry
    let models: ModelSlot
    let base: String

    init(_ label: String) throws {
        path = Harness.uniqueFolder("tune-" + label)
        layout = RuntimeLayout(root: path)
        try layout.create()
        registry = ModelRegistry(folder: layout.models)
        guard let shipped = ShippedModel.locate() else { throw Harness.Failure(description: "the shipped model was not found") }
        base = shipped
        models = ModelSlot(try ModelSlot.load(path: shipped, threads: 2))
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func writeLabel(_ image: GrayImage, digit: Int, name: String) throws {
        try AtomicFile.write(try PNGEncoder.encode(image), to: "\(layout.labels)/\(digit)/\(name)")
    }

    func servedModel() throws -> Model {
        try ModelFile.load(try registry.currentPath() ?? base)
    }

    func fineTune() throws -> FineTuneReport {
        var schedule = FineTuneSchedule()
        schedule.mnist = MNIST.folder
        var settings = FineTuneSettings()
        settings.threads = 2
        let models = self.models
        let scheduler = FineTuneScheduler(
            .init(store: CorrectionStore(layout: layout), quarantine: LabelQuarantine(models: layout.models) { Issue.record("\($0)") }, registry: registry, reservoir: ReplayReservoir(capacity: 0),
                  models: models, decoder: ImageDecoder(), servingThreads: 2, promote: { models.swap(to: $0) }),
            schedule: schedule, settings: settings, logger: Logger(label: "fine-tune-test"))
        scheduler.runOnce(trigger: "request", schedule: schedule)
        guard let report = scheduler.report else { throw Harness.Failure(description: "the fine-tune left no report") }
        return report
    }
}

/// MNIST from ../shared/data/mnist beside the repository (never copied into it).
enum MNIST {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data/mnist").path
    static var available: Bool { FileManager.default.fileExists(atPath: folder + "/t10k-images-idx3-ubyte.gz") }
    static let absent: Comment = "MNIST not found at ../shared/data/mnist beside the repository: skipped"

    struct Digits {
        var images: LabeledImages
        var count: Int { images.count }
        var labels: [UInt8] { images.labels }
        func image(_ i: Int) -> GrayImage {
            GrayImage(width: 28, height: 28, pixels: Array(images.pixels[(i * 784)..<((i + 1) * 784)]))
        }
    }

    static func load(_ set: String, range: Range<Int>, only digit: UInt8? = nil) throws -> Digits {
        let images = try IDXFile.readImages("\(folder)/\(set)-images-idx3-ubyte.gz")
        let labels = try IDXFile.readLabels("\(folder)/\(set)-labels-idx1-ubyte.gz")
        let picked = range.filter { digit == nil || labels[$0] == digit }
        return Digits(images: LabeledImages(pixels: picked.flatMap { images.images[($0 * 784)..<(($0 + 1) * 784)] },
                                            labels: picked.map { labels[$0] }))
    }
}

/// MNIST digits (light on black) drawn as a scanner sees them: dark ink on
/// light paper, enlarged 4x, with a margin.
enum ScanStyle {
    static func plain(_ digit: GrayImage) -> GrayImage { scan(digit) { bilinear(digit, $0, $1) } }

    /// Paper 4x the digit's size plus a margin, its ink sampled by `ink(x, y)` at the digit's scale.
    static func scan(_ digit: GrayImage, ink: (Double, Double) -> Double) -> GrayImage {
        let factor = 4, margin = 16
        let side = digit.width * factor + 2 * margin
        var out = GrayImage(width: side, height: side, fill: 240)
        for y in 0..<side {
            for x in 0..<side {
                let u = (Double(x - margin) + 0.5) / Double(factor) - 0.5
                let v = (Double(y - margin) + 0.5) / Double(factor) - 0.5
                out[x, y] = UInt8(240 - 200 * min(max(ink(u, v), 0), 255) / 255)
            }
        }
        return out
    }

    static func bilinear(_ image: GrayImage, _ x: Double, _ y: Double) -> Double {
        func at(_ x: Int, _ y: Int) -> Double {
            guard x >= 0, y >= 0, x < image.width, y < image.height else { return 0 }
            return Double(image[x, y])
        }
        let x0 = Int(x.rounded(.down)), y0 = Int(y.rounded(.down))
        let fx = x - Double(x0), fy = y - Double(y0)
        return (at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx) * (1 - fy) + (at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx) * fy
    }
}

/// A style MNIST lacks: a steep italic, x shifted by `shear` × the height
/// from the center (about 50° from upright), on a canvas wide enough to keep
/// the whole digit.
enum SteepItalic {
    static let shear = 1.2

    static func render(_ digit: GrayImage) -> GrayImage {
        let pad = 10, side = 28 + 2 * pad
        let center = Double(side) / 2 - 0.5
        var canvas = GrayImage(width: side, height: side, fill: 0)
        for y in 0..<28 { for x in 0..<28 { canvas[x + pad, y + pad] = digit[x, y] } }
        return ScanStyle.scan(canvas) { u, v in ScanStyle.bilinear(canvas, u + shear * (v - center), v) }
    }
}
