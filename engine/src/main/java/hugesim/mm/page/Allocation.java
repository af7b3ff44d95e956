package hugesim.mm.page;

import hugesim.mm.Fault;

/**
 * What __alloc_pages() came to. {@link Status#OK}: {@code handle} is the PMD-order block
 * ({@code node << 32 | block}), or {@code pages} order-0 pages were taken on {@code node}, placed as
 * {@code runs} ({@link PageRuns}; their offsets count the pages in the order taken); the caller waits
 * {@code stallNanos} before using it. Otherwise nothing was allocated and the status says what the slow path did.
 * {@code compacted}: the slow path ran direct compaction (a compact_stall), whose migrations took {@code stallNanos}.
 */
public record Allocation(Status status, long handle, int node, long pages, long[] runs, long stallNanos, boolean compacted) {
    public Allocation(Status status, long handle, int node, long pages, long[] runs) {
        this(status, handle, node, pages, runs, 0, false);
    }

    /** The same outcome, after direct compaction whose migrations took {@code nanos}. */
    Allocation compacted(long nanos) { return new Allocation(status, handle, node, pages, runs, nanos, true); }

    public enum Status {
        OK,
        /** No memory, nothing started: the caller falls back or fails. */
        FAILED,
        /** Direct reclaim started (swap I/O in flight) or a victim was killed: the request's retry runs later. */
        WAIT,
        /** Nothing to reclaim and no victim: the retry runs when memory is freed. */
        STALL,
        /** The OOM killer chose the caller itself. */
        KILLED;

        /**
         * What a fault's order-0 allocation that may reclaim came to, as a {@link Fault} code (VM_FAULT_OOM
         * is the slow path's OOM kill); such a request never just fails.
         */
        public int fault() {
            return switch (this) {
                case OK -> Fault.DONE;
                case WAIT -> Fault.WAIT;
                case STALL -> Fault.STALL;
                case KILLED -> Fault.KILLED;
                case FAILED -> throw new IllegalStateException("an order-0 allocation that may reclaim does not just fail");
            };
        }
    }

    static final Allocation FAILED = new Allocation(Status.FAILED, -1, -1, 0, PageRuns.NONE);

    static Allocation of(Status s) { return s == Status.FAILED ? FAILED : new Allocation(s, -1, -1, 0, PageRuns.NONE); }

    public boolean ok() { return status == Status.OK; }
}
