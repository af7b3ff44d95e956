// Runs on a stock kernel: hugesim kernel-check replays it; 6.1 splits the huge zero page on a write (README).
// Scenario S17 (docs/model.md section 6): "enabled=madvise. mmap 4 MiB aligned without advice, write
// all -> thp_fault_alloc +0 (4 KiB pages). With MADV_HUGEPAGE: write all -> +2, AnonHugePages 4096 kB.
// Read-only touch of a fresh MADV_HUGEPAGE region -> huge zero page, AnonHugePages +0,
// thp_zero_page_alloc +1 only when the shared zero THP has to be (re)allocated."
// Section 3.2: (1) "Eligible only if the PMD-aligned 2 MiB window containing the address lies entirely
// inside the VMA ... and the VMA is allowed (enabled mode, VM_HUGEPAGE/VM_NOHUGEPAGE)"; (2) "A later write
// (since ~6.13) tries to allocate a THP in its place"; (3) "success -> thp_fault_alloc"; (4) "AnonHugePages
// += 2048 kB"; (5) "anonymous mmaps whose length is a multiple of 2 MiB are placed on 2 MiB boundaries".
// mm/huge_memory.c: __thp_vma_allowable_orders(), thp_vma_suitable_order(), do_huge_pmd_anonymous_page()
// (huge zero page when !(vmf->flags & FAULT_FLAG_WRITE) && !mm_forbids_zeropage() &&
// transparent_hugepage_use_zero_page()), mm_get_huge_zero_folio(), do_huge_zero_wp_pmd();
// thp_get_unmapped_area_vmflags(); fs/proc/task_mmu.c smaps_pmd_entry() (the huge zero page is not
// a normal page: no Rss).
name 's17-thp-fault-basics'
description 'THP faults by enabled mode and advice, the huge zero page, and whole-window eligibility.'

machine {
    memory 1.GB
}

policy thp()

int RW = PROT_READ | PROT_WRITE
int ANON = MAP_PRIVATE | MAP_ANONYMOUS
String ENABLED = 'kernel/mm/transparent_hugepage/enabled'

process('p') {
    assert sysfs(ENABLED) == 'always [madvise] never'

    // no advice under "madvise": 4 KiB pages
    long a = mmap(0, 4.MB, RW, ANON)
    assert a % 2.MB == 0                                    // a PMD multiple is placed PMD-aligned
    touch a, 4.MB
    assert vmstat('thp_fault_alloc') == 0
    assert vmstat('thp_fault_fallback') == 0                // not eligible: no attempt, no fallback
    assert smaps(a).AnonHugePages == 0 && smaps(a).Rss == 4096

    // MADV_HUGEPAGE: one THP per window
    mmap(0, 2.MB, PROT_NONE, ANON)                          // a guard: VMAs with the same flags would merge
    long b = mmap(0, 4.MB, RW, ANON)
    assert madvise(b, 4.MB, MADV_HUGEPAGE) == 0
    assert smaps(b).VmFlags.contains('hg')
    touch b, 4.MB
    assert vmstat('thp_fault_alloc') == 2
    assert smaps(b).AnonHugePages == 4096
    assert meminfo('AnonHugePages') == 4096

    // a read of a fresh MADV_HUGEPAGE region maps the shared huge zero page
    mmap(0, 2.MB, PROT_NONE, ANON)                          // a guard: VMAs with the same flags would merge
    long c = mmap(0, 4.MB, RW, ANON)
    assert madvise(c, 4.MB, MADV_HUGEPAGE) == 0
    read c, 2.MB
    assert vmstat('thp_zero_page_alloc') == 1               // allocated on first use
    assert vmstat('thp_fault_alloc') == 2
    assert meminfo('AnonHugePages') == 4096
    assert smaps(c).Rss == 0                                // not a normal page
    read c + 2.MB, 2.MB
    assert vmstat('thp_zero_page_alloc') == 1               // still in use: not allocated again
    // a write to the huge zero page allocates a THP in its place
    touch c, 4.KB
    assert vmstat('thp_fault_alloc') == 3
    assert smaps(c).AnonHugePages == 2048

    // use_zero_page = 0: a read fault allocates a real THP
    assert sysfs('kernel/mm/transparent_hugepage/use_zero_page', 0) == 0
    mmap(0, 2.MB, PROT_NONE, ANON)                          // a guard: VMAs with the same flags would merge
    long d = mmap(0, 2.MB, RW, ANON)
    assert madvise(d, 2.MB, MADV_HUGEPAGE) == 0
    read d, 4.KB
    assert vmstat('thp_fault_alloc') == 4
    assert smaps(d).AnonHugePages == 2048
    assert sysfs('kernel/mm/transparent_hugepage/use_zero_page', 1) == 0

    // only windows wholly inside the VMA can take a THP: 4 MiB at a 1 MiB offset has one such window
    long r = mmap(0, 8.MB, PROT_NONE, ANON)
    long e = mmap(r + 1.MB, 4.MB, RW, ANON | MAP_FIXED)
    assert e == r + 1.MB
    assert madvise(e, 4.MB, MADV_HUGEPAGE) == 0
    touch e, 4.MB
    assert vmstat('thp_fault_alloc') == 5
    assert vmstat('thp_fault_fallback') == 0
    assert smaps(e).AnonHugePages == 2048 && smaps(e).Rss == 4096

    // "always": THP without advice, except where MADV_NOHUGEPAGE says no
    assert sysfs(ENABLED, 'always') == 0
    assert sysfs(ENABLED) == '[always] madvise never'
    long f = mmap(0, 4.MB, RW, ANON)
    touch f, 4.MB
    assert vmstat('thp_fault_alloc') == 7
    long g = mmap(0, 4.MB, RW, ANON)
    assert madvise(g, 4.MB, MADV_NOHUGEPAGE) == 0
    touch g, 4.MB
    assert vmstat('thp_fault_alloc') == 7
    assert smaps(g).AnonHugePages == 0

    // "never": not even with MADV_HUGEPAGE
    assert sysfs(ENABLED, 'never') == 0
    long h = mmap(0, 4.MB, RW, ANON)
    assert madvise(h, 4.MB, MADV_HUGEPAGE) == 0
    touch h, 4.MB
    assert vmstat('thp_fault_alloc') == 7
    assert smaps(h).AnonHugePages == 0
    assert sysfs(ENABLED, 'sometimes') == -EINVAL
}

run until: 1.s, sample: 1.s
