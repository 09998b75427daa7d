import Foundation

/// A command the test harness runs to set the world up (mount, umount), its output dropped.
enum QuietCommand {
    /// True when `executable` ran and exited 0. posix_spawn and waitpid, not Foundation's
    /// Process: its wait never returns for a command that leaves a daemon behind (bindfs).
    static func succeeds(_ executable: String, _ arguments: String...) -> Bool {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd in Int32(0)...2 { posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0) }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for arg in argv { free(arg) } }
        var child: pid_t = 0
        guard posix_spawn(&child, executable, &actions, nil, argv, environ) == 0 else { return false }
        var status: Int32 = 0
        var reaped = waitpid(child, &status, 0)
        while reaped < 0 && errno == EINTR { reaped = waitpid(child, &status, 0) }
        return reaped == child && DaemonProcess.exitCode(status) == 0
    }
}
