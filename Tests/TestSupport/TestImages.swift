import Imaging
import NeuralNetwork

/// Pages for the daemon tests: a stroke of ink on white paper, or no ink at all
/// (written as files by Fixtures.png and Fixtures.jpeg).
public enum TestImages {
    /// A white page with a dark stroke somewhere on it: a "digit" with ink.
    public static func page(width: Int = 40, height: Int = 40, seed: UInt64) -> GrayImage {
        var rng = SeededRandom(seed: seed)
        var pixels = [UInt8](repeating: 250, count: width * height)
        let x0 = Int.random(in: width / 5...(width / 2), using: &rng)
        let x1 = Int.random(in: (width / 2)...(width * 4 / 5), using: &rng)
        let y0 = height / 6, y1 = height * 5 / 6
        for y in y0..<y1 {
            let t = Double(y - y0) / Double(y1 - y0)
            let cx = Int(Double(x0) + t * Double(x1 - x0))
            for x in max(0, cx - 2)...min(width - 1, cx + 2) { pixels[y * width + x] = 20 }
        }
        return GrayImage(width: width, height: height, pixels: pixels)
    }

    /// A page without ink: the daemon's `blank`.
    public static func blankPage(width: Int = 40, height: Int = 40) -> GrayImage {
        GrayImage(width: width, height: height, fill: 250)
    }
}
