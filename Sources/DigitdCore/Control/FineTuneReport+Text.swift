import Foundation

extension FineTuneReport {
    /// What the run learns from and from which model: `finetune-now`'s first line.
    public func headline(_ parent: String) -> String {
        "fine-tune #\(run): \(corrections) corrections (\(newCorrections) new), "
            + "replay from \(replayPool ?? 0) images, judged on \(general ?? "-"); training from \(parent)"
    }

    /// How the run ended and on what figures: `finetune-now`'s last lines.
    public var verdict: String {
        var lines: [String] = []
        let ending = state == .failed ? "failed" : "\(state.rawValue) \(version ?? "")"
        lines.append("fine-tune #\(run): \(ending)" + (reason.map { ": \($0)" } ?? ""))
        if let before, let after {
            var heldOutLine = String(format: "  held-out corrections (%d): %.1f%% -> %.1f%% right", heldOut, 100 * before.heldOut, 100 * after.heldOut)
            if let lossBefore = before.heldOutLoss, let lossAfter = after.heldOutLoss {
                heldOutLine += String(format: ", log-loss %.3f -> %.3f", lossBefore, lossAfter)
            }
            lines.append(heldOutLine)
            lines.append(String(format: "  %@: %.2f%% -> %.2f%%", general ?? "general", 100 * before.general, 100 * after.general)
                + (base.map { String(format: " (base model: %.2f%%)", 100 * $0.general) } ?? ""))
            lines.append(String(format: "  trained on %d corrections + %d replay in %.1f s", trained, replay, seconds ?? 0))
            if let interpolation, let refusedSteps, !refusedSteps.isEmpty {
                lines.append(String(format: "  kept %.2f of the trained change; refused at ", interpolation) + refusedSteps.joined(separator: "; at "))
            }
        }
        for problem in problems { lines.append("  skipped \(problem)") }
        return lines.joined(separator: "\n")
    }
}
