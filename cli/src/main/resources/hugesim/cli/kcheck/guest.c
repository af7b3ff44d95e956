/*
 * hugesim kernel-check guest: runs as /init in a QEMU guest and replays a scenario's trace on the real
 * kernel. The init is the coordinator: it reads /trace, forks one process per scenario process, sends
 * each operation to its process over that process's pipe and waits for the reply before the next one,
 * so the processes step in lockstep in the order the model ran them. The coordinator itself reads and
 * writes /proc, /sys and cgroup files. Readings go to /dev/ttyS1 as JSON lines; the kernel's console
 * stays on ttyS0.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef MREMAP_FIXED
#define MREMAP_FIXED 2
#endif
#define MAX_SLOTS 64
#define MAX_FDS 64
#define LINE 4096

static FILE *out;
static int cmd_pipe[MAX_SLOTS][2];
static int res_pipe[2];
static pid_t gpid[MAX_SLOTS];
static int alive[MAX_SLOTS];
static char counters_meminfo[LINE], counters_vmstat[LINE];

static void emit(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vfprintf(out, fmt, ap);
    va_end(ap);
    fputc('\n', out);
    fflush(out);
}

static void power_off(void) {
    fflush(out);
    sync();
    reboot(RB_POWER_OFF);
    for (;;) pause();
}

static void die(const char *what) {
    emit("{\"t\":\"error\",\"what\":\"%s: %s\"}", what, strerror(errno));
    power_off();
}

static int read_file(const char *path, char *buf, size_t size) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -errno;
    size_t n = 0;
    ssize_t r;
    while (n < size - 1 && (r = read(fd, buf + n, size - 1 - n)) > 0) n += r;
    close(fd);
    buf[n] = 0;
    return (int)n;
}

static int write_file(const char *path, const char *value) {
    int fd = open(path, O_WRONLY);
    if (fd < 0) return -errno;
    ssize_t r = write(fd, value, strlen(value));
    int e = r < 0 ? -errno : 0;
    close(fd);
    return e;
}

/* The value of "name" in a "name value" or "name: value" file (/proc/meminfo, /proc/vmstat). */
static int field(const char *text, const char *name, long long *value) {
    size_t len = strlen(name);
    for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        if (strncmp(p, name, len) == 0 && (p[len] == ':' || p[len] == ' ')) {
            const char *v = p + len + 1;
            while (*v == ' ') v++;
            *value = strtoll(v, NULL, 10);
            return 1;
        }
    }
    return 0;
}

static void json_string(char *dst, size_t size, const char *s) {
    size_t n = 0;
    dst[n++] = '"';
    for (; *s && n < size - 3; s++) {
        if (*s == '"' || *s == '\\') dst[n++] = '\\';
        if (*s == '\n') { dst[n++] = '\\'; dst[n++] = 'n'; continue; }
        if ((unsigned char)*s < 0x20) continue;
        dst[n++] = *s;
    }
    dst[n++] = '"';
    dst[n] = 0;
}

/* ---- the processes ------------------------------------------------------------------------------ */

static int slot_self;
static int fdmap[MAX_FDS];

static void on_signal(int sig) {
    char line[64];
    int n = snprintf(line, sizeof line, "%d sig %d\n", slot_self, sig);
    if (write(res_pipe[1], line, n) < 0) _exit(127);
    _exit(128 + sig);
}

static void reply(const char *fmt, ...) {
    char line[256];
    int n = snprintf(line, sizeof line, "%d ", slot_self);
    va_list ap;
    va_start(ap, fmt);
    n += vsnprintf(line + n, sizeof line - n - 1, fmt, ap);
    va_end(ap);
    line[n++] = '\n';
    if (write(res_pipe[1], line, n) < 0) _exit(127);
}

static long ret(long r) { return r < 0 ? -errno : r; }

static int guest_fd(long model_fd) {
    return model_fd >= 0 && model_fd < MAX_FDS && fdmap[model_fd] >= 0 ? fdmap[model_fd] : 1000 + (int)model_fd;
}

static void touch(unsigned long addr, unsigned long len, int write) {
    unsigned long p = addr & ~4095UL, end = addr + len;
    for (; p < end; p += 4096) {
        volatile char *c = (volatile char *)p;
        if (write) *c = 1; else (void)*c;
    }
}

