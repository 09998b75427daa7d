import Foundation
import Testing
@testable import TestSupport
@testable import DigitdCore

@Suite struct ConfigTests {
    static let shipped = Repository.path("etc/digitd.toml")

    /// etc/digitd.toml documents every key with its default: with every key
    /// uncommented it must load, and give the built-in defaults.
    @Test func everyDocumentedKeyLoadsWithItsDefault() throws {
        let text = try String(contentsOfFile: Self.shipped, encoding: .utf8)
        let uncommented = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.range(of: #"^#[a-z_]+ = "#, options: .regularExpression) != nil ? String(line.dropFirst()) : String(line)
        }.joined(separator: "\n")
        #expect(uncommented.contains("\ninterpolation = 0.7"))
        let path = TempFolder.unique("config") + "/all.toml"
        try uncommented.write(toFile: path, atomically: true, encoding: .utf8)
        let loaded = try DaemonConfig.load(path: path, root: "/var/lib/digitd")
        let defaults = DaemonConfig(root: "/var/lib/digitd")
        #expect(loaded.fineTune == defaults.fineTune)
        #expect(loaded.keepModels == defaults.keepModels && loaded.replaySize == defaults.replaySize)
        #expect(loaded.batchMaxSize == defaults.batchMaxSize && loaded.limits == defaults.limits)
        #expect(loaded.fineTuneSchedule.minNewLabels == defaults.fineTuneSchedule.minNewLabels)
        #expect(loaded.fineTuneSchedule.intervalSeconds == defaults.fineTuneSchedule.intervalSeconds)
        #expect(loaded.formulaGuard == defaults.formulaGuard)
        #expect(loaded.reviewTargetError == defaults.reviewTargetError && defaults.reviewTargetError == 0.005)
        // The one opt-in key: its documented example, not a default.
        #expect(defaults.metricsListen == nil)
        #expect(loaded.metricsListen == .init(host: "127.0.0.1", port: 9464))
        #expect(loaded.control.idleTimeoutSeconds == defaults.control.idleTimeoutSeconds)
        #expect(loaded.control.maxConnections == defaults.control.maxConnections)
        #expect(defaults.control.adminGroup == nil && loaded.control.adminGroup == "digitd-admin")
    }

