// Rules 40-42 (docs/model.md 1.7), mremap of a reserved VMA:
// 40: "addr, old_len, new_len (after page rounding) must be PMD-aligned, and new_addr too when expanding
//     or moving to a fixed/DONTUNMAP target -> else EINVAL."
// 41: "grow in place charges delta = (new_len - old_len) hpages; a move without DONTUNMAP charges the
//     delta (0 for same-size moves); MREMAP_DONTUNMAP charges the whole new_len (the old VMA keeps its own
//     charge and flag). Charge failure -> ENOMEM ... Shrinking unmaps the tail and uncharges it."
// 42: "before the old range is unmapped its reserved flag is cleared so that unmap does not uncharge;
//     pieces of the old VMA left on either side of a partial move get the flag back."
// Scenario S11: reserved 4 MiB VMA, T=8, U=2: grow in place to 6 MiB -> U=3; new_len 5 MiB -> EINVAL;
// MAYMOVE|FIXED to an aligned address, same size -> U=3, old range gone; DONTUNMAP move of 6 MiB -> U=6;
// with T=4 the same DONTUNMAP -> ENOMEM, U=3.
// RFC patch 6/8, mm/mremap.c:
//     check_reserved_thp_alignment(): addr, old_len, new_len PMD-aligned; new_addr too
//             if (vrm->remap_type == MREMAP_EXPAND || vrm_implies_new_addr(vrm))
//     vrm_calc_charge(): hpages = reserved_thp_hpage_nr(0, DONTUNMAP ? vrm->new_len : vrm->delta);
//                        if (reserved_thp_charge(hpages)) { vm_unacct_memory(vrm->charged); return false; }
//     unmap_source_vma(): vm_flags_clear(vma, VM_RESERVED_THP) ... vm_flags_set(prev/next, VM_RESERVED_THP)
// (new_addr with MREMAP_DONTUNMAP but without MREMAP_FIXED: kernel/rule-40-mremap-dontunmap-new-addr.groovy)
name 'rule-40-42-mremap'
description 'mremap of a reserved VMA: PMD alignment, the quota follows the mapping, DONTUNMAP charges the new copy.'

machine {
    memory 8.GB
}

policies reservedThp(reserve: 16.MB),       // T = 8: S11
         reservedThp(reserve: 8.MB)         // T = 4: S11's DONTUNMAP that cannot be charged

String USED = 'kernel/mm/reserved_thp/used_hpages'

process('p') {
    long T = sysfs('kernel/mm/reserved_thp/total_hpages')
    long a = mmap(0, 16.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert munmap(a + 4.MB, 12.MB) == 0                         // leave room above a to grow in place
    assert madvise(a, 4.MB, MADV_RESERVED_THP) == 0
    touch a, 4.MB
    assert sysfs(USED) == 2

    // rule 41: growing in place charges the delta
    assert mremap(a, 4.MB, 6.MB, 0) == a
    assert smaps(a).Size == 6144
    assert sysfs(USED) == 3

    if (T == 4) {
        // rule 41: DONTUNMAP charges new_len = 3 hpages, F = 1: ENOMEM, nothing moves, nothing charged
        assert mremap(a, 6.MB, 6.MB, MREMAP_MAYMOVE | MREMAP_DONTUNMAP) == -ENOMEM
        assert sysfs(USED) == 3
        assert smaps(a).Size == 6144 && smaps(a).AnonHugePages == 4096
        // growing in place by 2 hpages fails the same way
        assert mremap(a, 6.MB, 10.MB, 0) == -ENOMEM
        assert sysfs(USED) == 3
        assert munmap(a, 6.MB) == 0
        assert sysfs(USED) == 0
        exit()
    }

    // rule 41: shrinking unmaps the tail through munmap, which uncharges it; growing again charges
    assert mremap(a, 6.MB, 4.MB, 0) == a
    assert sysfs(USED) == 2
    assert mremap(a, 4.MB, 6.MB, 0) == a
    assert sysfs(USED) == 3

    // rule 40: lengths and addresses must be PMD-aligned
    assert mremap(a, 6.MB, 5.MB, 0) == -EINVAL                  // new_len
    assert mremap(a, 4.MB, 5.MB, MREMAP_MAYMOVE) == -EINVAL     // new_len
    assert mremap(a, 5.MB, 6.MB, MREMAP_MAYMOVE) == -EINVAL     // old_len
    assert mremap(a + 4.KB, 2.MB, 2.MB, MREMAP_MAYMOVE | MREMAP_FIXED, a + 64.MB) == -EINVAL   // addr
    long spare = mmap(0, 6.MB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS)   // a free aligned target
    assert mremap(a, 6.MB, 6.MB, MREMAP_MAYMOVE | MREMAP_FIXED, spare + 4.KB) == -EINVAL     // new_addr
    assert sysfs(USED) == 3 && smaps(a).Size == 6144

    // rules 41, 42: a same-size move charges nothing and the quota follows the mapping
    long b = mremap(a, 6.MB, 6.MB, MREMAP_MAYMOVE | MREMAP_FIXED, spare)
    assert b == spare
    assert smaps(a) == null                                     // the old range is gone
    assert smaps(b).VmFlags.contains('rt')
    assert smaps(b).AnonHugePages == 4096                       // the THPs moved with their PMDs
    assert sysfs(USED) == 3

    // rule 41: DONTUNMAP charges the whole new_len; the old VMA keeps its flag and its charge
    long c = mremap(b, 6.MB, 6.MB, MREMAP_MAYMOVE | MREMAP_DONTUNMAP)
    assert c > 0 && c % 2.MB == 0
    assert sysfs(USED) == 6
    assert smaps(b).VmFlags.contains('rt') && smaps(b).Rss == 0
    assert smaps(c).VmFlags.contains('rt') && smaps(c).AnonHugePages == 4096
    assert munmap(b, 6.MB) == 0
    assert sysfs(USED) == 3

    // rule 42: moving the middle 2 MiB of c: the pieces left on both sides keep VM_RESERVED_THP and
    // their charge, the moved piece takes its own along; nothing is charged or uncharged
    long d = mmap(0, 2.MB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert mremap(c + 2.MB, 2.MB, 2.MB, MREMAP_MAYMOVE | MREMAP_FIXED, d) == d
    assert smaps(d).VmFlags.contains('rt') && smaps(d).Size == 2048 && smaps(d).AnonHugePages == 2048
    assert smaps(c + 2.MB) == null
    assert smaps(c).VmFlags.contains('rt') && smaps(c).Size == 2048
    assert smaps(c + 4.MB).VmFlags.contains('rt') && smaps(c + 4.MB).Size == 2048
    assert sysfs(USED) == 3
    assert munmap(c, 6.MB) == 0                                 // the hole in the middle is skipped
    assert munmap(d, 2.MB) == 0
    assert sysfs(USED) == 0
}

run until: 1.s, sample: 1.s