static void process_loop(int slot) {
    slot_self = slot;
    /* the harness's own pages stay in memory (see main); not inherited across fork, so each process locks its
       own, as they are faulted (no populate: the process uses no more memory than before) */
    if (mlockall(MCL_CURRENT | MCL_ONFAULT) < 0) die("mlockall");
    for (int i = 0; i < MAX_FDS; i++) fdmap[i] = -1;
    signal(SIGBUS, on_signal);
    signal(SIGSEGV, on_signal);
    FILE *in = fdopen(cmd_pipe[slot][0], "r");
    char line[LINE], op[32], name[256];
    while (fgets(line, sizeof line, in)) {
        long long a[8] = {0};
        sscanf(line, "%31s", op);
        char *rest = line + strlen(op);
        if (!strcmp(op, "mmap")) {
            sscanf(rest, "%lli %lli %lli %lli %lli %lli %lli", &a[0], &a[1], &a[2], &a[3], &a[4], &a[5], &a[6]);
            long addr = a[0], flags = a[3];
            /* the model's address: the same VMA layout, so THP windows line up as in the model */
            if (!(flags & MAP_FIXED) && (a[6] < -4095 || a[6] > 0)) { addr = a[6]; flags |= MAP_FIXED_NOREPLACE; }
            int fd = a[4] < 0 ? -1 : guest_fd(a[4]);
            reply("%ld", ret((long)mmap((void *)addr, a[1], a[2], flags, fd, a[5])));
        } else if (!strcmp(op, "munmap")) {
            sscanf(rest, "%lli %lli", &a[0], &a[1]);
            reply("%ld", ret(munmap((void *)a[0], a[1])));
        } else if (!strcmp(op, "mprotect")) {
            sscanf(rest, "%lli %lli %lli", &a[0], &a[1], &a[2]);
            reply("%ld", ret(mprotect((void *)a[0], a[1], a[2])));
        } else if (!strcmp(op, "madvise")) {
            sscanf(rest, "%lli %lli %lli", &a[0], &a[1], &a[2]);
            reply("%ld", ret(madvise((void *)a[0], a[1], a[2])));
        } else if (!strcmp(op, "mlock")) {
            sscanf(rest, "%lli %lli", &a[0], &a[1]);
            reply("%ld", ret(mlock((void *)a[0], a[1])));
        } else if (!strcmp(op, "munlock")) {
            sscanf(rest, "%lli %lli", &a[0], &a[1]);
            reply("%ld", ret(munlock((void *)a[0], a[1])));
        } else if (!strcmp(op, "mremap")) {
            sscanf(rest, "%lli %lli %lli %lli %lli %lli", &a[0], &a[1], &a[2], &a[3], &a[4], &a[5]);
            long flags = a[3], target = a[4];
            /* a move goes where the model moved it */
            if ((flags & MREMAP_MAYMOVE) && !(flags & MREMAP_FIXED) && a[5] > 0 && a[5] != a[0]) { flags |= MREMAP_FIXED; target = a[5]; }
            reply("%ld", ret((long)syscall(SYS_mremap, a[0], a[1], a[2], flags, target)));
        } else if (!strcmp(op, "memfd_create")) {
            sscanf(rest, "%255s %lli %lli", name, &a[0], &a[1]);
            long fd = ret(syscall(SYS_memfd_create, name, (unsigned)a[0]));
            if (fd >= 0 && a[1] >= 0 && a[1] < MAX_FDS) fdmap[a[1]] = (int)fd;
            reply("%ld", fd);
        } else if (!strcmp(op, "shm_open")) {
            /* shm_open(3): a file of the tmpfs at /dev/shm */
            char path[300];
            sscanf(rest, "%255s %lli %lli", name, &a[0], &a[1]);
            snprintf(path, sizeof path, "/dev/shm/%s", name[0] == '/' ? name + 1 : name);
            long fd = ret(open(path, (int)a[0] | O_CLOEXEC, 0600));
            if (fd >= 0 && a[1] >= 0 && a[1] < MAX_FDS) fdmap[a[1]] = (int)fd;
            reply("%ld", fd);
        } else if (!strcmp(op, "remount")) {
            /* mount -o remount,OPTIONS TARGET of a tmpfs */
            char target[256], opts[256];
            sscanf(rest, "%255s %255s", target, opts);
            reply("%ld", ret(mount("tmpfs", target, "tmpfs", MS_REMOUNT, opts)));
        } else if (!strcmp(op, "shm_unlink")) {
            char path[300];
            sscanf(rest, "%255s", name);
            snprintf(path, sizeof path, "/dev/shm/%s", name[0] == '/' ? name + 1 : name);
            reply("%ld", ret(unlink(path)));
        } else if (!strcmp(op, "ftruncate")) {
            sscanf(rest, "%lli %lli", &a[0], &a[1]);
            reply("%ld", ret(ftruncate(guest_fd(a[0]), a[1])));
        } else if (!strcmp(op, "fallocate")) {
            sscanf(rest, "%lli %lli %lli %lli", &a[0], &a[1], &a[2], &a[3]);
            reply("%ld", ret(fallocate(guest_fd(a[0]), a[1], a[2], a[3])));
        } else if (!strcmp(op, "close")) {
            sscanf(rest, "%lli", &a[0]);
            int fd = guest_fd(a[0]);
            long r = ret(close(fd));
            if (r == 0) fdmap[a[0]] = -1;
            reply("%ld", r);
        } else if (!strcmp(op, "prctl")) {
            sscanf(rest, "%lli %lli %lli %lli %lli", &a[0], &a[1], &a[2], &a[3], &a[4]);
            reply("%ld", ret(prctl(a[0], a[1], a[2], a[3], a[4])));
        } else if (!strcmp(op, "touch") || !strcmp(op, "read")) {
            sscanf(rest, "%lli %lli", &a[0], &a[1]);
            touch(a[0], a[1], op[0] == 't');
            reply("0");
        } else if (!strcmp(op, "fork")) {
            sscanf(rest, "%lli", &a[0]);
            pid_t pid = fork();
            if (pid == 0) {
                fclose(in);
                process_loop((int)a[0]);
                _exit(0);
            }
            reply("%ld", ret(pid));
        } else if (!strcmp(op, "exit")) {
            _exit(0);
        } else {
            reply("unknown");
        }
    }
    /* the coordinator closed the pipe: the run is over */
    _exit(0);
}

