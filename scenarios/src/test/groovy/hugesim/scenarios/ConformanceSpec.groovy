package hugesim.scenarios

import hugesim.dsl.ScenarioException
import hugesim.dsl.Scenarios
import hugesim.record.RunResult
import spock.lang.Specification

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths

/**
 * The Reserved THP rules of docs/model.md section 1, one conformance script each (or one per small group)
 * under scenarios/conformance. Each script asserts its rule with the kernel's return values and views;
 * a failing script assert fails the feature. The features add what only the run's record shows: boot log
 * lines, events, summaries and sampled series.
 */
class ConformanceSpec extends Specification {
    static final String DIR = 'conformance'
    static final String PMD_LOG = 'PMD THP pageblocks (2097152 bytes each)'

    static final List<String> KILLS = ['oom_kill', 'sigbus', 'sigsegv']

    /**
     * Runs one conformance script (under its single policy). A process killed by the OOM killer or a signal
     * never reaches its remaining asserts, so the processes killed must be exactly {@code killed}.
     */
    static RunResult run(String file, List<String> killed = []) {
        RunResult r = Scenarios.run("${DIR}/${file}")[0]
        List<String> actual = r.events().findAll { it.kind() in KILLS }*.process()
        if (actual != killed) throw new AssertionError("${file}: processes killed ${actual}, expected ${killed}".toString())
        r
    }

    /**
     * Runs a script known to fail one of its own asserts against the model: the failure is rethrown as it is
     * (the feature stays pending) only when it is that assert; bad input or another assert fails the feature.
     */
    static RunResult runExpectingAssert(String file, String failingAssert, List<String> killed = []) {
        try {
            return run(file, killed)
        } catch (ScenarioException e) {
            if (e.assertion && e.problem.contains(failingAssert)) throw e
            throw new IllegalStateException("${file}: expected the assert '${failingAssert}' to fail, got: ${e.message}", e)
        }
    }

    static List<String> bootLog(RunResult r) { r.events('boot_log')*.detail() }

    static double last(RunResult r, String metric) {
        def s = r.series()
        s.value(metric, s.size() - 1)
    }

    // ---- 1.2 boot parameters and capacity -------------------------------------------------------

    def "rule 1: thp_reserved_size=2M thp_reserved_nr=8 reserves 8 PMD THP pageblocks at boot"() {
        when:
        def r = run('rule-01-boot-parameters.groovy')

        then:
        bootLog(r) == ["reserved 8/8 ${PMD_LOG}".toString()]
        r.series().at('reserved_thp.total_hpages', 0) == 8
        r.series().at('reserved_thp.free_hpages', 0) == 8
        r.series().at('hugesim.reserved_kB', 0) == 8 * 2048
        r.summary().clean()
    }

    def "rule 2: without thp_reserved_size the size defaults to the PMD size (S1: reserved 8/8, 2097152 bytes each)"() {
        when:
        def r = run('rule-02-default-size.groovy')

        then:
        bootLog(r) == ["reserved 8/8 ${PMD_LOG}".toString()]
        r.series().at('reserved_thp.total_hpages', 0) == 8
        r.series().at('reserved_thp.used_hpages', 0) == 0
    }

    def "rule 2: thp_reserved_size=2048K is memparse()d to the PMD size and accepted"() {
        when:
        def r = run('rule-02-size-suffix.groovy')

        then:
        bootLog(r) == ["reserved 4/4 ${PMD_LOG}".toString()]
        r.series().at('reserved_thp.total_hpages', 0) == 4
    }

    def "rule 2: on arm64 with 64 KiB pages the PMD size is 512M: thp_reserved_size=512M reserves 512 MiB blocks"() {
        when:
        def r = run('rule-02-arm64-64k.groovy')

        then:
        r.machine().arch == 'arm64-64k'
        bootLog(r) == ['reserved 2/2 PMD THP pageblocks (536870912 bytes each)']
        r.series().at('hugesim.reserved_kB', 0) == 2 * 512 * 1024
        last(r, 'reserved_thp.used_hpages') == 2
        r.summary().clean()
    }

