package hugesim.mm;

/**
 * Which kernel's behaviour the model follows where releases differ ({@code machine { kernel '6.1' }}).
 * The model follows mainline; 6.1 is the long-term release most fleets run and the one the
 * real-kernel check boots. The differences are listed in the README (model section).
 */
public enum KernelVersion {
    MAINLINE("mainline"),
    /** 6.1: a rotational swap device has no swap clusters, so a THP is split before swap-out. */
    V6_1("6.1");

    public final String label;

    KernelVersion(String label) { this.label = label; }

    /** The version a script names, or an error listing the known ones. */
    public static KernelVersion of(String label) {
        for (KernelVersion v : values()) if (v.label.equals(label)) return v;
        throw new IllegalArgumentException("unknown kernel '" + label + "'; known: 'mainline' (the default), '6.1'");
    }

    @Override
    public String toString() { return label; }
}
