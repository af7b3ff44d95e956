package hugesim.mm.filemap;

import hugesim.mm.swap.SwapKind;
import hugesim.units.Bandwidth;

/**
 * The disk that files live on (a block device under a filesystem): reads and writes queue one after
 * another at its bandwidth. Simplification: it is not the swap device, so file and swap I/O do not
 * compete, and there is no seek cost.
 */
public final class Disk {
    /** What the machine has: {@code disk 'hdd', read: 200.MBps}. */
    public record Spec(SwapKind kind, Bandwidth read, Bandwidth write) {
        public Spec {
            if (kind == SwapKind.ZRAM) throw new IllegalArgumentException("a file system's disk is 'ssd' or 'hdd', not 'zram'");
        }

        /** A disk of this kind at its usual rates. */
        public static Spec of(SwapKind kind) { return new Spec(kind, kind.read, kind.write); }

        /** The default: an SSD. */
        public static final Spec SSD = of(SwapKind.SSD);
    }

    public final Spec spec;
    private long busyUntil;

    public Disk(Spec spec) {
        this.spec = spec;
    }

    /** When a read of {@code bytes} queued at {@code now} completes. */
    public long read(long now, long bytes) {
        busyUntil = Math.max(now, busyUntil) + spec.read().nanosFor(bytes);
        return busyUntil;
    }

    /** When a write of {@code bytes} queued at {@code now} completes. */
    public long write(long now, long bytes) {
        busyUntil = Math.max(now, busyUntil) + spec.write().nanosFor(bytes);
        return busyUntil;
    }
}