    def "rule 2: on arm64 with 64 KiB pages thp_reserved_size=2M is not the PMD size: warning, nothing reserved"() {
        when:
        def r = run('rule-02-arm64-64k-2m.groovy')

        then:
        bootLog(r) == ['unsupported thp_reserved_size=2M, only 536870912 is supported',
                       "Malformed early option 'thp_reserved_size'"]
        r.series().max('reserved_thp.total_hpages') == 0
    }

    def "rule 3: thp_reserved_size=4M warns, is reported malformed, and disables the reservation whatever thp_reserved_nr says (S2a)"() {
        when:
        def r = run('rule-03-unsupported-size.groovy')

        then:
        bootLog(r) == ['unsupported thp_reserved_size=4M, only 2097152 is supported',
                       "Malformed early option 'thp_reserved_size'"]
        r.series().max('reserved_thp.total_hpages') == 0
    }

    def "rule 3: the last thp_reserved_size decides validity: 4M then 2M reserves"() {
        when:
        def r = run('rule-03-last-size-valid.groovy')

        then: 'the 4M still warns, then the reservation is made'
        bootLog(r) == ['unsupported thp_reserved_size=4M, only 2097152 is supported',
                       "Malformed early option 'thp_reserved_size'",
                       "reserved 8/8 ${PMD_LOG}".toString()]
        r.series().at('reserved_thp.total_hpages', 0) == 8
    }

    def "rule 3: the last thp_reserved_size decides validity: 2M then 4M reserves nothing"() {
        when:
        def r = run('rule-03-last-size-invalid.groovy')

        then:
        bootLog(r) == ['unsupported thp_reserved_size=4M, only 2097152 is supported',
                       "Malformed early option 'thp_reserved_size'"]
        r.series().max('reserved_thp.total_hpages') == 0
    }

    def "rule 4: thp_reserved_nr=8x warns 'invalid thp_reserved_nr=8x', the request becomes 0 and nothing is reserved (S2b)"() {
        when:
        def r = run('rule-04-trailing-characters.groovy')

        then:
        bootLog(r) == ['invalid thp_reserved_nr=8x', "Malformed early option 'thp_reserved_nr'"]
        r.series().max('reserved_thp.total_hpages') == 0
    }

    def "rule 4: thp_reserved_nr=-1 is refused by the kernel's vsscanf (%lu takes no sign): warning, nothing reserved"() {
        when:
        def r = run('rule-04-minus-sign.groovy')

        then:
        bootLog(r) == ['invalid thp_reserved_nr=-1', "Malformed early option 'thp_reserved_nr'"]
        r.series().max('reserved_thp.total_hpages') == 0
    }

    def "rule 5: thp_reserved_nr=0 reserves nothing and logs no reservation line"() {
        when:
        def r = run('rule-05-zero-request.groovy')

        then:
        bootLog(r).isEmpty()
        r.series().max('reserved_thp.total_hpages') == 0
    }

    def "rules 5 and 9: without parameters the reserved_thp files exist, read 0 and refuse writes (EACCES): no runtime resize"() {
        when:
        def r = run('rules-05-09-sysfs.groovy')

        then:
        bootLog(r).isEmpty()
        r.series().max('reserved_thp.total_hpages') == 0
        r.series().max('reserved_thp.used_hpages') == 0
    }

    def "rules 6-8: thp_reserved_nr=100000 on 2 GiB falls short (S3): one pageblock per hpage, stopped at the min watermark"() {
        when:
        def r = run('rules-06-08-boot-loop.groovy')
        long total = r.series().at('reserved_thp.total_hpages', 0) as long

        then: 'rule 7: the log line states the shortfall, and total_hpages is its X'
        total > 0 && total < 100000
        bootLog(r) == ["reserved ${total}/100000 ${PMD_LOG}".toString()]
        r.series().at('hugesim.reserved_kB', 0) == total * 2048
        and: 'MemFree still counts every free reserved page (rule 14)'
        r.series().at('meminfo.MemFree', 0) > total * 2048
    }

