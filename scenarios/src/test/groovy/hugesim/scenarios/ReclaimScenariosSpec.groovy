package hugesim.scenarios

import hugesim.dsl.Scenarios
import hugesim.dsl.Settings
import hugesim.record.RunResult
import spock.lang.Specification

import java.time.Duration

import static hugesim.uapi.Errno.ENOMEM
import static hugesim.uapi.Mman.*

/**
 * Reclaim as the kernel does it (docs/model.md 5.2 and 5.4): the LRU lists and their aging, kswapd, and the
 * retry of stalled faults, each shown by a script under scenarios/kernel that asserts the kernel's counters
 * and views; the features add what only the run's record shows.
 */
class ReclaimScenariosSpec extends Specification {
    static RunResult run(String file, Map<String, Object> set = [:]) {
        def f = Scenarios.load("kernel/${file}")
        (set ? f.with(new Settings(set, null, 0)) : f).runAll()[0]
    }

    static long counter(RunResult r, String name) {
        def s = r.series()
        (long) s.value("vmstat.${name}", s.size() - 1)
    }

    def "5.4 kswapd (balance_pgdat()): a region larger than RAM written once and read back completes with no OOM kill, THPs swapped out whole, kswapd doing most of the reclaim (the kernel: 383 THPs, pgsteal_kswapd about 262,000)"() {
        when:
        def r = run('reclaim-kswapd.groovy')

        then:
        r.summary().clean()
        r.summary().oomKills() == 0
        r.summary().thpSwpout() >= 380
        r.summary().thpSwpoutFallback() == 0
    }

    def "5.4 boosted kswapd (balance_pgdat(), nr_boost_reclaim): after a fragmenting fallback it reclaims the boost's worth of clean page cache, swaps nothing, writes nothing back, then wakes kcompactd"() {
        when:
        def r = run('kswapd-boosted.groovy')

        then: 'the script asserts the counters at each step; the run is clean'
        r.summary().clean()
        counter(r, 'pswpout') == 0
    }

    def "5.7 swap readahead (swap_vma_readahead()): 64 MiB of 4 KiB pages read back in address order takes 2,050 major faults, the other 14,334 pages read ahead and each hit, as on the 6.1 guest"() {
        when:
        def r = run('swap-readahead.groovy')

        then: 'the script asserts pgmajfault, swap_ra and swap_ra_hit; the run is clean and every page came from the device'
        r.summary().clean()
        counter(r, 'pswpin') == 16384
    }

    def "5.2 MADV_COLD (madvise_cold_or_pageout_pte_range()): part of a THP splits it and only the range is deactivated; a whole THP stays whole; nothing is swapped"() {
        when:
        def r = run('madv-cold-partial.groovy')

        then:
        r.summary().clean()
        counter(r, 'thp_split_page') == 1
        counter(r, 'pswpout') == 0
    }

    def "5.4 a touch stalled on VM_FAULT_OOM stays stalled when memory comes free: the retry an mlock left queued when its populate failed with ENOMEM does not end the touch"() {
        when: 'ordinary memory is short (reserved blocks and the pool hold most of it); mlock fails, then the touch stalls; the other process exits, freeing memory'
        def r = Scenarios.inline('stale-retry', 'stale-retry.groovy') {
            machine {
                memory 96.MB
                swap 64.MB
                cmdline 'thp_reserved_nr=16 hugepages=16'
            }
            policy thp()
            process('holder') {
                long m = mmap(0, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
                assert madvise(m, 2.MB, MADV_RESERVED_THP) == 0
                sleep 6.ms
                touch m, 2.MB
                exit()
            }
            process('locker') {
                long m = mmap(0, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
                sleep 4.ms
                assert mlock(m, 2.MB) == -ENOMEM
                sleep 1.ms
                touch m, 2.MB
                exit()
            }
            run until: 1.s, sample: 1.s
        }.runAll()[0]
        def locker = r.summary().processes().find { it.name() == 'locker' }

        then: 'the touch is still stalled when the run ends: it never returned with the range empty'
        locker.stalls() == 1
        locker.stalledAtEnd()
        locker.lastTouchDone() == Double.POSITIVE_INFINITY
        r.events('process_exit')*.process() == ['holder']
    }

    def "5.2 LRU aging (folio_check_references()): the working set survives, idle memory goes first, a lukewarm range next, and its next read refaults"() {
        when:
        def r = run('reclaim-lru-aging.groovy')

        then: 'the script asserts what smaps shows of each range; here, that it ran clean and swapped'
        r.summary().clean()
        r.summary().thpSwpout() > 512
        r.events('access')*.process() == ['svc']
    }

    def "5.2 the hot upgrade with nothing marked idle: the LRU finds the 10 GB never read again, and the author's plan fits the successor in 22 GB as when the script marks it idle"() {
        when:
        def results = Scenarios.run('hot-upgrade-aged.groovy')
        def plan = results['reservedThp(reserve: 22G, overcommit: true)']
        def marked = Scenarios.run('hot-upgrade.groovy')['reservedThp(reserve: 22G, overcommit: true)']

        then:
        plan.summary().clean()
        plan.summary().thpSwpout() == 5120                    // 10 GiB, whole
        plan.summary().thpSwpoutFallback() == 0
        plan.summary().lastTouchDone() == marked.summary().lastTouchDone()   // 321 s, as when the script marks it idle
        plan.summary().peakSwapUsedBytes() == marked.summary().peakSwapUsedBytes()
        results['reservedThp(reserve: 22G)'].summary().verdict() == 'new: madvise EAGAIN'
    }

    def "5.4 a reserved fault stalled on a full reserve retries when the holder's memory goes idle (pagefault_out_of_memory() retry): start at #start"() {
        when:
        def r = run('reclaim-stall-retry.groovy', [start: start])

        then:
        r.summary().thpSwpout() == 2048
        r.summary().stalls() == stalls
        r.summary().stallSeconds() == stallSeconds
        r.summary().lastTouchDone() == lastTouchDone

        where:
        start  || stalls | stallSeconds | lastTouchDone
        Duration.ofSeconds(1)  || 1      | 9.002        | 14.0    // until a's idle at 10 s, then one 2 MiB write at 1 GiB/s
        Duration.ofSeconds(11) || 0      | 0.0          | 15.0
    }

    def "5.1 the author's plan on each swap device (cluster_alloc_swap_entry()): #device on #release #outcome"() {
        when:
        def plan = Scenarios.load('hot-upgrade.groovy').with(new Settings([device: device, release: release], null, 0))
                .runAll()['reservedThp(reserve: 22G, overcommit: true)'].summary()

        then:
        plan.thpSwpout() == swpout
        plan.thpSwpoutFallback() == 0
        plan.stalls() == stalls
        Math.abs(plan.lastTouchDone() - done) < 0.05   // the table's figures, to a tenth of a second

        where:
        device | release    || swpout | stalls | done  | outcome
        'ssd'  | 'mainline' || 5120   | 0      | 321.0 | 'fits 22 GB: each of the last 5120 faults waits for one 2 MiB write at 2 GB/s'
        'hdd'  | 'mainline' || 5120   | 0      | 384.3 | 'fits, 63 s later: the same whole writes at 150 MB/s'
        'zram' | 'mainline' || 5120   | 0      | 330.6 | 'fits, 10 s later: compression at 700 MB/s, 3.4 GiB of RAM holding the copies'
        'hdd'  | '6.1'      || 0      | 1      | 610.0 | 'fails: no whole cluster for a THP, and the plan never splits one, so the successor stalls until the old service exits'
    }
}
