import Foundation
import Imaging
import Logging
import ServiceLifecycle

/// digitd assembled from services: the scan pipeline (watcher + batches),
/// background fine-tuning and the control API, run by a ServiceGroup that
/// drains them on SIGTERM/SIGINT. SIGHUP re-reads the config file.
public final class Daemon: @unchecked Sendable {
    private var config: DaemonConfig
    private let configPath: String?
    private let rootOverride: String?
    private let logger: Logger
    private let notifier = SystemdNotifier()
    private let board: StatusBoard
    private let pending: PendingScans
    private let slot: ModelSlot
    private let pipeline: ScanPipeline
    private let watcher: InboxWatcher
    private let reservoir: ReplayReservoir
    private let corrections: CorrectionStore
    private let results: ResultsLog
    private let review: ReviewQueue
    private let quarantine: LabelQuarantine
    private let rootLock: RootLock
    private let fineTuner: FineTuneScheduler
    private let lock = NSLock()

    /// Takes the root's lock, prepares the folders, loads the model, recovers
    /// processing/. Damaged state (registry, replay, fine-tune history, label
    /// quarantine) is set aside and reported, never a reason not to start.
    public init(config: DaemonConfig, configPath: String?, rootOverride: String?, logger: Logger) throws {
        self.config = config
        self.configPath = configPath
        self.rootOverride = rootOverride
        self.logger = logger
        let layout = config.layout
        // Before anything in the root is read or moved: a second digitd stops here.
        rootLock = try RootLock(root: layout.root)
        try layout.create()
        try ControlServer.clearStaleSocket(layout.socket)
        if let listen = config.metricsListen { try ControlServer.checkCanListen(listen) }

        var problems: [String] = []
        let report = { (problem: String) in
            logger.error("\(problem)")
            problems.append(problem)
        }
        if let problem = config.registry.setAsideIfDamaged() { report(problem) }
        let loaded = try Self.loadServedModel(config, report: report)
        slot = ModelSlot(loaded)
        logger.notice("model \(loaded.version) from \(loaded.path)")

        board = StatusBoard(root: layout.root)
        board.update { $0.model = loaded.version }
        pending = PendingScans(capacity: max(4 * config.batchMaxSize, 1024))
        reservoir = ReplayReservoir(capacity: config.replaySize)
        do { try reservoir.load(from: layout.replay) } catch {
            report("replay reservoir not loaded (\(error)); moved to \(DamagedFile.setAside(layout.replay)), starting empty")
        }
        quarantine = LabelQuarantine(models: layout.models, report: report)
        corrections = CorrectionStore(layout: layout)
        results = ResultsLog(folder: layout.results, formulaGuard: config.formulaGuard, logger: logger)
        review = ReviewQueue(index: ResultsIndex.opening(layout.index, results: layout.results), store: corrections,
                             decoder: ImageDecoder(limits: config.limits))
        // Before recovery's moves: which way this root's filesystem can move without replacing.
        let moves = NoReplaceRename(probing: layout.processing, logger: logger)
        pipeline = ScanPipeline(settings: Self.pipelineSettings(config), lifecycle: ScanLifecycle(layout: layout, moves: moves),
                                results: results, pending: pending, models: slot, reservoir: reservoir,
                                board: board, notifier: notifier, logger: logger)
        try pipeline.recover()
        watcher = try InboxWatcher(inbox: layout.inbox, pending: pending,
                                   quietPeriod: Double(config.quietPeriodMilliseconds) / 1000,
                                   rescanInterval: config.rescanIntervalSeconds, logger: logger)
        fineTuner = FineTuneScheduler(
            .init(store: corrections, quarantine: quarantine, registry: config.registry, reservoir: reservoir, models: slot,
                  baseModelPath: try? config.baseModelPath(), decoder: ImageDecoder(limits: config.limits), servingThreads: config.threads,
                  promote: { [slot, board, logger] in Self.serve($0, in: slot, board: board, logger: logger) }),
            schedule: config.fineTuneSchedule, settings: config.fineTune, logger: logger)
        if let problem = fineTuner.stateProblem { report(problem) }
        board.update { $0.problems = problems }
    }

    /// The registry's current version; when its file is missing or fails
    /// verification, the base model (reported: a rollback or fine-tune mends it).
    private static func loadServedModel(_ config: DaemonConfig, report: (String) -> Void) throws -> ModelSlot.Loaded {
        if let current = try config.registry.currentPath() {
            do { return try ModelSlot.load(path: current, threads: config.threads) } catch {
                report("the registry's current model cannot be served (\(error)); serving the base model")
            }
        }
        return try ModelSlot.load(path: try config.baseModelPath(), threads: config.threads)
    }

    private func serve(_ loaded: ModelSlot.Loaded) { Self.serve(loaded, in: slot, board: board, logger: logger) }

    /// Hot-swaps the served model: the next batch is classified by it.
    private static func serve(_ loaded: ModelSlot.Loaded, in models: ModelSlot, board: StatusBoard, logger: Logger) {
        models.swap(to: loaded)
        board.update { $0.model = loaded.version }
        logger.notice("serving model \(loaded.version)")
    }

    private var currentConfig: DaemonConfig {
        lock.lock()
        defer { lock.unlock() }
        return config
    }

    static func pipelineSettings(_ config: DaemonConfig) -> ScanPipeline.Settings {
        ScanPipeline.Settings(maxSize: config.batchMaxSize, maxDelay: Double(config.batchMaxDelayMilliseconds) / 1000,
                              threads: config.threads, decoder: ImageDecoder(limits: config.limits), reviewTargetError: config.reviewTargetError)
    }