    def "rule 6: on arm64-64k with PAGE_BLOCK_MAX_ORDER=5 a reserved 512 MiB unit spans 256 pageblocks and is one hpage"() {
        when:
        def r = run('rule-06-unit-spans-pageblocks.groovy')

        then: 'the log prints the unit size, reserved_thp_cmdline_size = HPAGE_PMD_SIZE'
        r.machine().pageblock_order == 5
        r.machine().pageblock_size == 2 * 1024 * 1024
        bootLog(r) == ['reserved 2/2 PMD THP pageblocks (536870912 bytes each)']
        r.series().at('reserved_thp.total_hpages', 0) == 2
        r.series().at('hugesim.reserved_kB', 0) == 2 * 512 * 1024
        last(r, 'reserved_thp.resident_hpages') == 1
        last(r, 'meminfo.AnonHugePages') == 512 * 1024
        r.summary().clean()
    }

    def "rule 8: on two nodes the boot loop takes node 0 down to its low watermark, then node 1, before going below low"() {
        when:
        def r = run('rule-08-two-nodes.groovy')

        then:
        r.summary().clean()
        bootLog(r) == ["reserved 6000/6000 ${PMD_LOG}".toString()]
        last(r, 'reserved_thp.resident_hpages') == 6000
    }

    // ---- 1.3 pageblock type and buddy isolation ------------------------------------------------

    def "rule 10: /proc/pagetypeinfo names MIGRATE_RESERVED_THP 'ReserveTHP', after CMA and before Isolate"() {
        when:
        def r = run('rule-10-migratetype.groovy')

        then:
        r.summary().clean()
        r.series().at('reserved_thp.total_hpages', 0) == 8
    }

    def "rule 11: a freed reserved THP goes straight back to the ReserveTHP free list and serves the next reserved fault"() {
        when:
        def r = run('rule-11-free-to-reserved-list.groovy')

        then:
        r.summary().clean()
        last(r, 'vmstat.thp_fault_alloc') == 3
        last(r, 'vmstat.thp_fault_fallback') == 0
        last(r, 'reserved_thp.resident_hpages') == 2
        last(r, 'reserved_thp.used_hpages') == 2
    }

    def "rule 12: reserved faults skip the watermark check: all succeed with ordinary free memory at min, taking reserved blocks only"() {
        when:
        def r = run('rule-12-no-watermark-check.groovy')
        double total = last(r, 'reserved_thp.total_hpages')

        then:
        r.summary().clean()
        total > 0
        last(r, 'vmstat.thp_fault_alloc') == total
        last(r, 'reserved_thp.resident_hpages') == total
        last(r, 'vmstat.thp_fault_fallback') == 0
    }

    def "rule 13: ordinary allocations never take reserved blocks, not even before the OOM killer"() {
        when:
        def r = run('rule-13-no-fallback-into-reserve.groovy', ['hog'])

        then: 'one OOM kill, of the process faulting ordinary pages, with all 16 reserved blocks free'
        r.summary().oomKills() == 1
        r.events('oom_kill')*.process() == ['hog']
        r.events('oom_kill')[0].time() == 0
        r.series().at('reserved_thp.resident_hpages', 0) == 0
        and: 'afterwards all 16 reserved blocks serve reserved faults'
        last(r, 'reserved_thp.resident_hpages') == 16
        last(r, 'vmstat.thp_fault_alloc') == 16
    }

    def "rule 14: order-9 ordinary allocations stop at the watermark net of free reserved pages, though MemFree is far above it (S20)"() {
        when:
        def r = run('rule-14-unusable-free.groovy')
        double pool = last(r, 'meminfo.HugePages_Total')

        then: 'the HugeTLB pool took every ordinary block above min, and none of the 16 reserved ones'
        r.summary().clean()
        pool > 0
        last(r, 'hugesim.reserved_kB') == pool * 2048 + 16 * 2048
        last(r, 'reserved_thp.resident_hpages') == 16
    }

