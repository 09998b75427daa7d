import Imaging

/// Mean absolute difference between a normalized scan and an MNIST digit, in [0, 1].
func meanAbsoluteDifference(_ scan: NormalizedScan, _ digit: GrayImage) -> Double {
    zip(scan.pixels, digit.pixels).reduce(0.0) { $0 + abs(Double($1.0) - Double($1.1) / 255) } / Double(digit.pixels.count)
}
