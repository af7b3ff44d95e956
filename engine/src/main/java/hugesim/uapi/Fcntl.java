package hugesim.uapi;

/** open(2) flags of include/uapi/asm-generic/fcntl.h (x86_64 values), for shm_open(3). */
public final class Fcntl {
    public static final int O_RDONLY = 0, O_WRONLY = 01, O_RDWR = 02, O_CREAT = 0100, O_EXCL = 0200, O_TRUNC = 01000;

    private Fcntl() {}
}
