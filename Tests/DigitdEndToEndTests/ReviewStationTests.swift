import Foundation
import Imaging
import NeuralNetwork
import ScanKinds
import Testing
@testable import TestSupport
@testable import DigitdCore

extension DaemonEndToEndTests {
    /// `digitctl review` against a real digitd, in a real headless Chromium: the token, the
    /// queue's tiles and order, decisions by keyboard and mouse that land in labels/, undo, a
    /// fine-tune started from the page, the status page.
    @Suite(.enabled(if: MNIST.available, MNIST.absent), .enabled(if: WebDriver.available, WebDriver.absent))
    struct ReviewStation {
        /// Where the screenshots go: DIGITD_SCREENSHOTS (the README's docs/ folder when it is
        /// refreshed), else the test's temp folder.
        static func save(_ png: Data, _ name: String, _ root: DaemonRoot) throws {
            let folder = ProcessInfo.processInfo.environment["DIGITD_SCREENSHOTS"] ?? root.path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try png.write(to: URL(fileURLWithPath: folder + "/" + name))
            print("screenshot: \(folder)/\(name)")
        }

        /// 24 MNIST test digits and 8 marks that are not digits, classified by the shipped model.
        static func classifiedRoot(_ label: String, digits count: Int = 24, marks: Int = 8) throws -> (DaemonRoot, DaemonProcess) {
            var settings = DaemonRoot.Settings()
            settings.modelPath = Repository.shippedModel
            let root = try DaemonRoot(label, settings)
            let daemon = try root.startReady()
            let digits = try MNISTFolder(MNIST.folder).load("t10k", spread: 20)
            for i in 0..<count {
                var rng = SeededRandom(seed: 7, UInt64(i))
                try root.drop("digit-\(i).png", try Fixtures.png(ScanKind.clean.render(digits.image(i % digits.count), rng: &rng)))
            }
            for i in 0..<marks {
                var rng = SeededRandom(seed: 8, UInt64(i))
                let kind = [NonDigit.latinLetters, .scribbles, .inventedCharacters, .twoDigits][i % 4]
                try root.drop("mark-\(i).png", try Fixtures.png(ScanKind.clean.render(kind.render(digits: digits, rng: &rng), rng: &rng)))
            }
            try waitFinished(root, daemon, count: count + marks)
            return (root, daemon)
        }

        static func station(_ root: DaemonRoot) throws -> (Digitctl.Running, base: String, token: String) {
            let station = try Digitctl.Running(["review", "--config", root.configPath, "--listen", "127.0.0.1:0"])
            let url = try #require(station.firstLine.firstMatch(of: /http:\/\/127\.0\.0\.1:\d+\/\?token=([0-9a-f]{64})/),
                                   "digitctl review printed: \(station.firstLine)")
            let base = String(url.output.0.prefix { $0 != "?" }).dropLast()
            return (station, String(base), String(url.output.1))
        }

        /// The claims of the tiles, in the page's order, and which one is selected.
        static func tiles(_ browser: WebDriver) throws -> (claims: [String], selected: String?) {
            let claims = try browser.run("return [...document.querySelectorAll('.tile')].map(t => t.dataset.claim)") as? [String] ?? []
            let selected = try browser.run("return document.querySelector('.tile.selected')?.dataset.claim ?? null") as? String
            return (claims, selected)
        }

        /// The queue in sheets of 50, grouped by guess inside each (the group of the most useful first).
        static func pageOrder(_ ranked: [ReviewItem]) -> [String] {
            stride(from: 0, to: ranked.count, by: 50).flatMap { start in
                var groups: [Int: [String]] = [:], groupOrder: [Int] = []
                for item in ranked[start..<min(start + 50, ranked.count)] {
                    if groups[item.digit] == nil { groupOrder.append(item.digit) }
                    groups[item.digit, default: []].append(item.claim)
                }
                return groupOrder.flatMap { groups[$0]! }
            }
        }

        static func waitAcknowledged(_ browser: WebDriver, _ count: Int, timeout: TimeInterval = 60) throws {
            try browser.wait("\(count) decisions answered by digitd", timeout: timeout, "return Number(document.body.dataset.acknowledged) >= \(count)")
        }