    def "rules 16 and 47: with no free reserved block a reserved fault is VM_FAULT_OOM: thp_fault_fallback counted, nothing else taken, ENOMEM to populate"() {
        when:
        def r = run('rules-16-47-reserved-miss.groovy')

        then:
        r.summary().clean()
        last(r, 'vmstat.thp_fault_fallback') == 2
        last(r, 'vmstat.thp_fault_alloc') == 2
        last(r, 'reserved_thp.resident_hpages') == 2
        last(r, 'reserved_thp.used_hpages') == 1
    }

    // ---- 1.4 quota --------------------------------------------------------------------------------

    def "rule 15: the OOM report's memory dump shows reserved_thp and free_reserved_thp per zone, before the kill"() {
        when:
        def r = run('rule-15-show-mem.groovy', ['hog'])
        def kinds = r.events()*.kind()

        then:
        r.events('show_mem')*.detail().every { it ==~ /Node 0 Normal free:\d+kB .* reserved_thp:4096KB free_reserved_thp:2048KB .*/ }
        r.events('show_mem').size() == 1
        kinds.indexOf('show_mem') < kinds.indexOf('oom_kill')
    }

    def "rule 17: one global used/total pair: two processes charge and uncharge the same counter"() {
        when:
        def r = run('rule-17-global-quota.groovy')

        then:
        r.summary().clean()
        r.series().at('reserved_thp.used_hpages', 0) == 3
        r.series().at('reserved_thp.used_hpages', 1) == 4
        r.series().at('reserved_thp.used_hpages', 2) == 1
        r.series().at('reserved_thp.used_hpages', 3) == 2
    }

    def "rule 18: a charge larger than total - used fails with -ENOMEM (EAGAIN to madvise) and changes nothing; exactly total - used succeeds"() {
        when:
        def r = run('rule-18-charge.groovy')

        then:
        r.summary().clean()
        last(r, 'reserved_thp.used_hpages') == 4
        last(r, 'reserved_thp.free_hpages') == 0
    }

    def "rule 19: munmap and exit of a grown reserved MAP_GROWSDOWN VMA uncharge more than was charged: one WARN, used clamped to 0"() {
        when:
        def r = run('rule-19-growsdown-warn.groovy')

        then: 'munmap at 1.5 s uncharged 3 with 2 used: the WARN, once; the exit at 3 s clamps again silently'
        r.events('kernel_warning')*.detail() == ['WARNING: reserved_thp_uncharge: uncharging 3 hpages with only 2 used']
        r.events('kernel_warning')[0].time() == 1.5d
        r.series().at('reserved_thp.used_hpages', 1) == 2
        r.series().at('reserved_thp.used_hpages', 2) == 1
        last(r, 'reserved_thp.used_hpages') == 0
        last(r, 'reserved_thp.free_hpages') == 8
    }

    def "rule 19: a grown reserved stack's over-uncharge silently eats another process's charge; the WARN comes at a later exit"() {
        when:
        def r = run('rule-19-growsdown-eats-charge.groovy')

        then: 'from 1 s used_hpages is one less than the reserved VMAs span, and nothing warns until the last exit'
        r.series().at('reserved_thp.used_hpages', 2) == 4
        r.series().at('reserved_thp.used_hpages', 3) == 2
        r.events('kernel_warning')*.detail() == ['WARNING: reserved_thp_uncharge: uncharging 3 hpages with only 2 used']
        r.events('kernel_warning')[0].time() == 3.5d
        last(r, 'reserved_thp.used_hpages') == 0
    }

    def "rules 20 and 28: madvise charges (end - start) >> PMD_SHIFT per VMA, and only VMAs not reserved yet"() {
        when:
        def r = run('rules-20-28-charge-once.groovy')

        then:
        r.summary().clean()
        last(r, 'reserved_thp.used_hpages') == 0
    }

    def "rule 21: the quota is virtual: faults, MADV_DONTNEED and swap-out leave used_hpages alone"() {
        when:
        def r = run('rule-21-virtual-quota.groovy')

        then:
        r.summary().clean()
        r.summary().thpSwpout() == 1
        r.summary().thpSwpoutFallback() == 0
        r.summary().swappedOutBytes() == 2 * 1024 * 1024
        r.series().at('reserved_thp.used_hpages', 0) == 2
        r.series().at('reserved_thp.resident_hpages', 0) == 1
        last(r, 'reserved_thp.used_hpages') == 0
    }

