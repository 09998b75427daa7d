import Foundation

/// A value shared between threads, behind a lock.
public final class Box<T>: @unchecked Sendable {
    private var stored: T
    private let lock = NSLock()

    public init(_ value: T) { stored = value }

    public var value: T {
        get { lock.lock(); defer { lock.unlock() }; return stored }
        set { lock.lock(); stored = newValue; lock.unlock() }
    }
}
