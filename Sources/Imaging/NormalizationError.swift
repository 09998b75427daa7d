/// Why a decoded image could not be normalized. `description` is the one-line
/// reason written into the scan's result row.
public enum NormalizationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The normalizer's own settings cannot make a 28x28 image.
    case invalidSettings(String)
    /// The scaled ink does not fit the canvas. `fit` makes this impossible; if it
    /// ever happens, the scan fails instead of the process.
    case inkLargerThanCanvas(width: Int, height: Int)
    /// Normalizing used up what was left of the scan's work budget (seconds).
    case overBudget(seconds: Double)

    public var description: String {
        switch self {
        case .invalidSettings(let reason):
            return "cannot normalize: \(reason)"
        case .inkLargerThanCanvas(let width, let height):
            let side = NormalizedScan.side
            return "cannot normalize: the scaled ink is \(width)x\(height), larger than the \(side)x\(side) canvas"
        case .overBudget(let seconds):
            return "normalizing took over the decode work budget (\(seconds) s of CPU)"
        }
    }
}
