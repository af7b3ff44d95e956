// Rule 65 (docs/model.md 7.3), the zoneNosplit design: only THP allocations may use ZONE_NOSPLIT. Order-0
// pages (faults of VMAs without THP, copy-on-write copies, swap-in, kernel memory) and HugeTLB pool pages
// never come from it, and every other allocation's watermark check leaves its free pages out (as the kernel
// leaves out a zone that is not in the request's zonelist): memory pressure elsewhere cannot reach it.
name 'rule-65-huge-only'
description 'Neither 4 KiB pages nor HugeTLB pool pages come from the NoSplit zone.'

machine {
    memory 1.GB
}

policy zoneNosplit(size: 256.MB)

process('p') {
    Closure nosplitFree = { zoneinfo().find { it.zone == 'NoSplit' }.nr_free_pages }
    assert nosplitFree() == 65536
    long a = mmap(0, 256.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(a, 256.MB, MADV_NOHUGEPAGE) == 0
    touch a, 256.MB                                          // 65536 order-0 pages
    assert meminfo('AnonPages') == 262144 && meminfo('AnonHugePages') == 0
    assert nosplitFree() == 65536                            // none from the zone

    assert sysctl('vm.nr_hugepages', 512) == 0               // ask for 1 GiB of HugeTLB pages
    long got = meminfo('HugePages_Total')
    assert got > 0 && got < 512 - 128                        // the ordinary memory's, not the zone's 128 blocks
    assert nosplitFree() == 65536
    assert zoneinfo().find { it.zone == 'Normal' }.nr_free_pages < zoneinfo()[0].min + 512   // ordinary memory down to min
}

run until: 1.s, sample: 1.s
