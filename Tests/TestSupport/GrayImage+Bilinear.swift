import Imaging

extension GrayImage {
    /// The image sampled at (x, y) in pixel coordinates (pixel centers on whole
    /// numbers), bilinearly, 0 outside it.
    public func bilinear(_ x: Double, _ y: Double) -> Double {
        func at(_ x: Int, _ y: Int) -> Double {
            guard x >= 0, y >= 0, x < width, y < height else { return 0 }
            return Double(self[x, y])
        }
        let x0 = Int(x.rounded(.down)), y0 = Int(y.rounded(.down))
        let fx = x - Double(x0), fy = y - Double(y0)
        let top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx
        let bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx
        return top * (1 - fy) + bottom * fy
    }
}
