/// A fixed-size, 64-byte aligned float array for activations and gradients: the hot loops
/// work on raw pointers, and the alignment suits AVX-512 loads.
final class FloatBuffer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int

    init(count: Int) {
        self.count = count
        pointer = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * 4, alignment: 64)
            .bindMemory(to: Float.self, capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: count)
    }

    deinit { pointer.deallocate() }

    func zero() { pointer.update(repeating: 0, count: count) }
}

/// The argmax (0..3) of each 2x2 pooling window, kept for the backward pass.
final class ByteBuffer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<UInt8>

    init(count: Int) {
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    deinit { pointer.deallocate() }
}
