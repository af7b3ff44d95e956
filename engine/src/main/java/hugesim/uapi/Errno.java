package hugesim.uapi;

/** errno values of include/uapi/asm-generic/errno-base.h; syscalls return them negated. */
public final class Errno {
    public static final int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, EBADF = 9, EAGAIN = 11, ENOMEM = 12,
            EACCES = 13, EFAULT = 14, EBUSY = 16, EEXIST = 17, EINVAL = 22, ENOSPC = 28, ERANGE = 34, ENAMETOOLONG = 36, EOVERFLOW = 75, EOPNOTSUPP = 95;

    private Errno() {}

    /** The errno's name, e.g. {@code ENOMEM} for 12 or -12. */
    public static String name(long errno) {
        return switch ((int) Math.abs(errno)) {
            case EPERM -> "EPERM"; case ENOENT -> "ENOENT"; case ESRCH -> "ESRCH"; case EINTR -> "EINTR"; case EIO -> "EIO";
            case EBADF -> "EBADF"; case EAGAIN -> "EAGAIN"; case ENOMEM -> "ENOMEM"; case EACCES -> "EACCES";
            case EFAULT -> "EFAULT"; case EBUSY -> "EBUSY"; case EEXIST -> "EEXIST"; case EINVAL -> "EINVAL";
            case ENOSPC -> "ENOSPC"; case ERANGE -> "ERANGE"; case ENAMETOOLONG -> "ENAMETOOLONG"; case EOVERFLOW -> "EOVERFLOW"; case EOPNOTSUPP -> "EOPNOTSUPP";
            default -> "errno " + Math.abs(errno);
        };
    }

    /** True for a raw syscall return that is an error (-4095..-1), as IS_ERR_VALUE() decides. */
    public static boolean isError(long ret) {
        return ret < 0 && ret >= -4095;
    }
}
