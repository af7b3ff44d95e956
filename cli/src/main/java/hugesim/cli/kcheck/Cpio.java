package hugesim.cli.kcheck;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** A cpio archive in the "newc" format the kernel unpacks as an initramfs (usr/gen_init_cpio.c). */
final class Cpio {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int ino = 1;

    Cpio dir(String name) {
        entry(name, 0040755, new byte[0]);
        return this;
    }

    Cpio file(String name, int mode, byte[] data) {
        entry(name, 0100000 | mode, data);
        return this;
    }

    void writeTo(OutputStream o) throws IOException {
        entry("TRAILER!!!", 0, new byte[0]);
        out.writeTo(o);
    }

    private void entry(String name, int mode, byte[] data) {
        byte[] n = (name + "\0").getBytes(StandardCharsets.US_ASCII);
        int[] fields = {ino++, mode, 0, 0, (mode & 0040000) != 0 ? 2 : 1, 0, data.length, 0, 0, 0, 0, n.length, 0};
        StringBuilder h = new StringBuilder("070701");
        for (int f : fields) h.append(String.format("%08X", f));
        out.writeBytes(h.toString().getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(n);
        pad();
        out.writeBytes(data);
        pad();
    }

    private void pad() {
        while (out.size() % 4 != 0) out.write(0);
    }
}
