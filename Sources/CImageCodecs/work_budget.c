// The CPU clock the decode work budget is measured on.
#include "image_codecs.h"

#include <time.h>

int64_t dgt_thread_cpu_ns(void) {
    struct timespec now;
    // Without the clock (it never fails on Linux) the budget cannot be measured
    // and ends nothing.
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now) != 0) return 0;
    return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}