        @Test func theQueuePageTakesDecisionsByKeyboard() throws {
            let (root, daemon) = try Self.classifiedRoot("station")
            defer { stop(daemon, root) }
            let (station, base, token) = try Self.station(root)
            defer { withExtendedLifetime(station) {} }

            // No token, no page and no data; a wrong token neither.
            #expect(try HTTP.get(base + "/").1 == 403)
            #expect(try HTTP.get(base + "/api/queue").1 == 403)
            #expect(try HTTP.get(base + "/api/queue", headers: ["X-Review-Token": String(repeating: "0", count: 64)]).1 == 403)
            let browser = try WebDriver()
            try browser.open(base + "/")
            let refused = try browser.run("return document.body.innerText") as? String ?? ""
            #expect(refused.contains("needs the token"), "\(refused)")

            // The queue as digitd ranks it, grouped by guess (the group of the most useful first).
            let ranked = try ControlClient(socket: root.layout.socket).reviewQueue(limit: 200)
            #expect(ranked.count == 32, "every classified scan is undecided")
            #expect(ranked.first?.status == "review", "review rows come first: \(ranked.map(\.status))")
            let expected = Self.pageOrder(ranked)

            try browser.open(base + "/?token=" + token)
            try browser.wait("the queue loaded", "return document.body.dataset.loaded === 'true'")
            var page = try Self.tiles(browser)
            #expect(page.claims == expected)
            #expect(page.selected == expected.first)
            // Each tile's two pictures (loaded as they come on screen) come from digitd (the thumbnail and the 28x28 it saw).
            try browser.wait("every picture on screen drawn", """
                return [...document.querySelectorAll('.tile img')].every(i => i.getBoundingClientRect().top > innerHeight || (i.complete && i.naturalWidth > 0))
                """)
            #expect(try browser.run("return document.querySelector('.tile img.seen').naturalWidth") as? Int == 28)
            try Self.save(try browser.screenshot(), "review-queue.png", root)

            func record(_ claim: String) throws -> CorrectionRecord? {
                let item = try #require(ranked.first { $0.claim == claim })
                let path = root.layout.labels + "/.records/\(item.sha256).json"
                guard let data = FileManager.default.contents(atPath: path) else { return nil }
                return try JSONCoding.decoder().decode(CorrectionRecord.self, from: data)
            }
            let first = expected[0], second = expected[1]
            let firstGuess = try #require(ranked.first { $0.claim == first }).digit
            let relabelTo = (firstGuess + 3) % 10
            // A digit key relabels the selected scan; the next open one is selected.
            try browser.press([String(relabelTo)])
            try Self.waitAcknowledged(browser, 1)
            let relabelled = try #require(try record(first))
            #expect(relabelled.digit == relabelTo && relabelled.previousDigit == firstGuess)
            #expect(relabelled.byUID == getuid(), "the user behind the socket decided")
            #expect(FileManager.default.fileExists(atPath: root.layout.root + "/" + relabelled.storedAs))
            page = try Self.tiles(browser)
            #expect(page.selected == second)

            // Enter confirms the guess: a label too.
            let secondGuess = try #require(ranked.first { $0.claim == second }).digit
            try browser.press([WebDriver.Key.enter])
            try Self.waitAcknowledged(browser, 2)
            #expect(try record(second)?.digit == secondGuess)
            // u undoes it: the label and its record go.
            try browser.press(["u"])
            try Self.waitAcknowledged(browser, 3)
            #expect(try record(second) == nil)
            #expect(try Self.tiles(browser).selected == second)
            // Arrows move; the mouse works too (a click selects, a button decides).
            try browser.press([WebDriver.Key.right, WebDriver.Key.right])
            #expect(try Self.tiles(browser).selected == expected[3])
            try browser.press([WebDriver.Key.left])
            #expect(try Self.tiles(browser).selected == expected[2])
            try browser.click(".tile[data-claim='\(expected[5])']")
            #expect(try Self.tiles(browser).selected == expected[5])
            let fifthGuess = try #require(ranked.first { $0.claim == expected[5] }).digit
            try browser.click("#toolbar button[data-key='\((fifthGuess + 1) % 10)']")
            try Self.waitAcknowledged(browser, 4)
            #expect(try record(expected[5])?.digit == (fifthGuess + 1) % 10)
            // x marks the next one "not a digit": a label of its own kind, in labels/not-a-digit/.
            let marked = try #require(try Self.tiles(browser).selected)
            let markedGuess = try #require(ranked.first { $0.claim == marked }).digit
            try browser.press(["x"])
            try Self.waitAcknowledged(browser, 5)
            let mark = try #require(try record(marked))
            #expect(mark.digit == nil && mark.previousDigit == markedGuess && mark.storedAs.hasPrefix("labels/not-a-digit/"), "\(mark)")
            #expect(FileManager.default.fileExists(atPath: root.layout.root + "/" + mark.storedAs))
            // Decided scans leave digitd's queue.
            let left = try ControlClient(socket: root.layout.socket).reviewQueue(limit: 200).map(\.claim)
            #expect(!left.contains(first) && !left.contains(expected[5]) && !left.contains(marked) && left.contains(second))

            // f starts a fine-tune; the page shows its progress and the gate's verdict.
            try browser.press(["f"])
            try browser.wait("the fine-tune's verdict", timeout: 300, "return !!document.getElementById('finetune').dataset.verdict")
            let verdict = try browser.run("return document.getElementById('finetune').dataset.verdict") as? String
            let panel = try browser.run("return document.getElementById('finetune').textContent") as? String ?? ""
            #expect(verdict == "promoted" || verdict == "rejected", "\(panel)")
            #expect(panel.contains("fine-tune #1: 3 corrections (3 new)"), "\(panel)")
            #expect(panel.contains("held-out corrections"), "\(panel)")

            // The status page: counts, the corrections' confusion matrix, the version just made.
            try browser.open(base + "/status?token=" + token)
            let titles = try browser.run("return [...document.querySelectorAll('#confusion rect title')].map(t => t.textContent)") as? [String] ?? []
            #expect(titles.contains("said \(firstGuess), people said \(relabelTo): 1"), "\(titles.filter { !$0.hasSuffix(": 0") })")
            #expect(titles.contains("said \(fifthGuess), people said \((fifthGuess + 1) % 10): 1"))
            #expect(titles.contains("said \(markedGuess), people said not a digit: 1"), "\(titles.filter { !$0.hasSuffix(": 0") })")
            let statuses = try browser.run("return [...document.querySelectorAll('#statuses rect title')].map(t => t.textContent)") as? [String] ?? []
            let rows = try root.rows()
            for status in ["ok", "review"] {
                #expect(statuses.contains("\(status): \(rows.count { $0["status"] == status })"), "\(statuses)")
            }
            let versions = try browser.run("return document.querySelectorAll('#models table tr').length") as? Int
            #expect(versions == 2, "a header and the fine-tune's version")
            try Self.save(try browser.screenshot(), "review-status.png", root)
        }

