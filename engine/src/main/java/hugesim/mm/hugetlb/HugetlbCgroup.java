package hugesim.mm.hugetlb;

import java.util.HashMap;
import java.util.Map;

/**
 * A cgroup v2 hugetlb controller (mm/hugetlb_cgroup.c) for one cgroup: per huge page size, a fault
 * limit ({@code hugetlb.<size>.max}: a fault over it is SIGBUS) and a reservation limit
 * ({@code hugetlb.<size>.rsvd.max}: an mmap over it fails), with their current usage and max events.
 */
public final class HugetlbCgroup {
    private static final class Counters {
        long max = Long.MAX_VALUE, rsvdMax = Long.MAX_VALUE, current, rsvdCurrent, maxEvents;
    }

    public final String name;
    private final Map<Long, Counters> bySize = new HashMap<>();

    public HugetlbCgroup(String name) {
        this.name = name;
    }

    private Counters of(long size) {
        return bySize.computeIfAbsent(size, s -> new Counters());
    }

    public boolean tryCharge(long size, long bytes) {
        Counters c = of(size);
        if (c.current + bytes > c.max) {
            c.maxEvents++;
            return false;
        }
        c.current += bytes;
        return true;
    }

    public void uncharge(long size, long bytes) { of(size).current -= bytes; }

    public boolean tryChargeRsvd(long size, long bytes) {
        Counters c = of(size);
        if (c.rsvdCurrent + bytes > c.rsvdMax) {
            // __hugetlb_cgroup_charge_cgroup() raises the same "max" event for either counter
            c.maxEvents++;
            return false;
        }
        c.rsvdCurrent += bytes;
        return true;
    }

    public void unchargeRsvd(long size, long bytes) { of(size).rsvdCurrent -= bytes; }

    /** A file of the controller, e.g. {@code max}, {@code rsvd.current}, {@code events} for one size. */
    public long read(long size, String file) {
        Counters c = of(size);
        return switch (file) {
            case "max" -> c.max;
            case "rsvd.max" -> c.rsvdMax;
            case "current" -> c.current;
            case "rsvd.current" -> c.rsvdCurrent;
            case "events" -> c.maxEvents;
            default -> throw new IllegalArgumentException("no hugetlb cgroup file '" + file + "'; known: max, rsvd.max, current, rsvd.current, events");
        };
    }

    public void write(long size, String file, long value) {
        Counters c = of(size);
        switch (file) {
            case "max" -> c.max = value;
            case "rsvd.max" -> c.rsvdMax = value;
            default -> throw new IllegalArgumentException("hugetlb cgroup file '" + file + "' is not writable; writable: max, rsvd.max");
        }
    }
}
