// The NUMA finding (rule 50) under each design: on two nodes, a reservation taken at boot lands on node 0
// (rule 8), and a service on node 1 maps its heap from it. HugeTLB's pool is spread over both nodes and a
// fault falls back to the other node's pages (mm/hugetlb.c dequeue_hugetlb_folio_nodemask()); a reserved
// fault tries the local node only, so with quota charged and blocks free on node 0 it stalls, wherever the
// quota was charged (madvise or mmap). Served from HugeTLB's pool (sharedPool), the reserved fault dequeues as a
// HugeTLB fault does and takes node 0's pages once node 1's are gone (rule 60). Hildenbrand's per-node pool
// (memPool) reserves when the file's size is set, on the service's node: spread over both nodes it fails
// there and then with ENOSPC (numa: 'local') or holds node 1's half and node 0's (numa: 'preferred'); sized
// per node where the service runs, every page is local (rules 79-83).
name 'numa-two-nodes'
description 'A service on node 1 maps its 4 GB heap from a 4 GB reservation; the reserved blocks are all on node 0.'

machine {
    memory 16.GB
    nodes 2
}

policies hugetlb(pool: 4.GB),
         reservedThp(reserve: 4.GB),
         reservedThp(reserve: 4.GB, chargeAt: 'mmap'),
         sharedPool(pool: 4.GB),                            // the HugeTLB pool's pages, either node (rule 60)
         zoneNosplit(size: 4.GB),                           // ZONE_NOSPLIT on each node, zonelist order (rule 66)
         memPool(size: 4.GB),                               // 2 GB a node; the file reserves on node 1 only (rule 81)
         memPool(size: 4.GB, numa: 'preferred'),            // ... or node 1's first, then node 0's
         memPool(perNode: [0, 4.GB])                        // the pool sized where the service runs

process('remote', node: 1) {
    def heap = mapHuge 4.GB
    touch heap, 4.GB
}

run until: 60.s, sample: 1.s
