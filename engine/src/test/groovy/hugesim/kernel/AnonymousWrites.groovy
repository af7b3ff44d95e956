package hugesim.kernel

import hugesim.mm.Fault
import hugesim.mm.vma.Vma

import static hugesim.uapi.Mman.MAP_ANONYMOUS
import static hugesim.uapi.Mman.MAP_PRIVATE
import static hugesim.uapi.Mman.PROT_READ
import static hugesim.uapi.Mman.PROT_WRITE
import static hugesim.units.Size.MB

/**
 * For engine specifications that drive one task's anonymous memory through the fault path directly: the
 * specification's {@code k} and {@code t} are the kernel and the task.
 */
trait AnonymousWrites {
    abstract Kernel getK()

    abstract Task getT()

    /** A private anonymous read-write mapping of {@code len}. */
    long map(long len) { t.mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS) }

    /** A write fault at {@code addr}: its window is faulted as handle_mm_fault() would (a Fault code). */
    int write(long addr) {
        Vma v = t.mm.find(addr)
        k.memory.fault(t.mm, v, v.slotOf(addr), true, {}, false)
    }

    /** Every PMD window of [addr, addr + len) written, each fault done at once. */
    void writeAll(long addr, long len) {
        for (long a = addr; a < addr + len; a += 2 * MB) assert write(a) == Fault.DONE
    }
}
