import Foundation
import Imaging
import Logging
import NeuralNetwork
import Parallel

/// Claims pending scans in batches, decodes and normalizes them on all cores,
/// classifies each batch at once, records the rows (fsync) and only then moves
/// the originals out of processing/ (DESIGN §3).
///
/// Dynamic batching as Triton does it: a batch closes when it reaches
/// `maxSize` or `maxDelay` after its first file arrived, whichever is first.
///
/// Two stages: while one batch is recorded and moved (mostly waiting on
/// fsync), the next is claimed, decoded and classified. At most two batches
/// are in flight, and batches are recorded in the order they were claimed.
final class ScanPipeline: @unchecked Sendable {
    struct Settings: Sendable {
        var maxSize: Int
        var maxDelay: TimeInterval
        var threads: Int
        var decoder: ImageDecoder
        var normalizer = ScanNormalizer()
        /// [review] target_error.
        var reviewTargetError: Double

        init(maxSize: Int, maxDelay: TimeInterval, threads: Int, decoder: ImageDecoder,
             reviewTargetError: Double = DaemonConfig.defaultReviewTargetError) {
            self.maxSize = maxSize
            self.maxDelay = maxDelay
            self.threads = threads
            self.decoder = decoder
            self.reviewTargetError = reviewTargetError
        }
    }

    private var settings: Settings
    private let lifecycle: ScanLifecycle
    private let results: ResultsLog
    private let pending: PendingScans
    private let models: ModelSlot
    private let reservoir: ReplayReservoir
    private let board: StatusBoard
    private let notifier: SystemdNotifier
    private let faults: FaultRetry
    private let logger: Logger
    private let lock = NSLock()
    private var stopping = false
    private var lastStatusLine = Date.distantPast
    /// The review policy last announced (log and status), to announce the next change.
    private var announcedPolicy: ReviewPolicy?

    init(settings: Settings, lifecycle: ScanLifecycle, results: ResultsLog, pending: PendingScans,
                models: ModelSlot, reservoir: ReplayReservoir, board: StatusBoard, notifier: SystemdNotifier, logger: Logger) {
        self.settings = settings
        self.lifecycle = lifecycle
        self.results = results
        self.pending = pending
        self.models = models
        self.reservoir = reservoir
        self.board = board
        self.notifier = notifier
        self.logger = logger
        faults = FaultRetry(board: board, notifier: notifier, logger: logger)
    }

    /// New batch settings (SIGHUP), used from the next batch on.
    func reconfigure(_ settings: Settings) {
        lock.lock()
        self.settings = settings
        lock.unlock()
    }

    private var currentSettings: Settings {
        lock.lock()
        defer { lock.unlock() }
        return settings
    }

