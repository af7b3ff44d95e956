// The engine's process-count benchmark: ten thousand short-lived processes, a hundred starting each
// second, each mapping and touching one THP, sleeping 10 s and exiting, so about a thousand are alive
// at once. What it measures is what a process costs beyond its model work: its body's thread and the
// hand-offs between the loop and the body. Run it with --set N=1000 beside the default to read the cost
// per added process: `./hugesim bench scenarios/bench/processes-10k.groovy`.
name 'processes-10k'
description 'Ten thousand short processes, a thousand alive at once, one THP each.'

def N = param('N', 10_000)

machine { memory 64.GB }

policy thp()

int RW = PROT_READ | PROT_WRITE
int ANON = MAP_PRIVATE | MAP_ANONYMOUS

N.times { n ->
    process("p$n", start: n.intdiv(100).s) {
        long a = mmap(0, 2.MB, RW, ANON)
        madvise(a, 2.MB, MADV_HUGEPAGE)
        touch a, 2.MB
        sleep 10.s
        exit()
    }
}

run until: (N.intdiv(100) + 20).s, sample: 1.s
