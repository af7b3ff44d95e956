// A stalled fault is retried as the kernel retries VM_FAULT_OOM (the fault returns, the task faults again
// and enters reclaim again): when memory goes idle, the retry finds it unreferenced and swaps it out.
// Reserved THP under the author's overcommit plan: 'b' needs reserved blocks that 'a' holds until 10 s,
// when a's memory goes idle; whatever b's start, its faults go through once a's THPs can be swapped out whole.
name 'reclaim-stall-retry'
description "A reserved fault stalled on a full reserve goes through once the holder's memory goes idle."

def start = param('start', 1.s)

machine {
    memory 16.GB
    swap 16.GB
}

policy reservedThp(reserve: 8.GB, overcommit: true)

process('a') {
    def heap = mapHuge 8.GB
    touch heap, 8.GB
    sleep 10.s
    idle heap, 8.GB
    sleep 60.s
}

process('b', start: start) {
    def heap = mapHuge 4.GB
    touch heap, 4.GB
}

run until: 30.s, sample: 1.s
