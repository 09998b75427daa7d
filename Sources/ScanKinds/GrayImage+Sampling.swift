import Foundation
import Imaging

/// The few image operations that turn an MNIST digit into another kind of scan. Images here
/// follow MNIST's convention (255 = ink, 0 = background) until ScanRendering puts them on paper.
extension GrayImage {
    /// The image sampled at (x, y) in pixel coordinates (pixel centers on whole
    /// numbers), bilinearly, 0 outside it.
    public func bilinear(_ x: Double, _ y: Double) -> Double {
        let x0 = Int(x.rounded(.down)), y0 = Int(y.rounded(.down))
        let fx = x - Double(x0), fy = y - Double(y0)
        let top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx
        let bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx
        return top * (1 - fy) + bottom * fy
    }

    /// The pixel nearest to (x, y), 0 outside the image.
    public func nearest(_ x: Double, _ y: Double) -> Double {
        at(Int(x.rounded()), Int(y.rounded()))
    }

    private func at(_ x: Int, _ y: Int) -> Double {
        guard x >= 0, y >= 0, x < width, y < height else { return 0 }
        return Double(self[x, y])
    }

    /// The smallest box holding every pixel of at least `level`; nil for an empty image.
    func inkBox(level: UInt8 = 32) -> (x: Int, y: Int, width: Int, height: Int)? {
        var minX = width, minY = height, maxX = -1, maxY = -1
        for y in 0..<height {
            for x in 0..<width where self[x, y] >= level {
                minX = min(minX, x); maxX = max(maxX, x)
                minY = min(minY, y); maxY = max(maxY, y)
            }
        }
        return maxX < 0 ? nil : (minX, minY, maxX - minX + 1, maxY - minY + 1)
    }

    /// 255 where the image is at least `level`, else 0: a 1-bit scan.
    func thresholded(at level: UInt8 = 128) -> GrayImage {
        GrayImage(width: width, height: height, pixels: pixels.map { $0 >= level ? 255 : 0 })
    }

    /// Each pixel replaced by the largest (thicker ink) or smallest (thinner ink) value
    /// within `radius` (a disc).
    func morphed(radius: Int, thicker: Bool) -> GrayImage {
        var out = self
        for y in 0..<height {
            for x in 0..<width {
                var value: UInt8 = thicker ? 0 : 255
                for dy in -radius...radius {
                    for dx in -radius...radius where dx * dx + dy * dy <= radius * radius {
                        let v = UInt8(at(x + dx, y + dy))
                        value = thicker ? max(value, v) : min(value, v)
                    }
                }
                out[x, y] = value
            }
        }
        return out
    }

    /// Gaussian blur of standard deviation `sigma` pixels (separable, 3 sigma each side).
    func blurred(sigma: Double) -> GrayImage {
        let reach = Int((3 * sigma).rounded(.up))
        let weights = (-reach...reach).map { exp(-Double($0 * $0) / (2 * sigma * sigma)) }
        let total = weights.reduce(0, +)
        func pass(_ image: GrayImage, horizontal: Bool) -> GrayImage {
            var out = image
            for y in 0..<height {
                for x in 0..<width {
                    var sum = 0.0
                    for (i, w) in weights.enumerated() {
                        let d = i - reach
                        sum += w * (horizontal ? image.at(x + d, y) : image.at(x, y + d))
                    }
                    out[x, y] = UInt8(min(255, (sum / total).rounded()))
                }
            }
            return out
        }
        return pass(pass(self, horizontal: true), horizontal: false)
    }

    /// The image `factor` times larger, sampled bilinearly.
    func enlarged(_ factor: Int) -> GrayImage {
        var out = GrayImage(width: width * factor, height: height * factor, fill: 0)
        for y in 0..<out.height {
            for x in 0..<out.width {
                let value = bilinear((Double(x) + 0.5) / Double(factor) - 0.5, (Double(y) + 0.5) / Double(factor) - 0.5)
                out[x, y] = UInt8(min(255, value.rounded()))
            }
        }
        return out
    }

    /// The box scaled so its longer side fills `side`, centered in `side` x `side`, aspect kept.
    func fitted(_ box: (x: Int, y: Int, width: Int, height: Int), side: Int) -> GrayImage {
        let scale = Double(side) / Double(max(box.width, box.height))
        let width = max(1, Int((Double(box.width) * scale).rounded())), height = max(1, Int((Double(box.height) * scale).rounded()))
        let inner = resampled(box, toWidth: width, height: height)
        var out = GrayImage(width: side, height: side, fill: 0)
        let (left, top) = ((side - width) / 2, (side - height) / 2)
        for y in 0..<height { for x in 0..<width { out[left + x, top + y] = inner[x, y] } }
        return out
    }
}
