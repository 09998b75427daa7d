import Imaging

/// `n mismatches, first at (x, y): got a, want b`, for failure messages.
func mismatches(_ got: GrayImage, _ want: GrayImage) -> String {
    guard got.width == want.width, got.height == want.height else {
        return "size \(got.width)x\(got.height), want \(want.width)x\(want.height)"
    }
    let bad = got.pixels.indices.filter { got.pixels[$0] != want.pixels[$0] }
    guard let first = bad.first else { return "identical" }
    return "\(bad.count) mismatches, first at (\(first % got.width), \(first / got.width)): "
        + "got \(got.pixels[first]), want \(want.pixels[first])"
}
