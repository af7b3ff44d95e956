package hugesim.record;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of hugesim that is running, as the build recorded it. */
public final class Version {
    private static final String VERSION = read();

    private Version() {}

    public static String get() { return VERSION; }

    private static String read() {
        try (InputStream in = Version.class.getResourceAsStream("/hugesim/version.properties")) {
            if (in == null) return "unknown";
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
