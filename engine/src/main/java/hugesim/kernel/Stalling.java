package hugesim.kernel;

/** A body's operation that may be stalled on memory when the run ends (a touch, a file read or write). */
interface Stalling {
    /** The run ended: a stall still going on is recorded as it stands. */
    void runEnded();
}
