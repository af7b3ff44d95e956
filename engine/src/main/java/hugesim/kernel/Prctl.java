package hugesim.kernel;

import hugesim.mm.vma.Mm;
import hugesim.uapi.Errno;

import static hugesim.uapi.Prctl.*;

/** prctl(2) (kernel/sys.c): only the options the model knows; any other is -EINVAL. */
final class Prctl {
    private Prctl() {}

    static long prctl(Mm mm, int option, long arg2, long arg3, long arg4, long arg5) {
        return switch (option) {
            case PR_SET_THP_DISABLE -> setThpDisable(mm, arg2 != 0, arg3, arg4, arg5);
            case PR_GET_THP_DISABLE -> getThpDisable(mm, arg2, arg3, arg4, arg5);
            default -> -Errno.EINVAL;
        };
    }

    /** prctl_set_thp_disable(): flags only when disabling, and only PR_THP_DISABLE_EXCEPT_ADVISED. */
    private static long setThpDisable(Mm mm, boolean disable, long flags, long arg4, long arg5) {
        if (arg4 != 0 || arg5 != 0) return -Errno.EINVAL;
        if ((!disable && flags != 0) || (flags & ~PR_THP_DISABLE_EXCEPT_ADVISED) != 0) return -Errno.EINVAL;
        boolean exceptAdvised = (flags & PR_THP_DISABLE_EXCEPT_ADVISED) != 0;
        mm.disableThpCompletely = disable && !exceptAdvised;
        mm.disableThpExceptAdvised = disable && exceptAdvised;
        return 0;
    }

    /** prctl_get_thp_disable(): "1 | flags" when disabled, else 0. */
    private static long getThpDisable(Mm mm, long arg2, long arg3, long arg4, long arg5) {
        if (arg2 != 0 || arg3 != 0 || arg4 != 0 || arg5 != 0) return -Errno.EINVAL;
        if (mm.disableThpCompletely) return 1;
        if (mm.disableThpExceptAdvised) return 1 | PR_THP_DISABLE_EXCEPT_ADVISED;
        return 0;
    }
}
