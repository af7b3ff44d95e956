// Runs on a stock kernel (hugesim kernel-check). memory.max (docs/model.md rules 73 and 74): a cgroup of
// 64 MiB writing 96 MiB of 4 KiB pages once. Each charge over the limit counts a max event and reclaims the
// cgroup's own coldest pages (try_charge_memcg(), try_to_free_mem_cgroup_pages()), which go to swap; the
// writer finishes within the limit, nothing is killed, and a cgroup beside it keeps its memory. The 6.1 guest
// agreed within the kernel-check tolerances: its reclaim takes at least SWAP_CLUSTER_MAX (32) pages per charge
// over the limit (176 max events), the model's a window's 512 pages (16 events); and it charges the cgroup's page
// tables too (the model does not), so it swapped 400 to 600 KiB more (pswpout, SwapFree).
name 'memcg-max'
description 'memory.max: a cgroup writing past its limit reclaims its own oldest pages to swap and finishes.'

machine {
    memory 1.GB
    swap 256.MB
    kernel '6.1'
}

policy thp()

int RW = PROT_READ | PROT_WRITE
int ANON = MAP_PRIVATE | MAP_ANONYMOUS

process('bystander', cgroup: 'other') {
    long a = mmap(0, 32.MB, RW, ANON)
    assert madvise(a, 32.MB, MADV_NOHUGEPAGE) == 0
    touch a, 32.MB, once: true
    sleep 5.s
    assert smaps(a).Swap == 0                                   // another cgroup's limit takes nothing of it
    assert cgroup('other/memory.swap.current') == 0
}

process('svc', start: 1.s, cgroup: 'svc') {
    cgroup 'svc/memory.max', 64.MB
    assert cgroup('svc/memory.max') == 64.MB
    long a = mmap(0, 96.MB, RW, ANON)
    assert madvise(a, 96.MB, MADV_NOHUGEPAGE) == 0
    touch a, 96.MB, once: true                                  // over memory.max: the oldest pages go to swap
    assert cgroup('svc/memory.current') <= 64.MB
    assert cgroup('svc/memory.swap.current') >= 32.MB
    assert cgroup('svc/memory.events').max > 0
    assert cgroup('svc/memory.events').oom == 0
    assert cgroup('svc/memory.stat').pgsteal >= 32.MB / 4.KB
    assert vmstat('oom_kill') == 0
}

run until: 8.s, sample: 1.s
