package hugesim.mm.vma

import hugesim.kernel.MachineConfig
import hugesim.kernel.Task
import hugesim.mm.Geometry
import hugesim.policy.ThpPolicy
import hugesim.scenario.ProcessSpec
import hugesim.scenario.Runner
import hugesim.scenario.Scenario
import hugesim.uapi.Errno
import spock.lang.Specification

import static hugesim.uapi.Mman.*
import static hugesim.units.Size.GB
import static hugesim.units.Size.MB
import static hugesim.units.Time.S
import hugesim.mm.mmap.Stack

/**
 * Stack growth (expand_downwards()) seen by kernel-initiated faults. Scenario bodies have one thread, and the
 * user fault that grows a reserved stack to an unaligned vm_start never completes (rule 44), so here the
 * growth is done the way a second thread's fault would do it, and the first thread populates.
 */
class StackSpec extends Specification {
    static final long KB4 = 4096

    Map<String, Object> seen = [:]

    void runBody(Closure body) {
        def machine = new MachineConfig(1 * GB, 1, 0, MachineConfig.DEFAULT_SWAP_BANDWIDTH,
                MachineConfig.DEFAULT_SWAP_BANDWIDTH, false, MachineConfig.DEFAULT_MIGRATE, 'thp_reserved_nr=4', Geometry.X86_64)
        def p = new ProcessSpec('stack', 0, { Task t -> body(t) } as ProcessSpec.Body, false)
        def policy = new ThpPolicy()
        Runner.run(new Scenario('stack', 'test', machine, [policy], [p], 1 * S, S, 1), policy)
    }

    def "rule 44: MADV_POPULATE_WRITE in a reserved stack grown to an unaligned vm_start gets ENOMEM for the straddling window"() {
        when:
        runBody { Task t ->
            long a = t.mmap(0, 2 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN)
            seen.reserve = t.madvise(a, 2 * MB, MADV_RESERVED_THP)
            Vma grown = t.kernel().stack.expandStack(t.mm, a - KB4)       // another thread's fault
            seen.start = grown.start - a
            seen.straddling = t.madvise(a - KB4, KB4, MADV_POPULATE_WRITE)
            seen.inside = t.madvise(a, 2 * MB, MADV_POPULATE_WRITE)
            seen.used = t.kernel().m.rthp.used()
        }

        then:
        seen.reserve == 0
        seen.start == -KB4
        seen.straddling == -Errno.ENOMEM
        seen.inside == 0
        seen.used == 1
    }

    def "expand_stack() grows only VM_GROWSDOWN VMAs, and only up to RLIMIT_STACK"() {
        when:
        runBody { Task t ->
            long plain = t.mmap(0, 2 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
            seen.plain = t.kernel().stack.expandStack(t.mm, plain - KB4)
            long s = t.mmap(plain - 64 * MB, 2 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_GROWSDOWN)
            seen.tooFar = t.kernel().stack.expandStack(t.mm, s + 2 * MB - Stack.RLIMIT_STACK - KB4)
            seen.limit = t.kernel().stack.expandStack(t.mm, s + 2 * MB - Stack.RLIMIT_STACK)?.length()
        }

        then:
        seen.plain == null
        seen.tooFar == null
        seen.limit == Stack.RLIMIT_STACK
    }
}