    // ---- 1.5 VMA flag ---------------------------------------------------------------------------

    def "rule 22: a reserved VMA shows rt in smaps VmFlags"() {
        expect:
        run('rule-22-vmflag-rt.groovy').summary().clean()
    }

    def "rule 23: plain and reserved VMAs never merge; adjacent reserved VMAs merge, charges adding up"() {
        when:
        def r = run('rule-23-merge.groovy')

        then:
        r.summary().clean()
        last(r, 'reserved_thp.used_hpages') == 0
    }

    // ---- 1.6 MADV_RESERVED_THP -------------------------------------------------------------------

    def "rule 24: MADV_RESERVED_THP is advice 26"() {
        when:
        def r = run('rule-24-advice-value.groovy')

        then:
        r.summary().clean()
        last(r, 'reserved_thp.used_hpages') == 1
    }

    def "rule 25: MADV_RESERVED_THP needs a private anonymous VMA: shared anonymous, HugeTLB and hugetlbfs file mappings get EINVAL"() {
        when:
        def r = run('rule-25-private-anon-only.groovy')

        then:
        r.summary().clean()
        last(r, 'reserved_thp.used_hpages') == 1
    }

    def "rule 26: the range clipped to each VMA must be PMD-aligned; holes give ENOMEM after the VMAs; VMAs are charged one by one"() {
        when:
        def r = run('rule-26-per-vma-range.groovy')

        then:
        r.summary().clean()
        last(r, 'reserved_thp.used_hpages') == 1
    }

    def "rule 27: MADV_RESERVED_THP, MADV_HUGEPAGE and MADV_NOHUGEPAGE exclude each other's flags"() {
        when:
        def r = run('rule-27-mutual-exclusion.groovy')

        then:
        r.summary().clean()
        last(r, 'reserved_thp.used_hpages') == 0
    }

    def "rule 29: a failed charge reaches userspace as EAGAIN, flags and quota unchanged (S5)"() {
        when:
        def r = run('rule-29-eagain.groovy')

        then:
        r.summary().clean()
        last(r, 'reserved_thp.used_hpages') == 2
    }

    def "rule 30: MADV_RESERVED_THP whose VMA split fails on vm.max_map_count returns the charge and fails with EAGAIN"() {
        when:
        def r = run('rule-30-max-map-count.groovy')

        then: 'the script asserts the errnos; the quota was never left charged by the failed call'
        r.summary().clean()
        r.events('kernel_warning').isEmpty()
        last(r, 'reserved_thp.used_hpages') == 1
    }

    def "rule 31: MADV_HUGEPAGE/NOHUGEPAGE uncharge a reserved range after the VMA update; a non-PMD split is EINVAL (S6)"() {
        when:
        def r = run('rule-31-switch-uncharges.groovy')

        then:
        r.summary().clean()
        last(r, 'reserved_thp.used_hpages') == 1
        last(r, 'reserved_thp.free_hpages') == 3
    }

    def "rule 32: after MADV_HUGEPAGE the quota promises reserved blocks still in use, and a granted fault fails (S6, S8)"() {
        when:
        def r = run('rule-32-quota-without-blocks.groovy')
        def s = r.series()

        then: 'at 1 s: quota all free, yet two of the four blocks hold THPs'
        s.at('reserved_thp.free_hpages', 1) == 4
        s.at('reserved_thp.resident_hpages', 1) == 2
        and: 'at the end: all four charged, all four blocks in use, one fault failed'
        last(r, 'reserved_thp.used_hpages') == 4
        last(r, 'reserved_thp.resident_hpages') == 4
        last(r, 'vmstat.thp_fault_fallback') == 1
        r.summary().stalls() == 0
    }

