// Runs on a stock kernel: hugesim kernel-check replays it on the distribution kernel, where it agrees.
// Shared memory and its THPs (docs/model.md 3.7), as 6.1 keeps them:
// - a memfd's pages are its page cache (Shmem, part of Cached); shmem_enabled defaults to never: 4 KiB folios;
// - shmem_enabled=always: a THP per PMD-sized stretch (thp_file_alloc, ShmemHugePages), mapped by a PMD
//   (do_set_pmd(): thp_file_mapped; ShmemPmdMapped counts a THP while any PMD maps it);
// - within_size: a THP only for a stretch i_size covers whole (shmem_is_huge());
// - fork's child maps the file's own pages: nothing is allocated or copied;
// - a partial munmap zaps the file PMD (thp_split_pmd) and the THP stays whole in the file;
// - ftruncate frees the stretches past the new size; a file of /dev/shm (shm_open, tmpfs huge=never) is shared
//   by a second process and outlives both until shm_unlink(); remounted huge=always, it gives THPs.
name 'shmem-thp'
description 'memfd, shared anonymous and /dev/shm memory: 4 KiB folios by default, THPs under shmem_enabled, shared by fork and by name.'

machine {
    memory 1.GB
}

policy thp()

int RW = PROT_READ | PROT_WRITE

process('p') {
    long shmem0 = meminfo('Shmem')

    // shmem_enabled=never (the default): 4 KiB folios
    assert sysfs('kernel/mm/transparent_hugepage/shmem_enabled') == 'always within_size advise [never] deny force'
    int fd = memfd_create('small', 0)
    assert ftruncate(fd, 4.MB) == 0
    long a = mmap(0, 4.MB, RW, MAP_SHARED, fd, 0)
    touch a, 4.MB
    assert meminfo('Shmem') == shmem0 + 4096
    assert meminfo('ShmemHugePages') == 0
    assert vmstat('thp_file_alloc') == 0

    // ftruncate to 2 MiB: the second stretch goes
    assert ftruncate(fd, 2.MB) == 0
    assert meminfo('Shmem') == shmem0 + 2048
    assert munmap(a, 4.MB) == 0
    assert close(fd) == 0
    assert meminfo('Shmem') == shmem0               // the memfd's last reference went

    // shmem_enabled=always: two THPs, each mapped by a PMD
    assert sysfs('kernel/mm/transparent_hugepage/shmem_enabled', 'always') == 0
    fd = memfd_create('huge', 0)
    assert ftruncate(fd, 4.MB) == 0
    long b = mmap(0, 4.MB, RW, MAP_SHARED, fd, 0)
    touch b, 4.MB
    assert vmstat('thp_file_alloc') == 2
    assert vmstat('thp_file_mapped') == 2
    assert meminfo('ShmemHugePages') == 4096
    assert meminfo('ShmemPmdMapped') == 4096
    assert meminfo('AnonHugePages') == 0
    assert smaps(b).Rss == 4096

    // fork: the child maps the same THPs by PMDs of its own, nothing new is allocated
    fork {
        touch b, 4.MB
        assert vmstat('thp_file_alloc') == 2
        assert vmstat('thp_file_mapped') == 4
        assert meminfo('Shmem') == shmem0 + 4096
        sleep 200.ms
        exit()
    }
    sleep 100.ms

    // a partial munmap zaps the first PMD; the THP stays in the file, mapped by the child
    assert munmap(b, 1.MB) == 0
    assert vmstat('thp_split_pmd') == 1
    assert meminfo('ShmemHugePages') == 4096
    assert meminfo('ShmemPmdMapped') == 4096
    assert close(fd) == 0

    // within_size: a 3 MiB file gets a THP for its first stretch only
    assert sysfs('kernel/mm/transparent_hugepage/shmem_enabled', 'within_size') == 0
    fd = memfd_create('within', 0)
    assert ftruncate(fd, 3.MB) == 0
    long c = mmap(0, 4.MB, RW, MAP_SHARED, fd, 0)
    touch c, 3.MB
    assert vmstat('thp_file_alloc') == 3
    assert meminfo('ShmemHugePages') == 6144
    assert meminfo('Shmem') == shmem0 + 4096 + 3072

    // a shared anonymous mapping is a shmem object of its own, gone with the mapping
    assert sysfs('kernel/mm/transparent_hugepage/shmem_enabled', 'always') == 0
    long d = mmap(0, 2.MB, RW, MAP_SHARED | MAP_ANONYMOUS)
    touch d, 2.MB
    assert vmstat('thp_file_alloc') == 4
    assert munmap(d, 2.MB) == 0
    assert meminfo('ShmemHugePages') == 6144

    // /dev/shm: tmpfs mounted huge=never, whatever shmem_enabled says (but deny and force)
    int s = shm_open('/hugesim-db', O_CREAT | O_RDWR)
    assert ftruncate(s, 2.MB) == 0
    long e = mmap(0, 2.MB, RW, MAP_SHARED, s, 0)
    touch e, 2.MB
    assert vmstat('thp_file_alloc') == 4
    assert meminfo('Shmem') == shmem0 + 4096 + 3072 + 2048
    sleep 200.ms
    exit()
}

process('q') {
    sleep 150.ms
    // a second process maps the same /dev/shm file: its pages are there already
    long shmem = meminfo('Shmem')
    int s = shm_open('/hugesim-db', O_RDWR)
    assert s >= 0
    long e = mmap(0, 2.MB, RW, MAP_SHARED, s, 0)
    touch e, 2.MB
    assert meminfo('Shmem') == shmem
    assert close(s) == 0
    exit()
}

process('r') {
    sleep 500.ms
    // p, its child and q are gone: the memfds went with them, the /dev/shm file stays until its name goes
    assert meminfo('ShmemHugePages') == 0
    long shmem = meminfo('Shmem')
    assert shm_unlink('/hugesim-db') == 0
    assert meminfo('Shmem') == shmem - 2048
    assert shm_unlink('/hugesim-db') == -ENOENT

    // remounted huge=always, /dev/shm gives THPs too; the mount takes only huge='s four values
    assert remount('/dev/shm', 'huge=always') == 0
    assert remount('/dev/shm', 'huge=sometimes') == -EINVAL
    int s = shm_open('/hugesim-huge', O_CREAT | O_RDWR)
    assert ftruncate(s, 2.MB) == 0
    long e = mmap(0, 2.MB, RW, MAP_SHARED, s, 0)
    touch e, 2.MB
    assert vmstat('thp_file_alloc') == 5
    assert meminfo('ShmemPmdMapped') == 2048
    assert munmap(e, 2.MB) == 0
    assert close(s) == 0
    assert shm_unlink('/hugesim-huge') == 0
    assert meminfo('ShmemHugePages') == 0
}

run until: 1.s, sample: 100.ms
