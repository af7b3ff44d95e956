// Scenario S25 (docs/model.md section 6): with the author's plan (overcommit, cold reserved THPs
// swapped out whole), what happens when the old process touches a THP that went to swap? "Swap-in is not
// guaranteed" (the author's reply); the outcome is a choice of the policy:
//   swapIn 'fallback' (default, mainline do_swap_page): back as 4 KiB ordinary pages, at once; khugepaged,
//                  on its next scan (at 20 s: every scan_sleep_millisecs = 10 s from the first reserved fault),
//                  collapses them into an ordinary THP outside the reserve (rule 51, docs/model.md 3.6);
//   swapIn 'wait': back whole into a reserved block; none is free and none is cold, so the fault
//                  stalls until the new process exits;
//   swapIn 'fail': VM_FAULT_OOM until the range is unmapped.
name 's25-reserved-thp-swap-in'
description 'A swapped-out reserved THP is touched again: 4 KiB fallback, wait for a block, or fail.'

machine {
    memory 1.GB
    swap 64.MB, write: 1.GBps, read: 1.GBps
}

policies reservedThp(reserve: 8.MB, overcommit: true),
         reservedThp(reserve: 8.MB, overcommit: true, swapIn: 'wait'),
         reservedThp(reserve: 8.MB, overcommit: true, swapIn: 'fail')

process('old') {
    def heap = mapHuge 8.MB
    touch heap, 8.MB
    idle heap, 8.MB                   // all four THPs go cold
    sleep 10.s
    touch heap, 2.MB                  // by now the new process has had all four swapped out
    sleep 100.s
}

process('new', start: 1.s) {
    def heap = mapHuge 8.MB
    touch heap, 8.MB                  // no free reserved block: each fault swaps a cold one out whole
    sleep 19.s
    exit()
}

run until: 60.s, sample: 1.s
