import Imaging
import NeuralNetwork
import TestSupport

/// Draws test shapes: thick anti-aliased segments and rectangles on paper.
struct Sketch {
    var image: GrayImage

    init(width: Int, height: Int, paper: UInt8) {
        image = GrayImage(width: width, height: height, fill: paper)
    }

    /// A pen stroke from a to b, `width` px wide, in `ink`, anti-aliased over a pixel.
    mutating func stroke(_ a: (Double, Double), _ b: (Double, Double), width: Double, ink: UInt8) {
        for y in 0..<image.height {
            for x in 0..<image.width {
                let px = Double(x) + 0.5, py = Double(y) + 0.5
                let dx = b.0 - a.0, dy = b.1 - a.1
                let t = max(0, min(1, ((px - a.0) * dx + (py - a.1) * dy) / max(dx * dx + dy * dy, 1e-9)))
                let distance = ((px - a.0 - t * dx) * (px - a.0 - t * dx) + (py - a.1 - t * dy) * (py - a.1 - t * dy)).squareRoot()
                let cover = max(0, min(1, width / 2 + 0.5 - distance))
                let old = Double(image[x, y])
                image[x, y] = UInt8((old + (Double(ink) - old) * cover).rounded())
            }
        }
    }

    mutating func rectangle(x: Int, y: Int, width: Int, height: Int, ink: UInt8) {
        for yy in y..<(y + height) { for xx in x..<(x + width) { image[xx, yy] = ink } }
    }

    mutating func addNoise(_ sigma: Double, seed: UInt64) {
        var rng = SeededRandom(seed: seed)
        for i in image.pixels.indices {
            image.pixels[i] = UInt8(min(max((Double(image.pixels[i]) + sigma * Double(rng.normal())).rounded(), 0), 255))
        }
    }

    /// A "7": a bar and a slanted down-stroke.
    static func seven(width: Int, height: Int, at origin: (Double, Double), size: Double,
                      paper: UInt8 = 245, ink: UInt8 = 20, pen: Double = 6) -> Sketch {
        var sketch = Sketch(width: width, height: height, paper: paper)
        let (ox, oy) = origin
        sketch.stroke((ox, oy), (ox + 0.6 * size, oy), width: pen, ink: ink)
        sketch.stroke((ox + 0.6 * size, oy), (ox + 0.2 * size, oy + size), width: pen, ink: ink)
        return sketch
    }
}
