import Foundation
import Imaging
import Logging
import NeuralNetwork

/// Runs fine-tunes in the background on a thread of its own, niced, so
/// ingestion keeps the cores: every `intervalSeconds` when enough new
/// corrections arrived, and at once on request. A promoted candidate is
/// registered and handed to `promote` (the daemon hot-swaps it).
final class FineTuneScheduler: @unchecked Sendable {
    struct Dependencies: Sendable {
        var store: CorrectionStore
        var quarantine: LabelQuarantine
        var registry: ModelRegistry
        var reservoir: ReplayReservoir
        var models: ModelSlot
        /// The base model (model.path or the shipped one): candidates must not fall under it.
        var baseModelPath: String?
        var decoder: ImageDecoder
        /// Threads the promoted model classifies with.
        var servingThreads: Int
        var promote: @Sendable (ModelSlot.Loaded) -> Void
    }

    private let dependencies: Dependencies
    private var schedule: FineTuneSchedule
    private var tuner: FineTuner
    private let logger: Logger
    private let condition = NSCondition()
    /// The number a requested run will have, until it starts.
    private var queuedRun: Int?
    private var stopping = false
    private var running: FineTuneReport?
    private var state: State

    /// What survives a restart: how many runs there were and what the last one learned from.
    struct State: Codable {
        var runs = 0
        var trainedOn: [String] = []
        var last: FineTuneReport?
    }

    var statePath: String { dependencies.registry.folder + "/finetune.json" }
    var logPath: String { dependencies.registry.folder + "/finetune-log.jsonl" }

    /// A damaged models/finetune.json found at start (moved aside; the run count starts again).
    let stateProblem: String?

    init(_ dependencies: Dependencies, schedule: FineTuneSchedule, settings: FineTuneSettings, logger: Logger) {
        self.dependencies = dependencies
        self.schedule = schedule
        tuner = FineTuner(settings: settings)
        self.logger = logger
        let path = dependencies.registry.folder + "/finetune.json"
        var state = State(), problem: String?
        if let data = FileManager.default.contents(atPath: path) {
            do {
                state = try JSONCoding.decoder().decode(State.self, from: data)
                // A run count digitd could never have reached would overflow at the next run.
                guard (0...1_000_000_000).contains(state.runs) else { throw DigitdError("runs \(state.runs) is out of range") }
            } catch {
                state = State()
                problem = "\(path) is unreadable (\(error)); moved to \(DamagedFile.setAside(path)), fine-tune history starts again"
            }
        }
        self.state = state
        stateProblem = problem
    }

    func reconfigure(schedule: FineTuneSchedule, settings: FineTuneSettings) {
        condition.lock()
        self.schedule = schedule
        tuner = FineTuner(settings: settings)
        condition.signal()
        condition.unlock()
    }

    /// The run in progress, else the one queued, else the last one.
    var report: FineTuneReport? {
        condition.lock()
        defer { condition.unlock() }
        if let running { return running }
        if let queuedRun { return FineTuneReport(run: queuedRun, trigger: "request", state: .queued) }
        return state.last
    }

    /// Queues a run (one at most: asking again joins it); returns its number.
    func requestNow() -> Int {
        condition.lock()
        defer { condition.unlock() }
        if let queuedRun { return queuedRun }
        let run = (running?.run ?? state.runs) + 1
        queuedRun = run
        condition.signal()
        return run
    }

    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    private var isStopping: Bool {
        condition.lock()
        defer { condition.unlock() }
        return stopping
    }

    /// The scheduling loop, blocking (FineTuneService runs it on a thread of
    /// its own); returns after `stop()`, a run in progress abandoned.
    func run() {
        // Niced: a fine-tune takes the CPU ingestion leaves. (Linux keeps the
        // nice value per thread; 0 is the calling one.)
        setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
        var lastPeriodic = Date()
        while true {
            condition.lock()
            // The interval is read on every wake-up, so a reload applies at once;
            // 0 switches periodic runs off (requests still run).
            while !stopping && queuedRun == nil {
                guard schedule.intervalSeconds > 0 else {
                    condition.wait()
                    continue
                }
                let next = lastPeriodic.addingTimeInterval(schedule.intervalSeconds)
                if Date() >= next { break }
                _ = condition.wait(until: next)
            }
            if stopping {
                condition.unlock()
                return
            }
            let onRequest = queuedRun != nil
            // Shown as running from here on, while the corrections are read.
            if let run = queuedRun { running = FineTuneReport(run: run, trigger: "request", state: .running) }
            queuedRun = nil
            let schedule = self.schedule
            condition.unlock()
            if !onRequest { lastPeriodic = Date() }
            runOnce(trigger: onRequest ? "request" : "interval", schedule: schedule)
        }
    }

