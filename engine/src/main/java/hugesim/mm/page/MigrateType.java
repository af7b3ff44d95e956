package hugesim.mm.page;

/**
 * Pageblock migratetypes in the kernel's order (include/linux/mmzone.h), with the RFC's
 * MIGRATE_RESERVED_THP placed after CMA and before ISOLATE (RFC patch 1/8, rule 10).
 */
public enum MigrateType {
    UNMOVABLE("Unmovable"),
    MOVABLE("Movable"),
    RECLAIMABLE("Reclaimable"),
    HIGHATOMIC("HighAtomic"),
    CMA("CMA"),
    RESERVED_THP("ReserveTHP"),
    ISOLATE("Isolate");

    public static final MigrateType[] VALUES = values();

    /** The name /proc/pagetypeinfo prints. */
    public final String procName;

    MigrateType(String procName) {
        this.procName = procName;
    }
}