/* ---- the coordinator ---------------------------------------------------------------------------- */

/* Free pages on the per-CPU lists, in kB: /proc/zoneinfo's pageset "count:" lines. MemFree leaves them out. */
static long long pcp_kb(void) {
    static char text[1 << 17];
    if (read_file("/proc/zoneinfo", text, sizeof text) < 0) return 0;
    long long pages = 0;
    for (char *p = strstr(text, "count:"); p; p = strstr(p + 6, "count:")) pages += strtoll(p + 6, NULL, 10);
    return pages * 4;
}

/* Folds every CPU's counter deltas into the global counters, so that a read sees each page-table page
   (NR_PAGETABLE moves a page at a time, under the per-CPU threshold); vm.stat_refresh. */
static void stat_refresh(void) { write_file("/proc/sys/vm/stat_refresh", "1"); }

static void dump_counters(char *buf, size_t size) {
    static char meminfo[16384], vmstat[32768];
    stat_refresh();
    read_file("/proc/meminfo", meminfo, sizeof meminfo);
    read_file("/proc/vmstat", vmstat, sizeof vmstat);
    size_t n = 0;
    const char *sets[2] = {counters_meminfo, counters_vmstat};
    const char *texts[2] = {meminfo, vmstat};
    const char *keys[2] = {"meminfo", "vmstat"};
    for (int s = 0; s < 2; s++) {
        n += snprintf(buf + n, size - n, ",\"%s\":{", keys[s]);
        char names[LINE];
        strcpy(names, sets[s]);
        int first = 1;
        for (char *tok = strtok(names, " \n"); tok; tok = strtok(NULL, " \n")) {
            long long v;
            if (!field(texts[s], tok, &v)) continue;
            n += snprintf(buf + n, size - n, "%s\"%s\":%lld", first ? "" : ",", tok, v);
            first = 0;
        }
        if (s == 0) n += snprintf(buf + n, size - n, "%s\"PerCpuFree\":%lld", first ? "" : ",", pcp_kb());
        n += snprintf(buf + n, size - n, "}");
    }
}

/* The names in a "name value" file that are not in "known" (the model lacks them). */
static void list_extra(const char *path, const char *known, char *buf, size_t size) {
    static char text[32768];
    read_file(path, text, sizeof text);
    size_t n = 0;
    int first = 1;
    for (char *p = text; *p; ) {
        char *e = strpbrk(p, ": ");
        char *nl = strchr(p, '\n');
        if (!e || !nl) break;
        char name[128];
        size_t len = (size_t)(e - p) < sizeof name - 1 ? (size_t)(e - p) : sizeof name - 1;
        memcpy(name, p, len);
        name[len] = 0;
        char pat[140];
        snprintf(pat, sizeof pat, " %s ", name);
        char k[LINE + 2];
        snprintf(k, sizeof k, " %s ", known);
        if (!strstr(k, pat) && n < size - 140) {
            n += snprintf(buf + n, size - n, "%s\"%s\"", first ? "" : ",", name);
            first = 0;
        }
        p = nl + 1;
    }
    buf[n] = 0;
}