    /// [control]: an admin group by name, an idle timeout and a connection cap within bounds.
    @Test func controlKeys() throws {
        let path = TempFolder.unique("config-control") + "/control.toml"
        try "[control]\nadmin_group = \"ops\"\nidle_timeout_s = 1\nmax_connections = 4".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try DaemonConfig.load(path: path, root: "/tmp/x").control
            == ControlServer.Settings(adminGroup: "ops", idleTimeoutSeconds: 1, maxConnections: 4))
        for bad in ["[control]\nadmin_group = \"\"", "[control]\nadmin_group = \"a b\"", "[control]\nidle_timeout_s = 0",
                    "[control]\nidle_timeout_s = inf", "[control]\nmax_connections = 0", "[control]\nmax_connections = 100000",
                    "[control]\nadmin_groups = \"ops\""] {
            try bad.write(toFile: path, atomically: true, encoding: .utf8)
            #expect(throws: DigitdError.self, "\(bad)") { try DaemonConfig.load(path: path, root: "/tmp/x") }
        }
    }

    @Test func metricsAddresses() throws {
        #expect(try DaemonConfig.address(":9464", "k") == .init(host: "0.0.0.0", port: 9464))
        #expect(try DaemonConfig.address("[::1]:80", "k") == .init(host: "::1", port: 80))
        #expect(try DaemonConfig.address("localhost:65535", "k") == .init(host: "localhost", port: 65535))
        for bad in ["9464", "host:0", "host:65536", "host:", "host:port", "a b:80"] {
            #expect(throws: DigitdError.self, "\(bad)") { try DaemonConfig.address(bad, "metrics.listen") }
        }
    }

    /// results.formula_guard: on unless switched off; only true or false.
    @Test func formulaGuardSwitch() throws {
        let path = TempFolder.unique("config-guard") + "/guard.toml"
        #expect(DaemonConfig(root: "/tmp/x").formulaGuard)
        try "[results]\nformula_guard = false".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try DaemonConfig.load(path: path, root: "/tmp/x").formulaGuard == false)
        for bad in ["[results]\nformula_guard = 0", "[results]\nformula_guard = \"off\"", "[results]\nformula_gaurd = false"] {
            try bad.write(toFile: path, atomically: true, encoding: .utf8)
            #expect(throws: DigitdError.self, "\(bad)") { try DaemonConfig.load(path: path, root: "/tmp/x") }
        }
    }

    /// review.target_error: a share in (0, 1], nothing else.
    @Test func reviewTargetError() throws {
        let path = TempFolder.unique("config-review") + "/review.toml"
        try "[review]\ntarget_error = 0.01".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try DaemonConfig.load(path: path, root: "/tmp/x").reviewTargetError == 0.01)
        try "[review]\ntarget_error = 1".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try DaemonConfig.load(path: path, root: "/tmp/x").reviewTargetError == 1)
        for bad in ["[review]\ntarget_error = 0", "[review]\ntarget_error = 1.5", "[review]\ntarget_error = -0.1",
                    "[review]\ntarget_error = \"low\"", "[review]\ntarget_eror = 0.01"] {
            try bad.write(toFile: path, atomically: true, encoding: .utf8)
            #expect(throws: DigitdError.self, "\(bad)") { try DaemonConfig.load(path: path, root: "/tmp/x") }
        }
    }

    /// finetune.anchor: the shipped set by default, another folder holding one, or "" for none;
    /// a folder without one is refused at start, not found out at the first fine-tune.
    @Test func anchorFolder() throws {
        #expect(DaemonConfig(root: "/tmp/x").fineTuneSchedule.anchor == AnchorSet.shipped())
        #expect(AnchorSet.shipped() != nil)
        let path = TempFolder.unique("config-anchor") + "/anchor.toml"
        let repository = Repository.path("models/anchor")
        try "[finetune]\nanchor = \"\(repository)\"".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try DaemonConfig.load(path: path, root: "/tmp/x").fineTuneSchedule.anchor == repository)
        try "[finetune]\nanchor = \"\"".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try DaemonConfig.load(path: path, root: "/tmp/x").fineTuneSchedule.anchor == nil)
        try "[finetune]\nanchor = \"/nonexistent/anchor\"".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: DigitdError.self) { try DaemonConfig.load(path: path, root: "/tmp/x") }
    }

    @Test func badFineTuneValuesAreRefused() throws {
        let path = TempFolder.unique("config-bad") + "/bad.toml"
        for bad in ["[finetune]\ninterpolation = 1.5", "[finetune]\nepochs = 0", "[finetune]\nholdout_fraction = 1.0", "[finetune]\nepoch = 3"] {
            try bad.write(toFile: path, atomically: true, encoding: .utf8)
            #expect(throws: DigitdError.self, "\(bad)") { try DaemonConfig.load(path: path, root: "/tmp/x") }
        }
    }

    /// Values a person may well write for "never" or "forever" are a clear
    /// error at load (digitd exits 64), not a trap later in a timer.
    @Test func numbersOutsideSaneBoundsAreRefused() throws {
        let path = TempFolder.unique("config-bounds") + "/bounds.toml"
        let bad = ["[finetune]\ninterval_s = 1e10", "[finetune]\ninterval_s = inf", "[finetune]\ninterval_s = nan",
                   "[finetune]\ninterval_s = 0.5", "[finetune]\nmax_seconds = 1e12", "[finetune]\nmax_seconds = inf",
                   "[watch]\nrescan_interval_s = 1e300", "[watch]\nrescan_interval_s = inf", "[finetune]\nlearning_rate = nan",
                   "[limits]\nwork_budget_s = 0", "[limits]\nwork_budget_s = inf"]
        for text in bad {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            #expect(throws: DigitdError.self, "\(text)") { try DaemonConfig.load(path: path, root: "/tmp/x") }
        }
        // The documented way to switch periodic fine-tunes off.
        try "[finetune]\ninterval_s = 0".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try DaemonConfig.load(path: path, root: "/tmp/x").fineTuneSchedule.intervalSeconds == 0)
    }
}
