// A database's shared buffers (docs/model.md 3.7): the postmaster maps them shared, as PostgreSQL maps its main
// segment, and every backend it forks reads and writes all of them. Shared memory is shmem: a fork child maps the
// file's own pages, nothing is copied, and each process faults them into page tables of its own. With
// shmem_enabled=never each process needs a PTE table per 2 MiB it maps (2 MiB of tables per GiB of buffers);
// with shmem_enabled=always a PMD maps each 2 MiB THP and no PTE table is needed at all (do_set_pmd() deposits none).
// `hugesim kernel-check` can replay it under asBooted() with the same sysfs write (see scenarios/kernel/shmem-thp.groovy).
name 'shared-buffers'
description 'Shared buffers in shmem: every backend maps the same pages; THPs spare each process its PTE tables.'

machine { memory 4.GB }
policies shmemThp(enabled: 'never'), shmemThp(enabled: 'always')

int BACKENDS = 8

process('postmaster') {
    long buffers = mapHuge 1.GB
    touch buffers, 1.GB
    BACKENDS.times { n ->
        fork("backend${n}") {
            touch buffers, 1.GB
            sleep 10.s
            exit()
        }
    }
    sleep 1.s
    // nine processes map the buffers, which are there once
    assert meminfo('Shmem') == 1024 * 1024
    if (sysfs('kernel/mm/transparent_hugepage/shmem_enabled').contains('[always]')) {
        assert meminfo('ShmemPmdMapped') == 1024 * 1024
        assert meminfo('PageTables') == 9 * 4                     // a PMD table per process, no PTE table
    } else {
        assert meminfo('ShmemHugePages') == 0
        assert meminfo('PageTables') == 9 * (512 + 1) * 4         // 512 PTE tables and a PMD table of 4 kB per process
    }
    sleep 20.s
    exit()
}

run until: 30.s, sample: 1.s
