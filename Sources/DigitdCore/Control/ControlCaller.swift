import Foundation

/// Who asks something of digitd: the uid and gid the kernel recorded for the
/// process on the other end of the control socket (SO_PEERCRED), or digitctl's
/// own when it works on the folders with no daemon running. Never what a client
/// says of itself ($USER).
struct ControlCaller: Sendable, Equatable, CustomStringConvertible {
    let uid: uid_t
    let gid: gid_t
    /// The uid's name in the user database; nil when it has none.
    let user: String?

    /// Looks the user up (the user database may be LDAP or sssd: call it off
    /// Swift's cooperative pool, see BlockingWork).
    init(uid: uid_t, gid: gid_t) {
        self.uid = uid
        self.gid = gid
        user = Self.userName(uid)
    }

    /// The process itself (OfflineControl).
    static func current() -> ControlCaller { ControlCaller(uid: getuid(), gid: getgid()) }

    /// What a correction record's `by` says.
    var name: String { user ?? "uid \(uid)" }

    var description: String { user.map { "\($0) (uid \(uid))" } ?? "uid \(uid)" }

    /// Whether the user is in group `gid`: as its primary group (the kernel's
    /// or the database's) or as a member listed in the group database.
    func isMember(of gid: gid_t) -> Bool {
        if self.gid == gid { return true }
        guard let user else { return false }
        var count: Int32 = 64
        while true {
            var groups = [gid_t](repeating: 0, count: Int(count))
            let listed = count
            if getgrouplist(user, self.gid, &groups, &count) >= 0 {
                return groups.prefix(Int(count)).contains(gid)
            }
            // Too small: count now says how many there are.
            guard count > listed else { return false }
        }
    }

    static func userName(_ uid: uid_t) -> String? {
        withGrowingBuffer { buffer in
            var entry = passwd()
            var found: UnsafeMutablePointer<passwd>?
            let result = getpwuid_r(uid, &entry, buffer.baseAddress!, buffer.count, &found)
            return (result, found.map { String(cString: $0.pointee.pw_name) })
        }
    }

    /// The gid of the group named `name`; nil when there is none.
    static func groupID(_ name: String) -> gid_t? {
        withGrowingBuffer { buffer in
            var entry = group()
            var found: UnsafeMutablePointer<group>?
            let result = getgrnam_r(name, &entry, buffer.baseAddress!, buffer.count, &found)
            return (result, found.map { $0.pointee.gr_gid })
        }
    }

    /// A getpwuid_r / getgrnam_r call, its buffer grown while it says ERANGE.
    private static func withGrowingBuffer<Value>(_ call: (UnsafeMutableBufferPointer<CChar>) -> (Int32, Value?)) -> Value? {
        var size = 1024
        while size <= 1 << 20 {
            let (result, value) = withUnsafeTemporaryAllocation(of: CChar.self, capacity: size, call)
            guard result == ERANGE else { return result == 0 ? value : nil }
            size *= 4
        }
        return nil
    }
}
