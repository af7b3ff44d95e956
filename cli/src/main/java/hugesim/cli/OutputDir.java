package hugesim.cli;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/** Writes a directory's new contents beside it and swaps it in only when all of it was written. */
final class OutputDir {
    interface Writer {
        void write(Path tmp) throws IOException;
    }

    private OutputDir() {}

    /**
     * The folder of a scenario under {@code out}; a name that would leave it (a path separator, {@code ..}, a
     * control character: possible in a hand-edited sweep.json) is refused.
     */
    static Path scenarioDir(Path out, String name) {
        Path root = out.toAbsolutePath().normalize();
        Path dir = root.resolve(name).normalize();
        if (name.isEmpty() || name.startsWith(".") || !root.equals(dir.getParent()) || name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("scenario name '" + name + "' would not be a folder directly under " + out);
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
        Path tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".new-");
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
        } catch (IOException | RuntimeException e) {
            delete(tmp);
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
                Path there = into.resolve(e.getFileName().toString());
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
