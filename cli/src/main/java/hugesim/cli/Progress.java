package hugesim.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A progress bar on stderr (done/total, runs per second, time left), drawn only when stderr is a
 * terminal, so that logs and pipes stay clean.
 */
final class Progress implements AutoCloseable {
    private final ProgressBar bar;

    Progress(String task, long total, long done) {
        this.bar = stderrIsTerminal() && total > 0 ? new ProgressBarBuilder()
                .setTaskName(task).setInitialMax(total).setUnit(" runs", 1).showSpeed()
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).setSpeedUnit(java.time.temporal.ChronoUnit.SECONDS)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).setMaxRenderedLength(100)
                .startsFrom(done, Duration.ZERO).build() : null;
    }

    void step() {
        if (bar != null) bar.step();
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
    }

    /** Whether fd 2 is a terminal (Linux: /proc/self/fd/2 names a tty); HUGESIM_PROGRESS=0/1 decides otherwise. */
    static boolean stderrIsTerminal() {
        String forced = System.getenv("HUGESIM_PROGRESS");
        if (forced != null) return forced.equals("1");
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception e) {
            return System.console() != null;
        }
    }
}
