// Hildenbrand: "anything that's not NUMA or memcg aware will be a broken concept". Two tenants share a 16 GB
// pool (memPool, docs/model.md 9); the batch tenant asks for 12 GB, more than its share, before the web
// tenant starts. Each tenant's memory.pool.max caps what its files may reserve (rule 82): with the limits the
// batch tenant's ftruncate fails with ENOMEM and the web tenant gets its 8 GB; without them the first comer
// takes 12 GB and the web tenant's ftruncate fails with ENOSPC. The posted Reserved THP has one global quota
// and no such limit (rule 17).
name 'pool-tenants'
description 'Two tenants share a 16 GB pool; memory.pool.max keeps the greedy one from taking the other\'s share.'

def limited = param('limited', true)

machine {
    memory 64.GB
}

policy memPool(size: 16.GB)

process('batch', cgroup: 'batch') {
    if (limited) cgroup 'batch/memory.pool.max', 8.GB
    def heap = mapHuge 12.GB
    touch heap, 12.GB
}

process('web', cgroup: 'web', start: 10.s) {
    if (limited) cgroup 'web/memory.pool.max', 8.GB
    def heap = mapHuge 8.GB
    touch heap, 8.GB
}

run until: 60.s, sample: 1.s
