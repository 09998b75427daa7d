import DigitdCore
import Foundation

/// The status page: scans by status and over time, what waits for a person, the model
/// versions with their gate figures, and the corrections' confusion matrix. Charts are SVG
/// drawn here, on the server: the page loads nothing else.
struct StatusPage {
    let summary: ReviewSummary
    let status: DaemonStatus?
    let models: ModelRegistry.Contents?

    var html: String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>digitd status</title>
        <style>\(Self.style)</style></head>
        <body>
        <header><h1>digitd status</h1><nav><a id="queue-link" href="/">Review queue</a></nav></header>
        <script>
        // Links keep the token the page was opened with.
        const token = new URLSearchParams(location.search).get('token') || sessionStorage.getItem('digitd-token') || '';
        document.getElementById('queue-link').href = '/?token=' + encodeURIComponent(token);
        </script>
        <main>
        <section id="overview"><h2>Now</h2>\(overview)</section>
        <section id="statuses"><h2>Scans by status</h2>\(statusBars)</section>
        <section id="throughput"><h2>Scans classified per \(Self.duration(summary.bucketSeconds))</h2>\(throughputChart)</section>
        <section id="models"><h2>Model versions and their gate figures</h2>\(modelChart)\(modelTable)</section>
        <section id="confusion"><h2>Corrections: what digitd said and what people said</h2>\(confusionMatrix)</section>
        </main></body></html>
        """
    }

    private static let style = """
        body { font: 14px system-ui, sans-serif; margin: 0; background: #f6f6f4; color: #222; }
        header { display: flex; gap: 2em; align-items: baseline; padding: 0.6em 1.2em; background: #263238; color: #fff; }
        header h1 { font-size: 1.2em; margin: 0; } header a { color: #b3e5fc; }
        main { display: grid; grid-template-columns: repeat(auto-fit, minmax(440px, 1fr)); gap: 1em; padding: 1em; }
        section { background: #fff; border-radius: 6px; padding: 0.8em 1em; box-shadow: 0 1px 2px #0002; }
        h2 { font-size: 1em; margin: 0 0 0.6em; }
        table { border-collapse: collapse; font-size: 0.9em; margin-top: 0.6em; }
        td, th { padding: 2px 8px; text-align: right; border-bottom: 1px solid #eee; } th { text-align: left; }
        dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2em 1em; margin: 0; } dt { color: #666; }
        svg text { font: 11px system-ui, sans-serif; fill: #333; }
        .none { color: #888; }
        """

    private var overview: String {
        var rows: [(String, String)] = [("waiting for review", "\(summary.waiting) images"), ("decided", "\(summary.decided) corrections")]
        if let status {
            rows += [("ready", status.ready ? "yes" : "no"), ("inbox queue", "\(status.queueDepth) files"),
                     ("throughput now", String(format: "%.1f files/s", status.imagesPerSecond)), ("model", status.model)]
            if let degraded = status.degraded { rows.append(("degraded", degraded)) }
            if let report = status.fineTune { rows.append(("last fine-tune", report.verdict.split(separator: "\n").first.map(String.init) ?? "")) }
        } else {
            rows.append(("daemon", "not running: figures from the folders"))
        }
        return "<dl>" + rows.map { "<dt>\(Self.escape($0.0))</dt><dd>\(Self.escape($0.1))</dd>" }.joined() + "</dl>"
    }

    private static let statusColors = ["ok": "#43a047", "review": "#fb8c00", "blank": "#90a4ae", "error": "#e53935"]

    private var statusBars: String {
        let statuses = ["ok", "review", "blank", "error"]
        let most = max(1, statuses.map { summary.counts[$0] ?? 0 }.max() ?? 1)
        var svg = "<svg role=\"img\" aria-label=\"scans by status\" width=\"420\" height=\"\(statuses.count * 26 + 4)\">"
        for (i, status) in statuses.enumerated() {
            let count = summary.counts[status] ?? 0, y = i * 26 + 2
            let width = Int(Double(count) / Double(most) * 300)
            svg += "<text x=\"0\" y=\"\(y + 15)\">\(status)</text>"
            svg += "<rect x=\"60\" y=\"\(y)\" width=\"\(max(width, 1))\" height=\"20\" fill=\"\(Self.statusColors[status]!)\"><title>\(status): \(count)</title></rect>"
            svg += "<text x=\"\(66 + width)\" y=\"\(y + 15)\">\(count)</text>"
        }
        return svg + "</svg>"
    }

    private var throughputChart: String {
        let buckets = summary.throughput
        guard !buckets.isEmpty else { return "<p class=\"none\">No scans yet.</p>" }
        let (width, height, left, bottom) = (420.0, 160.0, 40.0, 20.0)
        let most = max(1, buckets.map(\.scans).max() ?? 1)
        let bar = min(24, (width - left) / Double(buckets.count))
        var svg = "<svg role=\"img\" aria-label=\"scans over time\" width=\"\(Int(width))\" height=\"\(Int(height))\">"
        svg += "<text x=\"0\" y=\"12\">\(most)</text><text x=\"0\" y=\"\(Int(height - bottom))\">0</text>"
        svg += "<line x1=\"\(left)\" y1=\"\(height - bottom)\" x2=\"\(width)\" y2=\"\(height - bottom)\" stroke=\"#999\"/>"
        for (i, bucket) in buckets.enumerated() {
            let h = Double(bucket.scans) / Double(most) * (height - bottom - 8)
            svg += String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#1e88e5\"><title>%@: %d</title></rect>",
                          left + Double(i) * bar + 0.5, height - bottom - h, max(bar - 1, 1), h, Self.time(bucket.start), bucket.scans)
        }
        svg += "<text x=\"\(left)\" y=\"\(Int(height - 4))\">\(Self.time(buckets.first!.start))</text>"
        if buckets.count > 1 {
            svg += "<text x=\"\(width)\" y=\"\(Int(height - 4))\" text-anchor=\"end\">\(Self.time(buckets.last!.start))</text>"
        }
        return svg + "</svg>"
    }

    private var versions: [ModelVersion] { models?.versions.sorted { $0.createdAt < $1.createdAt } ?? [] }

    /// Held-out and general accuracy after each version's fine-tune, in the order they were made.
    private var modelChart: String {
        let versions = self.versions
        guard !versions.isEmpty else { return "<p class=\"none\">No fine-tunes yet: the base model serves.</p>" }
        let (width, height, left) = (420.0, 150.0, 40.0)
        let step = versions.count > 1 ? (width - left - 20) / Double(versions.count - 1) : 0
        func y(_ accuracy: Double) -> Double { 10 + (1 - accuracy) * (height - 40) }
        var svg = "<svg role=\"img\" aria-label=\"gate figures by version\" width=\"\(Int(width))\" height=\"\(Int(height))\">"
        svg += "<text x=\"0\" y=\"14\">100%</text><text x=\"0\" y=\"\(Int(y(0)))\">0%</text>"
        for (series, color, value) in [("held-out corrections", "#8e24aa", { (v: ModelVersion) in v.after.heldOut }),
                                       ("general set", "#00897b", { (v: ModelVersion) in v.after.general })] {
            let points = versions.enumerated().map { String(format: "%.1f,%.1f", left + 10 + Double($0.offset) * step, y(value($0.element))) }
            svg += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(points.joined(separator: " "))\"><title>\(series)</title></polyline>"
            for (i, version) in versions.enumerated() {
                let fill = version.state == .promoted ? color : "#fff"
                svg += String(format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%@\" stroke=\"%@\"><title>%@ %@ (%@): %.2f%%</title></circle>",
                              left + 10 + Double(i) * step, y(value(version)), fill, color, version.version, series, version.state.rawValue, 100 * value(version))
            }
        }
        svg += "<text x=\"\(left)\" y=\"\(Int(height - 6))\" style=\"fill:#8e24aa\">● held-out corrections</text>"
        svg += "<text x=\"\(left + 150)\" y=\"\(Int(height - 6))\" style=\"fill:#00897b\">● general set</text>"
        svg += "<text x=\"\(left + 250)\" y=\"\(Int(height - 6))\">(hollow: rejected)</text>"
        return svg + "</svg>"
    }

    private var modelTable: String {
        let versions = self.versions
        guard !versions.isEmpty else { return "" }
        var table = "<table><tr><th>version</th><th>state</th><th>made</th><th>held-out</th><th>general</th><th>why</th></tr>"
        for version in versions.reversed() {
            let current = version.version == models?.current ? " (serving)" : ""
            table += "<tr><th>\(Self.escape(version.version + current))</th><td>\(version.state.rawValue)</td><td>\(Self.time(version.createdAt))</td>"
            table += String(format: "<td>%.1f%% → %.1f%%</td><td>%.2f%% → %.2f%%</td>", 100 * version.before.heldOut, 100 * version.after.heldOut,
                            100 * version.before.general, 100 * version.after.general)
            table += "<td style=\"text-align:left\">\(Self.escape(version.reason ?? ""))</td></tr>"
        }
        return table + "</table>"
    }

    private var confusionMatrix: String {
        let matrix = summary.corrections
        let most = max(1, matrix.flatMap { $0 }.max() ?? 1)
        let cell = 30, left = 60, top = 40, columns = matrix.first?.count ?? 10
        var svg = "<svg role=\"img\" aria-label=\"corrections confusion matrix\" width=\"\(left + columns * cell + 10)\" height=\"\(top + 10 * cell + 10)\">"
        svg += "<text x=\"\(left)\" y=\"12\">people said → (✗: not a digit)</text><text x=\"12\" y=\"\(top + 5 * cell)\" transform=\"rotate(-90 12 \(top + 5 * cell))\" text-anchor=\"middle\">digitd said</text>"
        for d in 0..<columns {
            svg += "<text x=\"\(left + d * cell + cell / 2)\" y=\"\(top - 6)\" text-anchor=\"middle\">\(d < 10 ? "\(d)" : "✗")</text>"
            if d < 10 { svg += "<text x=\"\(left - 8)\" y=\"\(top + d * cell + cell / 2 + 4)\" text-anchor=\"end\">\(d)</text>" }
        }
        for said in 0..<10 {
            for labelled in 0..<columns {
                let n = matrix[said][labelled]
                let shade = n == 0 ? 0 : 0.15 + 0.85 * Double(n) / Double(most)
                let fill = said == labelled ? "rgba(67,160,71,\(shade))" : "rgba(229,57,53,\(shade))"
                let (x, y) = (left + labelled * cell, top + said * cell)
                svg += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(cell - 1)\" height=\"\(cell - 1)\" fill=\"\(n == 0 ? "#f2f2f2" : fill)\"><title>said \(said), people said \(labelled < 10 ? "\(labelled)" : "not a digit"): \(n)</title></rect>"
                if n > 0 { svg += "<text x=\"\(x + cell / 2)\" y=\"\(y + cell / 2 + 4)\" text-anchor=\"middle\">\(n)</text>" }
            }
        }
        return svg + "</svg>" + (summary.decided == 0 ? "<p class=\"none\">No corrections yet.</p>" : "")
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    private static func time(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(dateTimeSeparator: .space, timeZone: .gmt).month().day().time(includingFractionalSeconds: false)) + " UTC"
    }

    private static func duration(_ seconds: Int) -> String {
        seconds % 86_400 == 0 ? "\(seconds / 86_400) day" : seconds % 3600 == 0 ? "\(seconds / 3600) h" : "\(seconds / 60) min"
    }
}