/* /proc/PID/smaps, the mapping that contains addr, as a JSON object. */
static void smaps(pid_t pid, unsigned long addr, char *buf, size_t size) {
    static char text[1 << 20];
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/smaps", pid);
    if (read_file(path, text, sizeof text) < 0) { snprintf(buf, size, "null"); return; }
    int in = 0, first = 1;
    size_t n = 0;
    for (char *p = text; p && *p; ) {
        char *nl = strchr(p, '\n');
        if (nl) *nl = 0;
        unsigned long s, e;
        if (sscanf(p, "%lx-%lx ", &s, &e) == 2 && strchr(p, '-') < strchr(p, ' ')) {
            if (in) break;
            in = addr >= s && addr < e;
            if (in) n += snprintf(buf + n, size - n, "{");
        } else if (in) {
            char key[64], val[256];
            if (!strncmp(p, "VmFlags:", 8)) {
                char *v = p + 8;
                while (*v == ' ') v++;
                char *end = v + strlen(v);
                while (end > v && end[-1] == ' ') *--end = 0;
                json_string(val, sizeof val, v);
                n += snprintf(buf + n, size - n, "%s\"VmFlags\":%s", first ? "" : ",", val);
                first = 0;
            } else if (sscanf(p, "%63[^:]: %255s", key, val) == 2) {
                n += snprintf(buf + n, size - n, "%s\"%s\":%lld", first ? "" : ",", key, strtoll(val, NULL, 10));
                first = 0;
            }
        }
        p = nl ? nl + 1 : NULL;
    }
    if (in) snprintf(buf + n, size - n, "}"); else snprintf(buf, size, "null");
}

/* Waits for slot's reply; a process that died without one (SIGKILL) reads as "killed". */
static void await_reply(int slot, char *result, size_t size) {
    static char pending[LINE * 4];
    static size_t have;
    for (;;) {
        char *nl = memchr(pending, '\n', have);
        if (nl) {
            *nl = 0;
            int s;
            char r[256] = "";
            sscanf(pending, "%d %255[^\n]", &s, r);
            size_t used = nl + 1 - pending;
            memmove(pending, nl + 1, have - used);
            have -= used;
            if (s == slot) {
                snprintf(result, size, "%s", r);
                if (!strncmp(r, "sig ", 4)) alive[slot] = 0;
                return;
            }
            continue;
        }
        struct pollfd p = {res_pipe[0], POLLIN, 0};
        if (poll(&p, 1, 200) > 0) {
            ssize_t r = read(res_pipe[0], pending + have, sizeof pending - have);
            if (r > 0) have += r;
        } else if (gpid[slot] > 0 && kill(gpid[slot], 0) < 0 && errno == ESRCH) {
            alive[slot] = 0;
            snprintf(result, size, "killed");
            return;
        }
    }
}

static void wait_gone(pid_t pid) {
    struct timespec ms = {0, 1000000};
    while (kill(pid, 0) == 0) nanosleep(&ms, NULL);
}

static void path_of(char *dst, size_t size, const char *kind, const char *name) {
    if (!strcmp(kind, "sysctl")) {
        snprintf(dst, size, "/proc/sys/%s", name);
        for (char *c = dst + 10; *c; c++) if (*c == '.') *c = '/';
    } else if (!strcmp(kind, "cgroup")) {
        snprintf(dst, size, "/sys/fs/cgroup/%s", name);
    } else {
        snprintf(dst, size, "/sys/%s", name);
    }
}

static void load_module(const char *file) {
    char path[256];
    snprintf(path, sizeof path, "/modules/%s", file);
    int fd = open(path, O_RDONLY);
    if (fd < 0) die(path);
    if (syscall(SYS_finit_module, fd, "", 0) < 0 && errno != EEXIST) die(path);
    close(fd);
}

