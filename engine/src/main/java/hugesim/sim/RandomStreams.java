package hugesim.sim;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * The random numbers of one run, as named streams keyed by (seed, replication, stream name). A stream is
 * an L64X128MixRandom (the JDK's LXM generator: its additive parameter selects one of 2^63 independent
 * streams, as {@code split()} would) seeded with four SplitMix64 outputs of the 64-bit FNV-1a hash of the
 * key. So each process body has a stream of its own (adding a process leaves the others' draws alone),
 * replication r of a run can be rerun alone, and the same replication draws the same workload under
 * every policy and every swept value (common random numbers).
 */
public final class RandomStreams {
    private static final RandomGeneratorFactory<RandomGenerator> LXM = RandomGeneratorFactory.of("L64X128MixRandom");

    private final long seed;
    private final int replication;
    private long draws;

    public RandomStreams(long seed, int replication) {
        if (replication < 0) throw new IllegalArgumentException("replication must not be negative, got " + replication);
        this.seed = seed;
        this.replication = replication;
    }

    public long seed() { return seed; }

    public int replication() { return replication; }

    /** How many numbers all streams of this run have drawn: 0 means the run's outcome cannot depend on the seed. */
    public long draws() { return draws; }

    /** A new generator for {@code name}; the same name always starts the same sequence. */
    public RandomGenerator stream(String name) {
        long h = 0xcbf29ce484222325L;
        for (long v : new long[] {seed, replication}) {
            for (int i = 0; i < 8; i++) h = (h ^ ((v >>> (8 * i)) & 0xff)) * 0x100000001b3L;
        }
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) h = (h ^ (b & 0xff)) * 0x100000001b3L;
        SplittableRandom mix = new SplittableRandom(h);
        byte[] state = new byte[32];
        for (int w = 0; w < 4; w++) {
            long x = mix.nextLong();
            for (int i = 0; i < 8; i++) state[w * 8 + i] = (byte) (x >>> (8 * i));
        }
        return new Counted(LXM.create(state));
    }

    /** Counts draws; every other method of {@link RandomGenerator} is built on {@link #nextLong()}. */
    private final class Counted implements RandomGenerator {
        private final RandomGenerator g;

        Counted(RandomGenerator g) { this.g = g; }

        @Override
        public long nextLong() {
            draws++;
            return g.nextLong();
        }
    }
}
