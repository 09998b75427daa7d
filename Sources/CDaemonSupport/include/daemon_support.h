// What Swift's Glibc module does not expose.
#ifndef DIGITD_DAEMON_SUPPORT_H
#define DIGITD_DAEMON_SUPPORT_H

#include <stdint.h>

// rename(2) that fails with EEXIST instead of replacing an existing target
// (renameat2 RENAME_NOREPLACE): a finished scan never overwrites another.
int dgt_rename_noreplace(const char *from, const char *to);

// struct ucred, the value of getsockopt(SO_PEERCRED): Glibc declares it only
// under _GNU_SOURCE, which Swift's Glibc module is built without. Same layout
// (checked in daemon_support.c).
struct dgt_ucred {
    int32_t pid;
    uint32_t uid;
    uint32_t gid;
};

#endif