int main(void) {
    mount("proc", "/proc", "proc", 0, NULL);
    mount("sysfs", "/sys", "sysfs", 0, NULL);
    mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
    mkdir("/dev/shm", 01777);
    mount("tmpfs", "/dev/shm", "tmpfs", 0, NULL);   /* shm_open()'s files, huge=never as usual */
    out = fopen("/dev/ttyS1", "w");
    if (!out) out = stdout;
    signal(SIGCHLD, SIG_IGN);       /* children are reaped at once: a gone pid means an exited process */
    /* The trace is read from a populated mapping and the coordinator's pages are locked: under a scenario's
       memory pressure the harness's own pages (its stack, data, the trace in tmpfs) would otherwise be swapped
       out and their swap-ins counted (pswpin, pgmajfault, swap_ra) as if the scenario's. */
    int tfd = open("/trace", O_RDONLY);
    struct stat tst;
    if (tfd < 0 || fstat(tfd, &tst) < 0) die("/trace");
    void *tmap = mmap(NULL, tst.st_size ? tst.st_size : 1, PROT_READ, MAP_PRIVATE | MAP_POPULATE, tfd, 0);
    if (tmap == MAP_FAILED) die("/trace");
    close(tfd);
    FILE *trace = fmemopen(tmap, tst.st_size, "r");
    if (!trace) die("/trace");
    if (mlockall(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT) < 0) die("mlockall");

    struct utsname u;
    uname(&u);
    static char text[LINE * 4], js[LINE * 4], js2[LINE];
    read_file("/proc/cmdline", text, sizeof text);
    text[strcspn(text, "\n")] = 0;
    json_string(js, sizeof js, text);
    char rel[600];
    snprintf(rel, sizeof rel, "%s %s", u.release, u.version);
    json_string(js2, sizeof js2, rel);
    emit("{\"t\":\"boot\",\"kernel\":%s,\"cmdline\":%s}", js2, js);
    if (pipe(res_pipe) < 0) die("pipe");

    static char line[LINE], result[LINE * 4], buf[1 << 16], path[512];
    while (fgets(line, sizeof line, trace)) {
        line[strcspn(line, "\n")] = 0;
        char op[32] = "", a1[512] = "", a2[512] = "";
        long long seq = 0;
        int slot = 0;
        if (!strncmp(line, "require ", 8)) {
            struct stat st;
            if (stat(line + 8, &st) < 0) {
                json_string(js, sizeof js, line + 8);
                emit("{\"t\":\"missing\",\"what\":%s}", js);
                power_off();
            }
            continue;
        }
        if (!strncmp(line, "module ", 7)) { load_module(line + 7); continue; }
        if (!strncmp(line, "write ", 6)) {
            char *value = strrchr(line, ' ');
            *value++ = 0;
            if (write_file(line + 6, value) < 0) die(line + 6);
            continue;
        }
        if (!strncmp(line, "swapon ", 7)) {
            if (swapon(line + 7, 0) < 0) die(line);
            continue;
        }
        if (!strncmp(line, "controllers ", 12)) {  /* the controllers the scenario's cgroups get */
            if (mount("cgroup2", "/sys/fs/cgroup", "cgroup2", 0, NULL) < 0) die("cgroup2");
            if (write_file("/sys/fs/cgroup/cgroup.subtree_control", line + 12) < 0) die(line);
            continue;
        }
        if (!strncmp(line, "cgroup ", 7)) {
            path_of(path, sizeof path, "cgroup", line + 7);
            if (mkdir(path, 0755) < 0 && errno != EEXIST) die(path);
            continue;
        }
        if (!strncmp(line, "slots ", 6)) {
            int n = atoi(line + 6);
            if (n > MAX_SLOTS) { errno = E2BIG; die("slots"); }
            for (int i = 0; i < n; i++) if (pipe(cmd_pipe[i]) < 0) die("pipe");
            continue;
        }
        if (!strncmp(line, "counters meminfo ", 17)) { snprintf(counters_meminfo, sizeof counters_meminfo, "%s", line + 17); continue; }
        if (!strncmp(line, "counters vmstat ", 16)) {
            snprintf(counters_vmstat, sizeof counters_vmstat, "%s", line + 16);
            static char e1[LINE * 4], e2[LINE * 4];
            list_extra("/proc/meminfo", counters_meminfo, e1, sizeof e1);
            list_extra("/proc/vmstat", counters_vmstat, e2, sizeof e2);
            emit("{\"t\":\"lacks\",\"meminfo\":[%s],\"vmstat\":[%s]}", e1, e2);
            continue;
        }
        if (sscanf(line, "%lld %d %31s %511s %511s", &seq, &slot, op, a1, a2) < 3) continue;
        if (slot < 0 || slot >= MAX_SLOTS) continue;
        const char *args = line;
        for (int sp = 0; sp < 3 && args; sp++) { args = strchr(args, ' '); if (args) args++; }
        int checkpoint = 0;
        if (!strcmp(op, "start")) {
            /* a scenario process: a fresh process, on its node's CPU (local allocation), in its cgroup */
            pid_t pid = fork();
            if (pid == 0) {
                cpu_set_t cpus;
                CPU_ZERO(&cpus);
                CPU_SET(atoi(a2), &cpus);
                if (sched_setaffinity(0, sizeof cpus, &cpus) < 0) die("sched_setaffinity");
                if (a1[0] && strcmp(a1, "-")) {
                    char p2[600], me[32];
                    path_of(path, sizeof path, "cgroup", a1);
                    snprintf(p2, sizeof p2, "%s/cgroup.procs", path);
                    snprintf(me, sizeof me, "%d", getpid());
                    write_file(p2, me);
                }
                fclose(trace);
                process_loop(slot);
            }
            gpid[slot] = pid;
            alive[slot] = 1;
            snprintf(result, sizeof result, "%d", pid);
        } else if (!strcmp(op, "meminfo") || !strcmp(op, "vmstat")) {
            static char t[32768];
            long long v;
            stat_refresh();
            read_file(!strcmp(op, "meminfo") ? "/proc/meminfo" : "/proc/vmstat", t, sizeof t);
            if (field(t, a1, &v)) snprintf(result, sizeof result, "%lld", v); else snprintf(result, sizeof result, "\"absent\"");
            if (!strcmp(a1, "MemFree") && strcmp(result, "\"absent\"")) snprintf(result, sizeof result, "%lld", v + pcp_kb());
            checkpoint = 1;
        } else if (!strcmp(op, "sysfs") || !strcmp(op, "sysctl") || !strcmp(op, "cgroup")) {
            path_of(path, sizeof path, op, a1);
            static char t[LINE];
            int r = read_file(path, t, sizeof t);
            if (r < 0) snprintf(result, sizeof result, "%d", r);
            else {
                size_t n = strlen(t);
                if (n > 0 && t[n - 1] == '\n') t[n - 1] = 0;     /* the file's text without its last newline */
                json_string(result, sizeof result, t);
            }
            checkpoint = 1;
        } else if (!strcmp(op, "sysfs_write") || !strcmp(op, "sysctl_write") || !strcmp(op, "cgroup_write")) {
            char kind[16];
            snprintf(kind, sizeof kind, "%.*s", (int)(strchr(op, '_') - op), op);
            path_of(path, sizeof path, kind, a1);
            snprintf(result, sizeof result, "%d", write_file(path, a2));
            checkpoint = 1;
        } else if (!strcmp(op, "smaps")) {
            smaps(gpid[slot], strtoull(a1, NULL, 0), buf, sizeof buf);
            snprintf(result, sizeof result, "0");
            char d[1 << 12];
            dump_counters(d, sizeof d);
            emit("{\"t\":\"op\",\"seq\":%lld,\"r\":%s%s}", seq, buf, d);
            continue;
        } else {
            if (!alive[slot]) { emit("{\"t\":\"op\",\"seq\":%lld,\"r\":\"dead\"}", seq); continue; }
            char msg[LINE + 2];
            int n = snprintf(msg, sizeof msg, "%s %s\n", op, args ? args : "");
            if (write(cmd_pipe[slot][1], msg, n) < 0) die("pipe write");
            if (!strcmp(op, "exit")) {
                wait_gone(gpid[slot]);
                alive[slot] = 0;
                snprintf(result, sizeof result, "0");
            } else {
                await_reply(slot, result, sizeof result);
                if (!strcmp(op, "fork")) {
                    int child = atoi(a1);
                    long pid = atol(result);
                    if (pid > 0 && child >= 0 && child < MAX_SLOTS) { gpid[child] = pid; alive[child] = 1; }
                }
                if (!strncmp(result, "sig ", 4) || !strcmp(result, "killed")) {
                    if (gpid[slot] > 0) wait_gone(gpid[slot]);
                    char q[64];
                    snprintf(q, sizeof q, "\"%s\"", result);
                    snprintf(result, sizeof result, "%s", q);
                }
            }
        }
        if (checkpoint) {
            dump_counters(buf, sizeof buf);
            emit("{\"t\":\"op\",\"seq\":%lld,\"r\":%s%s}", seq, result, buf);
        } else {
            emit("{\"t\":\"op\",\"seq\":%lld,\"r\":%s}", seq, result);
        }
    }
    emit("{\"t\":\"end\"}");
    power_off();
    return 0;
}