        /// A scripted keyboard run: 1,000 scans confirmed with Enter, 50 keystrokes at a time
        /// (as fast as a person who looks first cannot be), each landing in labels/. The rate is
        /// printed for the README, not asserted.
        @Test func aThousandDecisionsByKeyboard() throws {
            let (root, daemon) = try Self.classifiedRoot("station-rate", digits: 1000, marks: 0)
            defer { stop(daemon, root) }
            let (station, base, token) = try Self.station(root)
            defer { withExtendedLifetime(station) {} }
            let browser = try WebDriver()
            try browser.open(base + "/?token=" + token)
            try browser.wait("the queue loaded", "return document.body.dataset.loaded === 'true'")
            // Sheet by sheet: the first 50 keystrokes decide the queue's first 50 scans.
            let ranked = try ControlClient(socket: root.layout.socket).reviewQueue(limit: 200)
            #expect(try Self.tiles(browser).claims == Self.pageOrder(ranked))
            let start = Date()
            var sent = 0
            while sent < 1000 {
                // The next keystrokes only once there are tiles for them.
                try browser.wait("open tiles", "return document.querySelectorAll('.tile:not(.decided)').length >= 50 || \(1000 - sent) < 50")
                let keys = min(50, 1000 - sent)
                try browser.press(Array(repeating: WebDriver.Key.enter, count: keys))
                sent += keys
            }
            try Self.waitAcknowledged(browser, 1000, timeout: 300)
            let seconds = Date().timeIntervalSince(start)
            let firstSheet = Set(try browser.run("return state.undo.slice(0, 50).map(e => e.item.claim)") as? [String] ?? [])
            #expect(firstSheet == Set(ranked.prefix(50).map(\.claim)), "the first 50 decisions were the queue's first 50")
            #expect(try browser.run("return Number(document.body.dataset.failed || 0)") as? Int == 0)
            let records = try FileManager.default.contentsOfDirectory(atPath: root.layout.labels + "/.records").filter { $0.hasSuffix(".json") }
            #expect(records.count == 1000, "every confirmation is a label of its own image")
            #expect(try ControlClient(socket: root.layout.socket).reviewQueue(limit: 10).isEmpty)
            print(String(format: "review station: 1000 keyboard decisions in %.1f s = %.0f decisions/min", seconds, 60_000 / seconds))
        }
    }
}
