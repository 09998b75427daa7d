extension GrayImage {
    /// The box (x, y, w, h) of this image resampled to `width` x `height` by area averaging
    /// (as a scanner of that resolution would see it; a thumbnail).
    public func resampled(_ box: (x: Int, y: Int, width: Int, height: Int), toWidth outWidth: Int, height outHeight: Int) -> GrayImage {
        var out = GrayImage(width: outWidth, height: outHeight, fill: 0)
        let sx = Double(box.width) / Double(outWidth), sy = Double(box.height) / Double(outHeight)
        for oy in 0..<outHeight {
            for ox in 0..<outWidth {
                // The output pixel covers [x0, x1) x [y0, y1) of the source; each source pixel
                // counts by the area it shares with it.
                let x0 = Double(box.x) + Double(ox) * sx, x1 = x0 + sx
                let y0 = Double(box.y) + Double(oy) * sy, y1 = y0 + sy
                var sum = 0.0
                for y in Int(y0.rounded(.down))..<Int(y1.rounded(.up)) {
                    let wy = min(Double(y + 1), y1) - max(Double(y), y0)
                    for x in Int(x0.rounded(.down))..<Int(x1.rounded(.up)) {
                        sum += wy * (min(Double(x + 1), x1) - max(Double(x), x0)) * Double(x < width && y < height ? self[x, y] : 0)
                    }
                }
                out[ox, oy] = UInt8(min(255, (sum / (sx * sy)).rounded()))
            }
        }
        return out
    }

    /// The whole image resampled to `width` x `height` by area averaging.
    public func resampled(toWidth width: Int, height: Int) -> GrayImage {
        resampled((0, 0, self.width, self.height), toWidth: width, height: height)
    }
}