    /// Finishes what an earlier run left in processing/: a claim whose row was
    /// already written only needs its move. The others were in flight when
    /// digitd died, perhaps because of them: each is retried once, alone, and
    /// recorded before the next starts, so a death during its retry is its
    /// own; one that was in flight at two deaths is quarantined to failed/.
    func recover() throws {
        let leftovers = try lifecycle.leftovers()
        guard !leftovers.isEmpty else { return }
        // A large processing/ takes a while: systemd hears about it, not TimeoutStartSec.
        var extended = Date.distantPast
        let alive = { [notifier] in
            guard Date().timeIntervalSince(extended) >= Self.startExtensionEvery else { return }
            notifier.extendStartTimeout(by: Self.startExtension)
            notifier.watchdog()
            extended = Date()
        }
        alive()
        let oldest = leftovers.map { ScanLifecycle.date(ofClaim: $0.claim.id) }.min()!
        let written = try results.rows(claims: Set(leftovers.map(\.claim.id)), since: oldest.addingTimeInterval(-60))
        var retry: [Claim] = [], quarantine: [Claim] = []
        var finished: Set<ScanLifecycle.Outcome> = []
        for leftover in leftovers {
            let claim = leftover.claim
            if let row = written[claim.id] {
                let outcome: ScanLifecycle.Outcome = row.status == .error ? .failed : .done
                let planned = Self.storedName(row.storedAs, of: claim) ?? lifecycle.plannedName(claim, outcome)
                do {
                    try lifecycle.finish(claim, outcome, planned: planned, reason: row.reason, retried: true)
                    finished.insert(outcome)
                } catch {
                    // One file that cannot be moved must not keep digitd from starting.
                    logger.error("\(claim.original): left in processing/ (\(error))")
                }
            } else if leftover.deaths >= 2 {
                quarantine.append(claim)
            } else {
                retry.append(claim)
            }
        }
        if !finished.isEmpty {
            guard faults.untilDone(Self.places(finished), alive: alive, { try lifecycle.syncFinished(finished) }) != nil else { return }
        }
        logger.notice("recovered processing/: \(leftovers.count - retry.count - quarantine.count) finished, \(retry.count) to process again, \(quarantine.count) quarantined")
        if !quarantine.isEmpty {
            let scans = quarantine.map { claim in
                logger.error("\(claim.original): \(Self.quarantineReason); quarantined to failed/, never taken again")
                return PreparedScan(failure: Self.quarantineReason, hashing: path(of: claim), decoder: currentSettings.decoder)
            }
            guard record(ClassifiedBatch(claims: quarantine, scans: scans, predictions: scans.map { _ in nil }, verdicts: scans.map { _ in nil },
                                          model: models.current.version, retried: true),
                         alive: alive) else { return }
        }
        for claim in retry {
            alive()
            guard faults.untilDone("processing/", alive: alive, { try lifecycle.markRetry(claim) }) != nil,
                  let scans = settle([claim], [prepare(claim, currentSettings)], alive: alive),
                  let batch = classify([claim], scans, retried: true), record(batch, alive: alive) else { return }
        }
    }

    /// How far each EXTEND_TIMEOUT_USEC reaches, and how often recovery sends one.
    static let startExtension: TimeInterval = 30
    static let startExtensionEvery: TimeInterval = 5

    static let quarantineReason = "digitd stopped twice while processing this file"

    /// The name a written row's `stored_as` gave a claim, as raw bytes: the
    /// inbox name or one numbered from it whose text matches (the CSV shows
    /// non-UTF-8 names with replacement characters, which must not become the
    /// stored name); nil when none does.
    static func storedName(_ storedAs: String, of claim: Claim) -> ScanName? {
        guard let slash = storedAs.firstIndex(of: "/"),
              let outcome = ScanLifecycle.Outcome(rawValue: String(storedAs[..<slash])) else { return nil }
        let text = String(storedAs[storedAs.index(after: slash)...])
        var numbers = [1]
        var rest = text[...]
        while let tilde = rest.firstIndex(of: "~") {
            rest = rest[rest.index(after: tilde)...]
            if let n = Int(rest.prefix { $0.isASCII && $0.isNumber }), n >= 2 { numbers.append(n) }
        }
        return numbers.lazy.map { ScanLifecycle.candidate(claim.original, outcome, $0) }.first { $0.description == text }
    }

    /// The processing loop; returns after `stop()` once the batches in flight are done.
    func run() {
        let handoff = BatchHandoff()
        let recorded = DispatchSemaphore(value: 0)
        let recorder = Thread { [self] in
            while let batch = handoff.next() {
                // Waits out a full disk or an I/O error (intake stops meanwhile: the
                // loop waits for this batch); stopped first, the claims stay in
                // processing/ and the next start finishes them.
                record(batch, alive: notifier.watchdog)
                handoff.finished()
            }
            recorded.signal()
        }
        recorder.name = "scan-recorder"
        recorder.start()
        defer {
            handoff.close()
            recorded.wait()
        }
        while true {
            notifier.watchdog()
            let idleWake = Date().addingTimeInterval(notifier.watchdogInterval ?? 1)
            var names = pending.take(1, waitingUntil: idleWake)
            if isStopping { break }
            guard !names.isEmpty else { continue }
            // Read after the wait: a reload (SIGHUP) while idle applies to this batch.
            let settings = currentSettings
            if settings.maxSize > 1 {
                let deadline = Date().addingTimeInterval(settings.maxDelay)
                names += pending.take(settings.maxSize - 1, waitingUntil: deadline)
            }
            if let batch = claimAndClassify(names) {
                // Waits for the batch before to be recorded: a stalled recorder
                // stalls this loop too, and the watchdog restarts digitd.
                handoff.hand(batch)
            }
            if isStopping { break }
        }
    }

