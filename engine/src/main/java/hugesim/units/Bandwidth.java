package hugesim.units;

/** A transfer rate in bytes per second, as written by {@code 2.GBps}. */
public record Bandwidth(long bytesPerSecond) {
    public Bandwidth {
        if (bytesPerSecond <= 0) throw new IllegalArgumentException("a bandwidth must be positive, got " + bytesPerSecond + " B/s");
    }

    /** Nanoseconds needed to move {@code bytes}, rounded up so that no transfer is free. */
    public long nanosFor(long bytes) {
        return Math.max(1, (long) Math.ceil(bytes * 1e9 / bytesPerSecond));
    }

    @Override
    public String toString() {
        return Size.format(bytesPerSecond) + "/s";
    }
}
