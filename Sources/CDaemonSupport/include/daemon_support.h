// What Swift's Glibc module does not expose.
#ifndef DIGITD_DAEMON_SUPPORT_H
#define DIGITD_DAEMON_SUPPORT_H

// rename(2) that fails with EEXIST instead of replacing an existing target
// (renameat2 RENAME_NOREPLACE): a finished scan never overwrites another.
int dgt_rename_noreplace(const char *from, const char *to);

#endif