    func stop() {
        lock.lock()
        stopping = true
        lock.unlock()
        pending.close()
        faults.stop()
    }

    private var isStopping: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopping
    }

    /// Claims and decodes+normalizes the names in parallel (each worker claims
    /// a file just before reading it, so the renames no longer run one by one
    /// while the other cores wait), then classifies; nil when none could be claimed.
    func claimAndClassify(_ names: [ScanName]) -> ClassifiedBatch? {
        let settings = currentSettings
        let taken = parallelMap(names.count, threads: settings.threads) { i -> (Claim, PreparedScan)? in
            do {
                guard let claim = try lifecycle.claim(names[i]) else { return nil }
                return (claim, prepare(claim, settings))
            } catch {
                // One name that cannot be claimed (e.g. EPERM in a sticky inbox)
                // must not strand the batch's other claims in processing/.
                logger.error("cannot claim \(names[i]): \(error)")
                return nil
            }
        }.compactMap { $0 }
        guard let scans = settle(taken.map(\.0), taken.map(\.1), alive: notifier.watchdog) else { return nil }
        return classify(Array(taken.map(\.0).prefix(scans.count)), scans)
    }

    /// Reads again, until the shortage passes, every scan that failed because the system was
    /// short of descriptors or memory: such a failure is never a file's row. Stopped first,
    /// the scans from the first unsettled one on are left out (their claims stay in
    /// processing/ for the next start) and the rest are returned.
    private func settle(_ claims: [Claim], _ scans: [PreparedScan], alive: () -> Void) -> [PreparedScan]? {
        var settled = scans
        for i in settled.indices where settled[i].shortage != nil {
            let again = faults.untilDone("processing/", alive: alive) { () throws -> PreparedScan in
                let scan = prepare(claims[i], currentSettings)
                if let shortage = scan.shortage { throw shortage }
                return scan
            }
            guard let again else {
                settled.removeSubrange(i...)
                return settled.isEmpty ? nil : settled
            }
            settled[i] = again
        }
        return settled
    }

    /// Reads, decodes and normalizes one claim. Each file done is progress: the
    /// watchdog is pinged here, not only between batches, so a batch of slow
    /// (but budgeted) files never looks like a hang, while a worker that really
    /// hangs stops the pings once the others run out of files.
    private func prepare(_ claim: Claim, _ settings: Settings) -> PreparedScan {
        let scan = PreparedScan(path: path(of: claim), decoder: settings.decoder, normalizer: settings.normalizer)
        notifier.watchdog()
        return scan
    }

    private func path(of claim: Claim) -> ContiguousArray<CChar> {
        FileOps.path(lifecycle.layout.processing, claim.processingName)
    }

    private func classify(_ claims: [Claim], _ scans: [PreparedScan], retried: Bool = false) -> ClassifiedBatch? {
        guard !claims.isEmpty else { return nil }
        let model = models.current
        let policy = ReviewPolicy(calibration: model.classifier.model.calibration, targetError: currentSettings.reviewTargetError)
        announce(policy)
        let predictions = PreparedScan.predict(scans, with: model.classifier)
        return ClassifiedBatch(claims: claims, scans: scans, predictions: predictions, verdicts: predictions.map { $0.map(policy.verdict) },
                               model: model.version, retried: retried)
    }

    /// Plans each file's name in done/ or failed/, syncs the claims, appends the rows
    /// (fsync), then moves the originals and syncs the moves, waiting out faults of the world
    /// for each. False when digitd stopped before the rows were written: the claims stay in
    /// processing/ for the next start.
    @discardableResult
    func record(_ batch: ClassifiedBatch, alive: () -> Void) -> Bool {
        let now = Date()
        var rows: [ResultRow] = []
        var planned: [ScanName] = []
        // Two claims of one inbox name (restart after a kill) must not plan the same name.
        var reserved: [ScanLifecycle.Outcome: Set<ScanName>] = [:]
        for (i, (claim, scan)) in zip(batch.claims, batch.scans).enumerated() {
            let outcome: ScanLifecycle.Outcome = scan.failure == nil ? .done : .failed
            let name = lifecycle.plannedName(claim, outcome, reserved: reserved[outcome, default: []])
            reserved[outcome, default: []].insert(name)
            planned.append(name)
            let top = batch.predictions[i]?.ranked, verdict = batch.verdicts[i]
            let status: ResultRow.Status = scan.failure != nil ? .error : (verdict == nil ? .blank : verdict == .trusted ? .ok : .review)
            rows.append(ResultRow(
                file: claim.original.description, sha256: scan.sha256, status: status,
                digit: top?[0].digit, confidence: top?[0].probability, model: batch.model, processedAt: now,
                secondDigit: top?[1].digit, secondConfidence: top?[1].probability, reason: scan.failure ?? verdict?.reason ?? "",
                storedAs: "\(outcome.rawValue)/\(name)", claim: claim.id))
        }
        guard faults.untilDone("processing/", alive: alive, { try lifecycle.syncClaims() }) != nil,
              faults.untilDone("results/", alive: alive, { try results.append(rows, now: now) }) != nil else { return false }
        for (i, (claim, scan)) in zip(batch.claims, batch.scans).enumerated() {
            let outcome: ScanLifecycle.Outcome = scan.failure == nil ? .done : .failed
            let finish = { try self.lifecycle.finish(claim, outcome, planned: planned[i], reason: scan.failure ?? "", retried: batch.retried) }
            do {
                let stored = try finish()
                if stored != planned[i] {
                    logger.warning("\(claim.original): \(planned[i]) was taken meanwhile; stored as \(outcome.rawValue)/\(stored)")
                }
            } catch let error as SystemError where error.worldFault != nil {
                // Its row is written: the move is retried until the fault clears (stopped
                // first, the next start's recovery moves it).
                _ = faults.untilDone("\(outcome.rawValue)/", alive: alive, finish)
            } catch {
                // Not the world's fault (the file went from processing/): the next start's
                // recovery sees to it. The rest of the batch is still moved now.
                logger.error("\(claim.original): left in processing/ (\(error)); the next start finishes it")
            }
            if let failure = scan.failure { logger.warning("\(claim.original): \(failure)") }
        }
        let outcomes = Set(batch.scans.map { $0.failure == nil ? ScanLifecycle.Outcome.done : .failed })
        _ = faults.untilDone(Self.places(outcomes), alive: alive) { try lifecycle.syncFinished(outcomes) }
        // Replay learns only from answers digitd trusted.
        for (scan, (prediction, verdict)) in zip(batch.scans, zip(batch.predictions, batch.verdicts)) where verdict == .trusted {
            if let prediction, let pixels = scan.normalized?.pixels { reservoir.offer(pixels, digit: prediction.digit, confidence: prediction.confidence) }
        }
        board.recordBatch(rows)
        announceStatus()
        return true
    }

    /// Where syncing the moves into these folders writes, for the log and `status`.
    private static func places(_ outcomes: Set<ScanLifecycle.Outcome>) -> String {
        outcomes.map { "\($0.rawValue)/" }.sorted().joined(separator: " and ")
    }

    /// Says which scans go to review, at the first batch and whenever a new model or
    /// target error changes it.
    private func announce(_ policy: ReviewPolicy) {
        guard policy != announcedPolicy else { return }
        announcedPolicy = policy
        board.update { $0.trust = policy.description }
        logger.notice("review: \(policy)")
    }

    private func announceStatus() {
        guard Date().timeIntervalSince(lastStatusLine) >= 1 else { return }
        lastStatusLine = Date()
        let s = board.snapshot(queueDepth: pending.count)
        notifier.status("processed \(s.processed) (ok \(s.ok), review \(s.review), blank \(s.blank), error \(s.errors)); queue \(s.queueDepth); model \(s.model)")
    }
}

