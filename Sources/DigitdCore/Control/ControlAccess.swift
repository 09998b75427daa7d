import Foundation

/// Who may do what on the control socket (DESIGN §8). Reading (status, models,
/// metrics, the fine-tune report) is for whoever can connect: the socket's mode
/// 0660 admits its owner and group (the service group). Changes (relabel,
/// fine-tune, rollback) need root, the user digitd runs as, or a member of
/// `control.admin_group`.
struct ControlAccess: Sendable {
    /// The daemon's own effective uid (the service user under systemd).
    let serviceUID: uid_t
    let adminGroup: String?

    init(serviceUID: uid_t = geteuid(), adminGroup: String?) {
        self.serviceUID = serviceUID
        self.adminGroup = adminGroup
    }

    /// Nil when `caller` may `action`; else why not, naming the user and what is
    /// needed. Looks users and groups up: call it off the cooperative pool.
    func refusal(_ caller: ControlCaller, _ action: String) -> String? {
        if caller.uid == 0 || caller.uid == serviceUID { return nil }
        let service = ControlCaller.userName(serviceUID) ?? "uid \(serviceUID)"
        guard let adminGroup else {
            return "\(caller) may not \(action): changes need root or \(service) (digitd's control.admin_group is not set)"
        }
        guard let gid = ControlCaller.groupID(adminGroup) else {
            return "\(caller) may not \(action): changes need root, \(service) or group \(adminGroup), which does not exist"
        }
        if caller.isMember(of: gid) { return nil }
        return "\(caller) may not \(action): changes need root, \(service) or a member of group \(adminGroup)"
    }
}