    /// Runs until SIGTERM or SIGINT. The services stop in the reverse of their
    /// order here: the SIGHUP reloader and the control API first, then the
    /// pipeline (the batches in flight are finished), the fine-tune thread,
    /// and last the replay reservoir's final save.
    public func run() async throws {
        let layout = config.layout
        let scans = ThreadService(name: "scan-pipeline", loop: { [pipeline, watcher] in
            watcher.start()
            pipeline.run()
        }, stop: { [pipeline, watcher] in
            watcher.stop()
            pipeline.stop()
        }, started: { [board, notifier, logger, review] in
            // The index catches up with the CSVs now rather than at the first question.
            DispatchQueue.global(qos: .utility).async {
                do { try review.index.catchUp() } catch { logger.warning("results index: \(error)") }
            }
            board.update { $0.ready = true }
            notifier.ready(status: "watching \(layout.inbox)")
            logger.notice("ready: watching \(layout.inbox), results in \(layout.results)")
        })
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: ReplaySaver(reservoir: reservoir, path: layout.replay, logger: logger)),
            .init(service: ThreadService(name: "fine-tune", loop: { [fineTuner] in fineTuner.run() }, stop: { [fineTuner] in fineTuner.stop() })),
            .init(service: scans),
            .init(service: ControlServer.application(socket: layout.socket, control: self, settings: config.control, logger: logger)),
        ]
        if let listen = config.metricsListen {
            services.append(.init(service: ControlServer.metricsApplication(host: listen.host, port: listen.port, control: self, logger: logger)))
            logger.notice("metrics on http://\(listen.host):\(listen.port)/metrics")
        }
        services.append(.init(service: HangupReloader { [self] in reload() }))
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        notifier.stopping()
        logger.notice("stopped")
    }

    /// Applies what can change without a restart: batching, limits, the model,
    /// the results' formula guard.
    /// All or nothing: everything that can fail (the file, a new model) is
    /// loaded before any setting changes.
    private func reload() {
        notifier.reloading()
        do {
            let new = try DaemonConfig.load(path: configPath, root: rootOverride)
            if new.layout != config.layout { logger.warning("folder changes in the config take effect at the next start") }
            let model = new.modelPath != currentConfig.modelPath
                ? try ModelSlot.load(path: try new.servedModelPath(), threads: new.threads) : nil
            pipeline.reconfigure(Self.pipelineSettings(new))
            fineTuner.reconfigure(schedule: new.fineTuneSchedule, settings: new.fineTune)
            results.reconfigure(formulaGuard: new.formulaGuard)
            if let model { serve(model) }
            lock.lock()
            config = new
            lock.unlock()
            logger.notice("configuration reloaded")
        } catch {
            logger.error("reload failed, keeping the running configuration: \(error)")
        }
        notifier.ready(status: "watching \(config.layout.inbox)")
    }
}

extension Daemon: DaemonControl {
    func status() -> DaemonStatus {
        var status = board.snapshot(queueDepth: pending.count)
        status.fineTune = fineTuner.report
        status.replayExamples = reservoir.count
        status.problems += quarantine.list.map(\.description).filter { !status.problems.contains($0) }
        return status
    }

    func metrics() -> String {
        board.metrics.exposition(status())
    }

    func relabel(_ request: RelabelRequest, by caller: ControlCaller) throws -> RelabelResult {
        let result = try corrections.relabel(request, by: caller, index: review.index)
        logger.notice("relabel: \(result.record.file) is \(result.record.label) (was \(result.record.previousDigit.map(String.init) ?? "-")), by \(caller)")
        return result
    }

    func requestFineTune(by caller: ControlCaller) -> FineTuneReport {
        let run = fineTuner.requestNow()
        logger.notice("fine-tune #\(run) requested by \(caller)")
        if let report = fineTuner.report, report.run == run { return report }
        return FineTuneReport(run: run, trigger: "request", state: .queued)
    }

    func fineTuneReport() throws -> FineTuneReport {
        guard let report = fineTuner.report else { throw NoFineTuneYet() }
        return report
    }

    func models() throws -> ModelRegistry.Contents { try currentConfig.registry.read() }

    func rollback(_ request: RollbackRequest, by caller: ControlCaller) throws -> RollbackResult {
        let config = currentConfig
        var target: ModelSlot.Loaded?
        let current = try config.registry.rollback(to: request.version) { target = try ModelSlot.load(path: $0, threads: config.threads) }
        let loaded = try target ?? ModelSlot.load(path: try config.servedModelPath(), threads: config.threads)
        logger.notice("rollback to \(current ?? "base") by \(caller)")
        serve(loaded)
        return RollbackResult(model: loaded.version, current: current, servedNow: true)
    }

    func reviewQueue(limit: Int) throws -> [ReviewItem] { try review.items(limit: limit) }

    func reviewPicture(claim: String, _ kind: ReviewPicture) throws -> [UInt8] { try review.picture(claim: claim, kind) }

    func reviewSummary() throws -> ReviewSummary { try review.summary() }

    func unlabel(_ request: UnlabelRequest, by caller: ControlCaller) throws -> UnlabelResult {
        let result = try review.unlabel(request)
        if let removed = result.removed { logger.notice("unlabel: \(removed.file) is no longer labelled \(removed.label), by \(caller)") }
        return result
    }
}
