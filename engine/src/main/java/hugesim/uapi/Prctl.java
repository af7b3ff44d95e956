package hugesim.uapi;

/** Constants of include/uapi/linux/prctl.h that the model knows. */
public final class Prctl {
    public static final int PR_SET_THP_DISABLE = 41, PR_GET_THP_DISABLE = 42;
    /** PR_SET_THP_DISABLE arg3: do not disable THPs where advised (VM_HUGEPAGE); bit 0 is reserved. */
    public static final int PR_THP_DISABLE_EXCEPT_ADVISED = 1 << 1;

    private Prctl() {}
}
