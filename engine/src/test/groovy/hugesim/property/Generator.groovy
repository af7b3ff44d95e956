package hugesim.property

import groovy.transform.CompileStatic

/**
 * Draws sequences: 2-4 processes (and up to {@link #MAX_SLOTS} with fork children), 4-52 ops, each op a
 * process that has not exited yet and a kind drawn by {@link OpKind#weight} among the kinds the engine
 * offers (an op may ask for a follow-up, drawn next: MADV_RESERVED_THP on a new stack). A third of the
 * sequences run on two NUMA nodes, with each process on one of them; only these draw the NUMA ops
 * (migrate_pages, a node's nr_hugepages). Everything follows from (seed, index), so a sequence can be drawn
 * again from its origin.
 */
@CompileStatic
final class Generator implements Gen {
    static final int MAX_SLOTS = 6
    static final int MAX_OPS = 52

    final Random random
    final Random designs
    final Random files
    final Random shmem
    private int nextId
    private int slots
    private final Map<Integer, List<Integer>> mapsOf = [:]
    private final Map<Integer, Integer> pagesOf = [:]
    private final List<Integer> live = []
    private final Set<Integer> stacks = [] as Set
    private final List<Op> pending = []
    private final Map<Integer, Integer> nodeOf = [:]
    private int nodes = 1

    private Generator(Random random, Random designs, Random files, Random shmem) {
        this.random = random
        this.designs = designs
        this.files = files
        this.shmem = shmem
    }

    /** Sequence {@code index} of the run seeded {@code seed}. */
    static Sequence draw(long seed, long index) {
        Random r = new Random(seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + 1)
        // the machine's nodes from a stream of their own: the one-node sequences stay those drawn before there were two
        Random numa = new Random(seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + 2)
        // every third sequence also draws the designs' calls (docs/model.md section 7), from a stream of its own
        // so that its other draws, and the other sequences, stay those drawn before the designs
        Random designs = index % 3 == 2 ? new Random(seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + 3) : null
        // every fifth sequence also reads and writes files (docs/model.md 5.6), from a stream of its own
        Random files = index % 5 == 3 && !Model.WITHOUT.contains('FILES') ? new Random(seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + 4) : null
        // every fourth sequence also maps shared anonymous memory (shmem, docs/model.md 3.7), from a stream of its own
        Random shmem = index % 4 == 2 && !Model.WITHOUT.contains('SHMEM') ? new Random(seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + 6) : null
        Sequence seq = new Generator(r, designs, files, shmem).sequence("seed ${seed}, sequence ${index}".toString(), numa)
        // every sixth sequence serves its reserved THPs from HugeTLB's pool (sharedPool, docs/model.md 7.2): the
        // same draws under that design, so the other sequences stay those drawn before it
        if (index % 6 == 1 && !Model.WITHOUT.contains('SHARED')) seq = seq.withShared(true)
        // and every sixth, another, runs the zoneNosplit design (docs/model.md 7.3): a NoSplit zone, no reserved
        // pageblocks (its reserved calls fail on a quota of 0); the same draws, the others stay as they were
        if (index % 6 == 3 && !Model.WITHOUT.contains('NOSPLIT')) seq = seq.withNosplit(true)
        // and every sixth, a third, runs the memPool design (docs/model.md 9): HugeTLB's pool alone, and the
        // mappings the designs' stream drew with MAP_RESERVED_THP are pool files (index % 6 == 5 draws that stream)
        if (index % 6 == 5 && !Model.WITHOUT.contains('POOL')) seq = seq.withPool()
        // a quarter swap to zram (freed once written, memory for the compressed copies) and a quarter to a
        // rotational disk on 6.1 (every THP split): the same draws on another device (docs/model.md 5.1)
        // every seventh, another, runs its processes in memory cgroups with limits (docs/model.md 8), drawn from a
        // stream of its own: the same ops, the other sequences as they were
        if (index % 7 == 4 && !Model.WITHOUT.contains('MEMCG')) {
            seq = seq.withMemcg(MemcgDraw.draw(new Random(seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + 5), seq.procs))
        }
        if (!Model.WITHOUT.contains('DEVICES')) {
            if (index % 4 == 1) seq = seq.withSwap('zram')
            else if (index % 4 == 3) seq = seq.withSwap('hdd')
        }
        seq
    }

    private Sequence sequence(String origin, Random numa) {
        int procs = 2 + random.nextInt(3)
        boolean overcommit = random.nextInt(5) == 0
        boolean always = random.nextInt(4) == 0
        long memory = random.nextInt(3) == 0 ? 96 * Model.MB : Model.MEMORY
        int reserved = random.nextInt(3) == 0 ? 4 : Model.RESERVED
        // a third on two NUMA nodes (the same memory, split evenly), each process on node 0 or 1
        nodes = numa.nextInt(3) == 0 && !Model.WITHOUT.contains('NUMA') ? 2 : 1
        int onNode1 = nodes > 1 ? numa.nextInt(1 << procs) : 0
        slots = procs
        for (int p = 0; p < procs; p++) {
            live << p
            mapsOf[p] = []
            nodeOf[p] = (onNode1 >> p) & 1
        }
        List<OpKind> kinds = OpKind.drawable().findAll { OpKind k -> nodes > 1 || !k.numa }
        int totalWeight = (int) kinds.sum { OpKind k -> k.weight }
        int n = 4 + random.nextInt(MAX_OPS - 3)
        List<Op> ops = []
        for (int i = 0; i < n && !live.isEmpty(); i++) {
            if (!pending.isEmpty()) {
                Op f = pending.remove(0)
                if (live.contains(f.proc)) {
                    ops << f.with(slot: i)
                    continue
                }
            }
            int p = live[random.nextInt(live.size())]
            int w = random.nextInt(totalWeight)
            OpKind kind = kinds[0]
            for (OpKind k : kinds) {
                if (w < k.weight) { kind = k; break }
                w -= k.weight
            }
            Op op = kind.generate(this, p)
            if (op == null) op = OpKind.MMAP.generate(this, p)
            if (files != null && !live.isEmpty() && files.nextInt(4) == 0) {
                // a file call by a process of the files' own choosing, in the op's place; the op follows it
                pending.add(0, op)
                op = OpKind.FILE.generate(this, live[files.nextInt(live.size())])
            }
            ops << op.with(slot: i)
        }
        new Sequence(procs, overcommit, always, ops, origin, memory, reserved, nodes, onNode1)
    }

    int nextMapId() { nextId++ }

    List<Integer> maps(int proc) { mapsOf[proc] ?: [] }

    int pages(int map) { pagesOf[map] }

    void mapped(int proc, int map, int pages, boolean huge) {
        mapsOf[proc] << map
        pagesOf[map] = pages
    }

    void exited(int proc) { live.remove((Object) proc) }

    void stack(int map) { stacks << map }

    boolean isStack(int map) { stacks.contains(map) }

    void follow(Op op) { pending << op }

    int forked(int parent) {
        if (slots >= MAX_SLOTS) return -1
        int child = slots++
        mapsOf[child] = new ArrayList<Integer>(mapsOf[parent])
        live << child
        nodeOf[child] = nodeOf[parent]
        child
    }

    int nodes() { nodes }

    int node(int proc) { nodeOf[proc] ?: 0 }

    List<Integer> live() { live }

    int slotCount() { slots }
}
