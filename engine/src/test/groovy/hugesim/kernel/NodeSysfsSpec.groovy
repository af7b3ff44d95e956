package hugesim.kernel

import hugesim.mm.Geometry
import hugesim.record.Event
import hugesim.sim.Environment
import hugesim.uapi.Errno
import spock.lang.Specification

import static hugesim.units.Size.GB

/**
 * The per-node HugeTLB files of a booted two-node machine: /sys/devices/system/node/nodeN/hugepages/
 * hugepages-&lt;size&gt;kB/{nr,free,surplus}_hugepages (mm/hugetlb_sysfs.c per_node_hstate_attrs) and
 * nodeN/meminfo's HugePages lines (hugetlb_report_node_meminfo()), next to the global files.
 */
class NodeSysfsSpec extends Specification {
    static final String NODE = 'devices/system/node/node'
    static final String H2M = '/hugepages/hugepages-2048kB/'
    static final String G2M = 'kernel/mm/hugepages/hugepages-2048kB/'

    List<Event> events = []

    Kernel boot(String cmdline = '') {
        Kernel.boot(new Environment(10_000_000_000L), new MachineConfig(8 * GB, 2, 0, MachineConfig.DEFAULT_SWAP_BANDWIDTH,
                MachineConfig.DEFAULT_SWAP_BANDWIDTH, false, MachineConfig.DEFAULT_MIGRATE, cmdline, Geometry.X86_64), events)
    }

    static String node(Kernel k, int n, String file) { k.views.sysfs("/sys/${NODE}${n}${H2M}${file}") }

    def "hugepages=0:2,1:3: each node's nr_hugepages and free_hugepages show its boot pages, the global file their sum"() {
        when:
        def k = boot('hugepages=0:2,1:3')

        then:
        node(k, 0, 'nr_hugepages') == '2'
        node(k, 1, 'nr_hugepages') == '3'
        node(k, 1, 'free_hugepages') == '3'
        node(k, 1, 'surplus_hugepages') == '0'
        k.views.sysfs(G2M + 'nr_hugepages') == '5'
    }

    def "writing node 1's nr_hugepages grows node 1 only, from node 1's memory; the global count follows"() {
        given:
        def k = boot('hugepages=0:2,1:3')
        long free0 = k.m.pages.zone(0).freePages(), free1 = k.m.pages.zone(1).freePages()

        expect:
        k.views.sysfsWrite("${NODE}1${H2M}nr_hugepages", '8') == 0
        node(k, 1, 'nr_hugepages') == '8'
        node(k, 0, 'nr_hugepages') == '2'
        k.views.sysfs(G2M + 'nr_hugepages') == '10'
        k.views.sysctl('vm.nr_hugepages') == 10
        k.m.pages.zone(1).freePages() == free1 - 5 * 512
        k.m.pages.zone(0).freePages() == free0

        and: 'shrinking node 0 to 0 frees node 0 pages only'
        k.views.sysfsWrite("${NODE}0${H2M}nr_hugepages", '0') == 0
        node(k, 0, 'nr_hugepages') == '0'
        node(k, 1, 'nr_hugepages') == '8'
        k.m.pages.zone(0).freePages() == free0 + 2 * 512
    }

    def "the global nr_hugepages interleaves a write over the nodes (node_states[N_MEMORY], next_nid_to_alloc)"() {
        given:
        def k = boot()

        expect:
        k.views.sysctl('vm.nr_hugepages', 5) == 0
        [node(k, 0, 'nr_hugepages'), node(k, 1, 'nr_hugepages')] == ['3', '2']
        k.views.sysfsWrite(G2M + 'nr_hugepages', '1') == 0
        [node(k, 0, 'nr_hugepages'), node(k, 1, 'nr_hugepages')] == ['1', '0']
    }

    def "free_hugepages and surplus_hugepages are 0444: a write cannot open them (-EACCES); a node has no resv or overcommit file"() {
        given:
        def k = boot('hugepages=0:2,1:3')

        expect:
        k.views.sysfsWrite("${NODE}1${H2M}free_hugepages", '1') == -Errno.EACCES
        k.views.sysfsWrite("${NODE}1${H2M}surplus_hugepages", '1') == -Errno.EACCES
        k.views.sysfsWrite("${NODE}1/meminfo", '1') == -Errno.EACCES
        k.views.sysfsWrite("${NODE}1${H2M}nr_overcommit_hugepages", '1') == -Errno.ENOENT
        k.views.sysfsWrite("${NODE}1${H2M}resv_hugepages", '1') == -Errno.ENOENT
        k.views.sysfsWrite("${NODE}2${H2M}nr_hugepages", '1') == -Errno.ENOENT
        node(k, 1, 'free_hugepages') == '3'
    }

    def "nr_hugepages takes what kstrtoul() takes: '#value' gives #ret"() {
        given:
        def k = boot('hugepages=0:2,1:3')

        expect:
        k.views.sysfsWrite("${NODE}1${H2M}nr_hugepages", value) == ret
        node(k, 1, 'nr_hugepages') == after

        where:
        value                    | ret            | after
        '4'                      | 0              | '4'
        '+4'                     | 0              | '4'
        '-1'                     | -Errno.EINVAL  | '3'
        '4x'                     | -Errno.EINVAL  | '3'
        '99999999999999999999'   | -Errno.ERANGE  | '3'
    }

    def "a node's directory has no file for a node the machine lacks"() {
        when:
        boot().views.sysfs("${NODE}2${H2M}nr_hugepages")

        then:
        thrown(IllegalArgumentException)
    }

    def "nodeN/meminfo ends with hugetlb_report_node_meminfo()'s lines for the default hstate"() {
        given:
        def k = boot('hugepages=0:2,1:3')
        k.views.sysfsWrite(G2M + 'nr_overcommit_hugepages', '1')

        when:
        String text = k.views.sysfs("/sys/${NODE}1/meminfo")
        def lines = text.readLines()

        then:
        lines[0] ==~ /Node 1 MemTotal: +\d+ kB/
        lines[-3..-1] == ['Node 1 HugePages_Total:     3', 'Node 1 HugePages_Free:      3', 'Node 1 HugePages_Surp:      0']
    }

    def "1 GiB pages per node: hugepagesz=1G hugepages=0:1,1:1; shrinking node 1 gives the memblock page back to node 1"() {
        given:
        def k = boot('hugepagesz=1G hugepages=0:1,1:1')
        String g = "${NODE}1/hugepages/hugepages-1048576kB/nr_hugepages"
        long managed1 = k.m.pages.zone(1).managedPages(), managed0 = k.m.pages.zone(0).managedPages()

        expect:
        k.views.sysfs(g) == '1'
        k.views.sysfsWrite(g, '0') == 0
        k.views.sysfs(g) == '0'
        k.views.sysfs('kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages') == '1'
        k.m.pages.zone(1).managedPages() == managed1 + 512 * 512
        k.m.pages.zone(0).managedPages() == managed0
    }
}