    def "rule 32: a switched-away reserved THP cut by munmap keeps its reserved block until all its pages are freed"() {
        when:
        def r = run('rule-32-split-keeps-block.groovy')

        then:
        r.summary().clean()
        last(r, 'reserved_thp.resident_hpages') == 1
        last(r, 'vmstat.thp_fault_fallback') == 1
    }

    def "rule 33: MADV_COLLAPSE is EINVAL on a reserved VMA, and only because it is reserved"() {
        when:
        def r = run('rule-33-collapse.groovy')

        then:
        r.summary().clean()
        last(r, 'reserved_thp.used_hpages') == 0
        last(r, 'reserved_thp.resident_hpages') == 1
    }

    def "rule 34: COLD, PAGEOUT, FREE and DONTNEED need PMD-aligned ranges on reserved VMAs; aligned ones work (S12)"() {
        when:
        def r = run('rule-34-aligned-advice.groovy')

        then:
        r.summary().clean()
        r.summary().thpSwpout() == 1
        r.summary().swappedOutBytes() == 2 * 1024 * 1024
        last(r, 'vmstat.pswpout') == 512
        last(r, 'reserved_thp.used_hpages') == 4
    }

    def "rule 35: other advice is unrestricted on reserved VMAs unless it must split them at a non-PMD address"() {
        when:
        def r = run('rule-35-other-advice.groovy')

        then:
        r.summary().clean()
        last(r, 'vmstat.thp_fault_alloc') == 2
    }

    // ---- 1.7 VMA lifecycle ----------------------------------------------------------------------

    def "rule 36: munmap, mprotect, mlock and madvise split a reserved VMA only at PMD boundaries; the pieces keep rt and the charge"() {
        when:
        def r = run('rule-36-split-at-pmd.groovy')

        then:
        r.summary().clean()
        last(r, 'reserved_thp.used_hpages') == 3
        last(r, 'reserved_thp.resident_hpages') == 3
        last(r, 'vmstat.thp_split_page') == 0
    }

    def "rule 37: munmap that would split a reserved VMA off a PMD boundary is EINVAL and unmaps nothing; otherwise it uncharges (S9)"() {
        when:
        def r = run('rule-37-munmap.groovy')

        then:
        r.summary().clean()
        last(r, 'reserved_thp.used_hpages') == 0
        last(r, 'reserved_thp.resident_hpages') == 0
    }

    def "rule 38: exit and a fatal signal uncharge every reserved VMA of the address space (S9)"() {
        when:
        def r = run('rule-38-teardown.groovy', ['killed'])
        def s = r.series()

        then:
        r.events('process_exit')*.process() == ['exits']
        r.events('process_exit')[0].time() == 1.5d
        r.events('sigsegv')*.process() == ['killed']
        r.events('sigsegv')[0].time() == 2.5d
        s.at('reserved_thp.used_hpages', 1) == 5
        s.at('reserved_thp.used_hpages', 2) == 2
        s.at('reserved_thp.used_hpages', 3) == 0
        s.at('reserved_thp.resident_hpages', 2) == 0
    }

    def "rule 39: fork charges the child for every copied reserved VMA (the script's own asserts)"() {
        expect:
        run('rule-39-fork.groovy') != null
    }

    def "rules 40-42: mremap keeps reserved VMAs PMD-aligned and the quota with the mapping (the script's own asserts)"() {
        expect:
        run('rule-40-42-mremap.groovy') != null
    }

    // ---- 1.8 fault path ---------------------------------------------------------------------------

    def "rule 43: with THP enabled=never a reserved VMA still gets PMD THPs"() {
        when:
        def r = run('rule-43-pmd-order-always.groovy')

        then:
        r.summary().clean()
        last(r, 'vmstat.thp_fault_alloc') == 2
        last(r, 'reserved_thp.resident_hpages') == 2
        last(r, 'meminfo.AnonHugePages') == 4096
    }