    /// One run, start to finish; a periodic one is skipped without enough new corrections.
    func runOnce(trigger: String, schedule: FineTuneSchedule) {
        let (corrections, problems) = dependencies.store.corrections(decoder: dependencies.decoder, quarantine: dependencies.quarantine)
        let keys = corrections.map { "\($0.sha256):\($0.digit.map(String.init) ?? "x")" }
        let known = Set(state.trainedOn)
        let fresh = keys.filter { !known.contains($0) }.count
        if trigger == "interval" && fresh < schedule.minNewLabels {
            if fresh > 0 { logger.info("fine-tune: \(fresh) new correction(s), waiting for \(schedule.minNewLabels)") }
            return
        }
        condition.lock()
        let run = state.runs + 1
        var report = FineTuneReport(run: run, trigger: trigger, state: .running)
        report.startedAt = Date()
        report.corrections = corrections.count
        report.newCorrections = fresh
        report.problems = problems
        report.epochs = tuner.settings.epochs
        let tuner = self.tuner
        condition.unlock()
        for problem in problems { logger.warning("fine-tune: skipped \(problem)") }

        let base = dependencies.models.current
        report.parent = base.version
        do {
            let data = try gather(corrections, schedule: schedule)
            report.general = data.generalName
            report.replayPool = data.replay.count
            // Shown from here on: the corrections, replay and base are known.
            condition.lock()
            running = report
            condition.unlock()
            logger.notice("fine-tune #\(run) (\(trigger)): \(corrections.count) corrections (\(fresh) new) from \(base.version)")
            let outcome = try tuner.run(from: base.classifier.model, base: baseModel(unlike: base), data: data, run: UInt64(run),
                                        shouldContinue: { !isStopping }) { epoch, _ in
                self.condition.lock()
                self.running?.epoch = epoch
                self.condition.unlock()
            }
            report.epoch = report.epochs
            (report.trained, report.heldOut, report.replay) = (outcome.trained, outcome.heldOut, outcome.replay)
            (report.before, report.after, report.base) = (outcome.before, outcome.after, outcome.base)
            report.seconds = outcome.seconds
            if outcome.promoted { (report.interpolation, report.refusedSteps) = (outcome.interpolation, outcome.refusedSteps) }
            let record = ModelVersion(
                version: "", state: outcome.promoted ? .promoted : .rejected, parent: base.version, createdAt: Date(),
                corrections: corrections.count, heldOut: outcome.heldOut, replay: outcome.replay, general: data.generalName,
                before: outcome.before, after: outcome.after, base: outcome.base, interpolation: outcome.interpolation, seconds: outcome.seconds,
                reason: outcome.promoted ? nil : outcome.reason, fileKept: true)
            let saved = try dependencies.registry.add(outcome.candidate, record)
            report.version = saved.version
            if outcome.promoted {
                let loaded = try ModelSlot.load(path: dependencies.registry.path(of: saved.version), threads: dependencies.servingThreads)
                dependencies.promote(loaded)
                report.state = .promoted
            } else {
                report.state = .rejected
                report.reason = outcome.reason
            }
        } catch {
            report.state = .failed
            report.reason = "\(error)"
        }
        report.finishedAt = Date()
        finish(report, keys: keys)
    }

    private func finish(_ report: FineTuneReport, keys: [String]) {
        let figures = { (f: GateFigures?) in
            f.map { String(format: "held-out %.1f%% (log-loss %.3f), %@ %.2f%%", 100 * $0.heldOut, $0.heldOutLoss ?? 0, report.general ?? "general", 100 * $0.general) } ?? "-"
        }
        let measured = "before \(figures(report.before)); after \(figures(report.after))" + (report.base.map { "; base \(figures($0))" } ?? "")
        switch report.state {
        case .promoted: logger.notice("fine-tune #\(report.run): promoted \(report.version ?? ""): \(measured)")
        case .rejected: logger.notice("fine-tune #\(report.run): rejected \(report.version ?? ""): \(report.reason ?? ""); \(measured)")
        default: logger.error("fine-tune #\(report.run) failed: \(report.reason ?? "")")
        }
        condition.lock()
        state.runs = report.run
        if report.state != .failed { state.trainedOn = keys }
        state.last = report
        running = nil
        let saved = state
        condition.unlock()
        do {
            let encoder = JSONCoding.encoder()
            try AtomicFile.write(Array(try encoder.encode(saved)), to: statePath, mode: 0o640)
            let line = try encoder.encode(report) + Data("\n".utf8)
            let fd = open(logPath, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
            if fd >= 0 {
                _ = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                fsync(fd)
                close(fd)
            }
        } catch {
            logger.error("fine-tune: cannot record run #\(report.run): \(error)")
        }
    }

    /// The base model when the served one is another (a promoted fine-tune), to judge against.
    private func baseModel(unlike served: ModelSlot.Loaded) -> Model? {
        guard let path = dependencies.baseModelPath, path != served.path else { return nil }
        do { return try ModelFile.load(path) } catch {
            logger.warning("fine-tune: the base model \(path) cannot be read (\(error)); judged against the served model only")
            return nil
        }
    }

    /// Replay and general data. The reservoir is always replayed, less any input a correction
    /// names. Beside it: MNIST when configured (train images replayed, test images general),
    /// else the anchor set (its replay digits replayed, its general digits general), else a
    /// quarter of the reservoir kept out as the general set.
    func gather(_ corrections: [Correction], schedule: FineTuneSchedule) throws -> FineTuneData {
        let reservoir = dependencies.reservoir.snapshot(excluding: Set(corrections.map(\.pixels)))
        if let mnist = schedule.mnist {
            let train = try MNISTFolder(mnist).load("train", spread: schedule.mnistReplay)
            let test = try MNISTFolder(mnist).load("t10k", spread: schedule.generalSize)
            return FineTuneData(corrections: corrections, replay: train + reservoir, general: test, generalName: "MNIST test (\(test.count))")
        }
        if let folder = schedule.anchor {
            let anchor = try AnchorSet.load(folder)
            return FineTuneData(corrections: corrections, replay: anchor.replay + reservoir, general: anchor.general,
                                generalName: "anchor set (\(anchor.general.count))")
        }
        let generalCount = reservoir.count / 4
        return FineTuneData(corrections: corrections, replay: reservoir.subset(Array(generalCount..<reservoir.count)),
                            general: reservoir.subset(Array(0..<generalCount)), generalName: "reservoir agreement (\(generalCount))")
    }
}
