import Foundation

/// Test builds only: `make test` compiles with -DDIGITD_FAULT_INJECTION, and then
/// a file whose name contains $DIGITD_FAULT_ON makes digitd die the way a real
/// poison pill would ($DIGITD_FAULT: `abort` (SIGABRT, the default), `trap`
/// (SIGILL/SIGTRAP, a Swift runtime trap) or `hang` (never returns: the
/// watchdog's case)); $DIGITD_FAULT_NO_RENAME_NOREPLACE makes renameat2(RENAME_NOREPLACE)
/// fail with EINVAL, as on NFS and CIFS, so moves take the link-then-unlink way
/// (NoReplaceRename). Release builds (`make build`, `make install`) compile
/// none of this: no configuration can turn it on.
enum FaultInjection {
    #if DIGITD_FAULT_INJECTION
    static let isCompiledIn = true
    private static let trigger = ProcessInfo.processInfo.environment["DIGITD_FAULT_ON"].flatMap { $0.isEmpty ? nil : $0 }
    private static let kind = ProcessInfo.processInfo.environment["DIGITD_FAULT"] ?? "abort"
    static let renameNoReplaceUnsupported = !(ProcessInfo.processInfo.environment["DIGITD_FAULT_NO_RENAME_NOREPLACE"] ?? "").isEmpty

    static func beforeDecoding(_ path: ContiguousArray<CChar>) {
        guard let trigger, path.withUnsafeBufferPointer({ String(cString: $0.baseAddress!) }).split(separator: "/").last?.contains(trigger) == true
        else { return }
        switch kind {
        case "trap": fatalError("fault injection: trap on \(trigger)")
        case "hang": while true { sleep(3600) }
        default: abort()
        }
    }
    #else
    static let isCompiledIn = false
    static let renameNoReplaceUnsupported = false

    @inline(__always) static func beforeDecoding(_ path: ContiguousArray<CChar>) {}
    #endif
}