    def "rule 43: PR_SET_THP_DISABLE completely leaves a reserved VMA neither a THP nor a 4 KiB page; except-advised keeps its THPs"() {
        when:
        def r = run('rule-43-prctl-thp-disable.groovy')

        then: 'the user fault under "completely" is still retrying when the run ends, without any fallback counted'
        r.events('fault_stall')*.process() == ['completely']
        r.events('fault_stall')[0].detail().contains('still stalled when the run ended')
        r.summary().oomKills() == 0
        last(r, 'vmstat.thp_fault_fallback') == 0
        and: 'one reserved THP while re-enabled, one for the except-advised reserved VMA, one MADV_HUGEPAGE THP'
        last(r, 'vmstat.thp_fault_alloc') == 3
        last(r, 'reserved_thp.resident_hpages') == 2
        and: 'two reserved VMAs in "completely", the fork child\'s copy of one, one in "advised"'
        last(r, 'reserved_thp.used_hpages') == 4
    }

    def "rule 44: a reserved MAP_GROWSDOWN VMA grown to an unaligned vm_start faults VM_FAULT_OOM on its straddling window"() {
        when:
        def r = run('rule-44-growsdown-window.groovy', ['far', 'gap'])

        then: 'growth by a PMD got a reserved THP; growth by one page more stalls until the run ends'
        r.events('fault_stall')*.process() == ['stack']
        r.events('fault_stall')[0].time() == 0.0d
        r.events('fault_stall')[0].detail().contains('still stalled when the run ended')
        r.summary().oomKills() == 0
        last(r, 'vmstat.thp_fault_alloc') == 1
        and: 'the window outside the VMA is refused before any allocation: no fallback counted'
        last(r, 'vmstat.thp_fault_fallback') == 0
        last(r, 'reserved_thp.used_hpages') == 1
        and: 'beyond RLIMIT_STACK and inside the stack guard gap the stack does not grow: SIGSEGV'
        r.events('sigsegv')*.time() == [1.0d, 2.0d]
    }

    def "rules 45 and 46: a read fault in a reserved VMA allocates a real THP from a reserved block, counted as any THP (S7)"() {
        when:
        def r = run('rules-45-46-reserved-fault.groovy')

        then:
        r.summary().clean()
        last(r, 'vmstat.thp_fault_alloc') == 1
        last(r, 'meminfo.AnonHugePages') == 2048
        last(r, 'reserved_thp.resident_hpages') == 1
        last(r, 'reserved_thp.used_hpages') == 1
    }

    def "rules 46 and 53: ordinary memory pressure swaps out a cold reserved THP like any cold anonymous folio"() {
        when:
        def r = run('rules-46-53-lru-reclaim.groovy', ['pressure'])

        then:
        r.summary().thpSwpout() >= 1
        r.series().at('reserved_thp.used_hpages', 3) == 1
    }

    def "rules 48 and 52: an empty PTE in a reserved VMA faults VM_FAULT_OOM until its page table is freed"() {
        when:
        def r = run('rules-48-52-pte-fault.groovy')

        then: "the user fault on the empty PTE is still retrying when the run ends, and nobody is OOM-killed"
        r.summary().stalls() == 1
        r.events('fault_stall')*.process() == ['user']
        r.events('fault_stall')[0].time() == 1.0d
        r.events('fault_stall')[0].detail().contains('still stalled when the run ended')
        r.summary().oomKills() == 0
        and: 'the populate process got its reserved THP once the table was gone'
        last(r, 'vmstat.thp_fault_alloc') == 1
        last(r, 'reserved_thp.resident_hpages') == 1
    }

    def "rule 49: a user fault that gets VM_FAULT_OOM retries without the OOM killer until a reserved block is freed (S8)"() {
        when:
        def r = run('rule-49-user-fault-retries.groovy')

        then:
        r.summary().stalls() == 1
        r.summary().stallSeconds() == 4.0d
        r.events('fault_stall')*.process() == ['waiter']
        r.events('fault_stall')[0].time() == 1.0d
        r.events('fault_stall')[0].detail().startsWith('VM_FAULT_OOM')
        r.summary().oomKills() == 0
        last(r, 'vmstat.oom_kill') == 0
        and: 'every failed attempt counted a fallback first (rule 47)'
        last(r, 'vmstat.thp_fault_fallback') >= 2
        last(r, 'vmstat.thp_fault_alloc') == 3
    }

