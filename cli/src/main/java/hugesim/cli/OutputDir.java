package hugesim.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Writes a directory's new contents beside it and swaps it in only when all of it was written. The scratch
 * directory ({@code .NAME.new-*}) has a lock file beside it ({@code .NAME.new-*.lock}) that the writing
 * process holds: a run killed with kill -9 loses its lock with its life, so the next run into that folder
 * recognises its scratch and removes it.
 */
final class OutputDir {
    /** A scratch directory without a lock file is taken for a live run's only during its first moments. */
    static final Duration UNLOCKED_GRACE = Duration.ofMinutes(10);

    interface Writer {
        void write(Path tmp) throws IOException;
    }

    private OutputDir() {}

    /**
     * The folder of a scenario under {@code out}; a name that would leave it (a path separator, {@code ..}, a
     * control character: possible in a hand-edited sweep.json) is refused.
     */
    static Path scenarioDir(Path out, String name) {
        return child(out, "scenario name", name);
    }

    /** A folder directly under {@code parent} named {@code name} ({@code what} names it in the error). */
    static Path child(Path parent, String what, String name) {
        Path root = parent.toAbsolutePath().normalize();
        Path dir = root.resolve(name).normalize();
        if (name.isEmpty() || name.startsWith(".") || !root.equals(dir.getParent()) || name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(what + " '" + name + "' would not be a folder directly under " + parent);
        }
        return dir;
    }

    static Path replace(Path target, Writer writer) throws IOException {
        return replace(target, writer, name -> false);
    }

    /** As {@link #replace(Path, Writer)}, carrying over the entries of the old directory that {@code keep} names. */
    static Path replace(Path target, Writer writer, java.util.function.Predicate<String> keep) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        removeStale(parent);
        // the lock first, then the scratch directory named after it: a scratch directory seen with its lock
        // file unheld is one whose run has died
        Path lockFile = Files.createTempFile(parent, "." + target.getFileName() + ".new-", ".lock");
        try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
             FileLock ignored = lockChannel.lock()) {
            String name = lockFile.getFileName().toString();
            Path tmp = Files.createDirectory(parent.resolve(name.substring(0, name.length() - ".lock".length())));
            return swapIn(target, tmp, writer, keep, parent);
        } finally {
            Files.deleteIfExists(lockFile);
        }
    }

    private static Path swapIn(Path target, Path tmp, Writer writer, java.util.function.Predicate<String> keep, Path parent) throws IOException {
        try {
            openUp(tmp);
            writer.write(tmp);
            Path old = null;
            if (Files.isDirectory(target)) {
                try (var entries = Files.list(target)) {
                    for (Path e : (Iterable<Path>) entries::iterator) {
                        String name = e.getFileName().toString();
                        if (keep.test(name) && !Files.exists(tmp.resolve(name))) Files.move(e, tmp.resolve(name), StandardCopyOption.ATOMIC_MOVE);
                    }
                }
            }
            if (Files.exists(target)) {
                old = Files.createTempDirectory(parent, "." + target.getFileName() + ".old-");
                Files.delete(old);
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            if (old != null) delete(old);
            return target;
        } catch (IOException | RuntimeException | Error e) {
            // out of memory while writing included: nothing half-written stays behind
            try {
                delete(tmp);
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * Writes a directory's new contents beside it and swaps them in whole, carrying over everything of the old
     * directory the writer did not write (at any depth): a run replaces only what it produces, so other policies'
     * folders, a sweep, a plan or a kernel-check report stay.
     */
    static Path update(Path target, Writer writer) throws IOException {
        return replace(target, tmp -> {
            writer.write(tmp);
            if (Files.isDirectory(target)) carryOver(target, tmp);
        });
    }

    private static void carryOver(Path from, Path into) throws IOException {
        try (var entries = Files.list(from)) {
            for (Path e : (Iterable<Path>) entries::iterator) {
                String name = e.getFileName().toString();
                if (name.startsWith(".")) continue;   // another run's scratch directory or lock
                Path there = into.resolve(name);
                if (!Files.exists(there, java.nio.file.LinkOption.NOFOLLOW_LINKS)) copy(e, there);
                else if (Files.isDirectory(e) && Files.isDirectory(there)) carryOver(e, there);
            }
        }
    }

    /** Copies a file or a tree; the old directory stays whole until the new one is in place. */
    private static void copy(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(d).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                Files.copy(f, to.resolve(from.relativize(f).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * Removes the scratch directories ({@code .NAME.new-*}, {@code .NAME.old-*}) that runs killed before they
     * finished left in {@code parent}: those whose lock no live process holds, or, without a lock file, older
     * than {@link #UNLOCKED_GRACE}. A live run's scratch (its lock held, in this JVM or another) stays.
     */
    static void removeStale(Path parent) {
        java.util.List<Path> scratch = new java.util.ArrayList<>();
        java.util.Set<String> live = new java.util.HashSet<>();
        java.util.Set<Path> dead = new java.util.HashSet<>();
        try (var entries = Files.list(parent)) {
            for (Path e : (Iterable<Path>) entries::iterator) {
                String n = e.getFileName().toString();
                if (!n.startsWith(".")) continue;
                if (n.endsWith(".lock") && n.contains(".new-")) {
                    if (held(e)) {
                        live.add(targetOf(n));
                    } else {
                        dead.add(e.resolveSibling(n.substring(0, n.length() - ".lock".length())));
                        Files.deleteIfExists(e);
                    }
                } else if ((n.contains(".new-") || n.contains(".old-")) && Files.isDirectory(e, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    scratch.add(e);
                }
            }
            for (Path d : scratch) {
                String n = d.getFileName().toString();
                if (live.contains(targetOf(n))) continue;
                if (!dead.contains(d) && n.contains(".new-") && youngerThanGrace(d)) continue;
                delete(d);
            }
        } catch (IOException | RuntimeException e) {
            // another run removing the same scratch, or an unreadable entry: left for a later run
        }
    }

    /** ".NAME.new-123" or ".NAME.old-123" (and their ".lock") name the folder NAME. */
    private static String targetOf(String scratchName) {
        int i = Math.max(scratchName.lastIndexOf(".new-"), scratchName.lastIndexOf(".old-"));
        return scratchName.substring(1, i);
    }

    private static boolean held(Path lockFile) {
        try (FileChannel c = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock l = c.tryLock();
            if (l == null) return true;
            l.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            return true;
        }
    }

    private static boolean youngerThanGrace(Path d) throws IOException {
        Instant modified = Files.getLastModifiedTime(d).toInstant();
        return modified.isAfter(Instant.now().minus(UNLOCKED_GRACE));
    }

    /** Temporary directories are private (0700); results are ordinary files for everyone to read. */
    private static void openUp(Path dir) throws IOException {
        try {
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system: the default permissions stand
        }
    }

    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                Files.delete(f);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
