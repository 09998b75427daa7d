#define _GNU_SOURCE
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/socket.h>

#include "daemon_support.h"

_Static_assert(sizeof(struct dgt_ucred) == sizeof(struct ucred)
               && offsetof(struct dgt_ucred, pid) == offsetof(struct ucred, pid)
               && offsetof(struct dgt_ucred, uid) == offsetof(struct ucred, uid)
               && offsetof(struct dgt_ucred, gid) == offsetof(struct ucred, gid),
               "struct dgt_ucred must have struct ucred's layout");

int dgt_rename_noreplace(const char *from, const char *to) {
    return renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE);
}
