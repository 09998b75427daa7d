import Foundation
import Hummingbird
import Imaging
import Logging
import NeuralNetwork
import ServiceLifecycle

/// digitd assembled from services: the scan pipeline (watcher + batches) and
/// the control API, run by a ServiceGroup that drains them on SIGTERM/SIGINT.
/// SIGHUP re-reads the config file.
public final class Daemon: @unchecked Sendable {
    private var config: DaemonConfig
    private let configPath: String?
    private let rootOverride: String?
    private let logger: Logger
    private let notifier = SystemdNotifier()
    private let board: StatusBoard
    private let pending: PendingScans
    private let models: ModelSlot
    private let pipeline: ScanPipeline
    private let watcher: InboxWatcher

    /// Prepares the folders, loads the model, recovers processing/.
    public init(config: DaemonConfig, configPath: String?, rootOverride: String?, logger: Logger) throws {
        self.config = config
        self.configPath = configPath
        self.rootOverride = rootOverride
        self.logger = logger
        let layout = config.layout
        try layout.create()
        try ControlServer.clearStaleSocket(layout.socket)

        let modelPath = try config.servedModelPath()
        let loaded = try ModelSlot.load(path: modelPath, threads: config.threads)
        models = ModelSlot(loaded)
        logger.notice("model \(loaded.version) from \(modelPath)")

        board = StatusBoard(root: layout.root)
        board.update { $0.model = loaded.version }
        pending = PendingScans(capacity: max(4 * config.batchMaxSize, 1024))
        pipeline = ScanPipeline(settings: Self.pipelineSettings(config), lifecycle: ScanLifecycle(layout: layout),
                                results: ResultsLog(folder: layout.results), pending: pending, models: models,
                                board: board, notifier: notifier, logger: logger)
        try pipeline.recover()
        watcher = try InboxWatcher(inbox: layout.inbox, pending: pending,
                                   quietPeriod: Double(config.quietPeriodMilliseconds) / 1000,
                                   rescanInterval: config.rescanIntervalSeconds, logger: logger)
    }

    static func pipelineSettings(_ config: DaemonConfig) -> ScanPipeline.Settings {
        ScanPipeline.Settings(maxSize: config.batchMaxSize, maxDelay: Double(config.batchMaxDelayMilliseconds) / 1000,
                              threads: config.threads, decoder: ImageDecoder(limits: config.limits))
    }

    /// Runs until SIGTERM or SIGINT; the batch in flight is finished first.
    public func run() async throws {
        let control = ControlServer.application(socket: config.layout.socket, board: board, pending: pending, logger: logger)
        let scans = PipelineService(pipeline: pipeline, watcher: watcher) { [self] in
            board.update { $0.ready = true }
            notifier.ready(status: "watching \(config.layout.inbox)")
            logger.notice("ready: watching \(config.layout.inbox), results in \(config.layout.results)")
        }
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: scans), .init(service: control)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        let reload = reloadOnHangup()
        defer { reload.cancel() }
        try await group.run()
        notifier.stopping()
        logger.notice("stopped")
    }

    private func reloadOnHangup() -> DispatchSourceSignal {
        signal(SIGHUP, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGHUP)
        source.setEventHandler { [self] in reload() }
        source.resume()
        return source
    }

    /// Applies what can change without a restart: batching, limits, the model.
    private func reload() {
        notifier.reloading()
        do {
            let new = try DaemonConfig.load(path: configPath, root: rootOverride)
            if new.layout != config.layout { logger.warning("folder changes in the config take effect at the next start") }
            pipeline.reconfigure(Self.pipelineSettings(new))
            if new.modelPath != config.modelPath {
                let loaded = try ModelSlot.load(path: try new.servedModelPath(), threads: new.threads)
                models.swap(to: loaded)
                board.update { $0.model = loaded.version }
                logger.notice("model \(loaded.version)")
            }
            config = new
            logger.notice("configuration reloaded")
        } catch {
            logger.error("reload failed, keeping the running configuration: \(error)")
        }
        notifier.ready(status: "watching \(config.layout.inbox)")
    }
}

/// Runs the watcher and the pipeline's loop (on a thread of its own: it blocks)
/// until graceful shutdown, then drains the batch in flight.
struct PipelineService: Service {
    let pipeline: ScanPipeline
    let watcher: InboxWatcher
    let onReady: @Sendable () -> Void

    func run() async throws {
        watcher.start()
        await withGracefulShutdownHandler {
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                let thread = Thread {
                    pipeline.run()
                    done.resume()
                }
                thread.name = "scan-pipeline"
                thread.start()
                onReady()
            }
        } onGracefulShutdown: {
            watcher.stop()
            pipeline.stop()
        }
    }
}