    def "rule 50: a reserved fault on node 0 cannot use the free reserved blocks of node 1; a task on node 1 can"() {
        when:
        def r = run('rule-50-numa-local.groovy')
        double total = last(r, 'reserved_thp.total_hpages')
        double onNode0 = r.series().at('reserved_thp.resident_hpages', 0)

        then: 'at 0 s the task on node 0 holds only the blocks of node 0'
        r.summary().clean()
        bootLog(r) == ["reserved ${total as long}/100000 ${PMD_LOG}".toString()]
        onNode0 > 0 && onNode0 < total
        r.series().at('reserved_thp.used_hpages', 0) == onNode0
        and: 'at the end the task on node 1 holds the rest'
        last(r, 'reserved_thp.resident_hpages') == total
        last(r, 'reserved_thp.used_hpages') == total
    }

    def "rule 51: a swapped-out reserved THP comes back as 4 KiB ordinary pages; its reserved block stays free (S12)"() {
        when:
        def r = run('rule-51-swapin-ordinary.groovy')

        then:
        r.summary().clean()
        r.summary().thpSwpout() == 1
        last(r, 'vmstat.pswpin') == 512
        last(r, 'vmstat.thp_fault_alloc') == 2
        last(r, 'reserved_thp.resident_hpages') == 1
        last(r, 'meminfo.AnonHugePages') == 2048
    }

    def "rule 51 and rule 33 (patch 7/8 thp_vma_allowable_orders(), mm/khugepaged.c collapse_huge_page()): khugepaged collapses a swapped-in reserved THP into an ordinary THP outside the reserve; MADV_COLLAPSE stays EINVAL"() {
        when:
        def r = run('rule-51-khugepaged.groovy')

        then:
        r.summary().clean()
        r.summary().thpSwpout() == 1
        and: 'a THP again, but none of it in a reserved block'
        last(r, 'meminfo.AnonHugePages') == 2048
        last(r, 'reserved_thp.resident_hpages') == 0
        last(r, 'reserved_thp.used_hpages') == 1
    }

    def "rule 53: migrate_pages() moves reserved THPs into node 1's ordinary memory; their reserved blocks are free, the quota stays charged"() {
        when:
        def r = run('rule-53-migration.groovy')

        then:
        r.summary().clean()
        bootLog(r) == ["reserved 2/2 ${PMD_LOG}".toString()]
        and: "no reserved block holds a THP after the migration; the VMA's refault takes one back"
        r.series().at('reserved_thp.resident_hpages', 1) == 2
        r.series().at('reserved_thp.resident_hpages', 2) == 0
        r.series().at('reserved_thp.used_hpages', 2) == 2
        r.series().at('meminfo.AnonHugePages', 2) == 4096
        last(r, 'reserved_thp.resident_hpages') == 1
        last(r, 'reserved_thp.used_hpages') == 2
        last(r, 'meminfo.AnonHugePages') == 4096
        last(r, 'vmstat.thp_fault_alloc') == 3
        and: 'the refused madvise is not a failed workload call: the script checked its return'
        r.events('madvise_failed').isEmpty()
    }

    // ---- every script is run ---------------------------------------------------------------------

    def "every script under scenarios/conformance is run by a feature of this specification"() {
        given:
        List<String> scripts = Files.list(Paths.get(DIR)).withCloseable { s ->
            s.map { Path p -> p.fileName.toString() }.filter { it.endsWith('.groovy') }.sorted().toList()
        }
        String source = new String(Files.readAllBytes(Paths.get('src/test/groovy/hugesim/scenarios/ConformanceSpec.groovy')))
        List<String> run = (source =~ /run(?:ExpectingAssert)?\('([^']+\.groovy)'/).collect { it[1] }

        expect: 'no script without a feature, no feature naming a missing script, no script run twice'
        !scripts.isEmpty()
        scripts.findAll { !(it in run) } == []
        run.findAll { !(it in scripts) } == []
        run.size() == run.toSet().size()
    }
}
