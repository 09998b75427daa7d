import Foundation
import Imaging
import Logging
import NeuralNetwork
import Testing
@testable import TestSupport
@testable import DigitdCore

/// A runtime root with corrections, fine-tuned from the shipped model in the default
/// configuration (the shipped anchor set as replay and general set, beside what `reservoir`
/// holds), the way the daemon's scheduler does it.
final class TuneRoot {
    let root: TempRoot
    let registry: ModelRegistry
    let models: ModelSlot
    let base: String
    var layout: RuntimeLayout { root.layout }

    init(_ label: String) throws {
        root = try TempRoot("tune-" + label)
        registry = ModelRegistry(folder: root.layout.models)
        guard let shipped = ShippedModel.locate() else { throw DigitdError("the shipped model was not found") }
        base = shipped
        models = ModelSlot(try ModelSlot.load(path: shipped, threads: 2))
    }

    /// `digit` nil: in labels/not-a-digit/.
    func writeLabel(_ image: GrayImage, digit: Int?, name: String) throws {
        try AtomicFile.write(try PNGEncoder.encode(image), to: "\(layout.labels)/\(CorrectionStore.folderName(digit))/\(name)")
    }

    func servedModel() throws -> Model {
        try ModelFile.load(try registry.currentPath() ?? base)
    }

    func fineTune(reservoir: ReplayReservoir = ReplayReservoir(capacity: 0)) throws -> FineTuneReport {
        let schedule = FineTuneSchedule()
        guard schedule.anchor != nil else { throw DigitdError("the shipped anchor set was not found beside the shipped model") }
        var settings = FineTuneSettings()
        settings.threads = 2
        let models = self.models
        let scheduler = FineTuneScheduler(
            .init(store: CorrectionStore(layout: layout), quarantine: LabelQuarantine(models: layout.models) { Issue.record("\($0)") }, registry: registry, reservoir: reservoir,
                  models: models, baseModelPath: base, decoder: ImageDecoder(), servingThreads: 2, promote: { models.swap(to: $0) }),
            schedule: schedule, settings: settings, logger: Logger(label: "fine-tune-test"))
        scheduler.runOnce(trigger: "request", schedule: schedule)
        guard let report = scheduler.report else { throw DigitdError("the fine-tune left no report") }
        return report
    }
}
