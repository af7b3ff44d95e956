// Scenario S23 (docs/model.md section 6), "the rest fall back (thp_fault_fallback)": each 2 MiB window
// of a MADV_HUGEPAGE region makes one THP attempt. After a failed attempt the fault goes on at 4 KiB:
// do_anonymous_page() first installs a page table in the PMD, so when the 4 KiB allocation has to wait
// for direct reclaim, neither that fault nor any later fault in the window tries a THP again. Hence
// thp_fault_alloc + thp_fault_fallback = number of windows touched.
// Section 3.2 (3): "failure -> thp_fault_fallback and the fault is retried with 4 KiB pages".
// mm/memory.c __handle_mm_fault(): "if (pmd_none(*vmf.pmd) && thp_vma_allowable_order(...)) ret =
// create_huge_pmd(&vmf); if (!(ret & VM_FAULT_FALLBACK)) return ret;" then handle_pte_fault() ->
// do_anonymous_page() -> pte_alloc(); mm/huge_memory.c do_huge_pmd_anonymous_page():
// count_vm_event(THP_FAULT_FALLBACK) once per failed attempt.
name 's23-fallback-once'
description 'A window whose THP attempt failed is not tried again when its 4 KiB fault waits for reclaim.'

machine {
    memory 256.MB
    swap 256.MB, write: 1.GBps, read: 1.GBps
}

policy thp()

int RW = PROT_READ | PROT_WRITE
int ANON = MAP_PRIVATE | MAP_ANONYMOUS

process('cold') {
    // all but 16 MiB of what the kernel leaves (MemTotal: 256 MiB less the kernel's own memory)
    long len = (meminfo('MemTotal') * 1024 - 16.MB).intdiv(2.MB) * 2.MB
    long c = mmap(0, len, RW, ANON)
    touch c, len                                        // 4 KiB pages, then cold: reclaimable
    idle c, len
}

process('n', start: 1.s) {
    assert sysfs('kernel/mm/transparent_hugepage/defrag', 'never') == 0
    long n = mmap(0, 16.MB, RW, ANON)
    assert madvise(n, 16.MB, MADV_HUGEPAGE) == 0
    touch n, 16.MB
    assert vmstat('thp_fault_fallback') > 0
    assert vmstat('pswpout') > 0                        // the 4 KiB faults had to reclaim
    assert vmstat('thp_fault_alloc') + vmstat('thp_fault_fallback') == 8
    assert smaps(n).AnonHugePages == vmstat('thp_fault_alloc') * 2048
}

run until: 5.s, sample: 100.ms
