package hugesim.cli;

import hugesim.experiment.RunRow;
import hugesim.experiment.SweepFiles;
import hugesim.experiment.SweepSpec;
import hugesim.experiment.SweepSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code hugesim merge DIR...}: the shards of one sweep, combined into the files one machine would have written. */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = {"Combines the shards of a sweep (sweep --shard I/N) into one.",
                "Writes DIR/<scenario>/sweep/, byte for byte what one machine running the whole sweep writes. "
                        + "Each DIR is a shard's folder (sweep-shard-I-of-N) or a folder holding some. Refuses shards "
                        + "of different sweeps, naming what differs, and a set with shards missing.",
                "Exit 0 on success, 2 on bad input."})
final class MergeCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", arity = "1..*", description = "shard folders, or folders that hold them")
    List<Path> dirs;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out", description = "where the merged sweep goes (default: ${DEFAULT-VALUE})")
    Path out;

    @Mixin
    ChartOptions charts;

    @Override
    public Integer call() {
        try {
            TreeMap<Integer, Path> shards = new TreeMap<>();
            SweepSpec whole = null;
            Path firstDir = null;
            int n = 0;
            for (Path d : shardDirs()) {
                SweepSpec s = SweepFiles.readSpec(d.resolve(SweepFiles.SPEC));
                if (s.shard() == null) throw new IllegalArgumentException(d + " is a whole sweep, not a shard");
                if (whole == null) {
                    whole = s.withShard(null);
                    firstDir = d;
                    n = s.shard().count();
                } else {
                    String diff = whole.differenceFrom(s);
                    if (diff != null) throw new IllegalArgumentException(d + " and " + firstDir + " are shards of different sweeps: " + diff);
                    if (s.shard().count() != n) throw new IllegalArgumentException(d + " is one of " + s.shard().count() + " shards, " + firstDir + " one of " + n);
                }
                Path dup = shards.put(s.shard().index(), d);
                if (dup != null) throw new IllegalArgumentException("shard " + s.shard() + " is given twice: " + dup + " and " + d);
            }
            List<Integer> missing = new ArrayList<>();
            for (int i = 0; i < n; i++) if (!shards.containsKey(i)) missing.add(i);
            if (!missing.isEmpty()) throw new IllegalArgumentException("shards missing: " + missing + " of " + n + " (have " + shards.keySet() + ")");
            List<RunRow> rows = new ArrayList<>();
            for (var e : shards.entrySet()) {
                SweepSpec s = whole.withShard(new SweepSpec.Shard(e.getKey(), n));
                List<RunRow> part = SweepFiles.readRuns(s, e.getValue().resolve(SweepFiles.RUNS));
                for (RunRow r : part) if (!s.inShard(r.run())) throw new IllegalArgumentException(e.getValue() + ": run " + r.run() + " is not in shard " + s.shard());
                if (part.size() != s.runsInShard()) {
                    throw new IllegalArgumentException(e.getValue() + " holds " + part.size() + " of its " + s.runsInShard() + " runs: finish it first (hugesim sweep --shard " + s.shard() + " --resume)");
                }
                rows.addAll(part);
            }
            rows.sort(Comparator.comparingLong(RunRow::run));
            Path dir = SweepOutput.write(out, whole, rows, charts.metrics());
            System.out.print(SweepTable.render(whole, SweepSummary.of(whole, rows)));
            System.out.println();
            System.out.println("merged " + n + " shards, " + rows.size() + " runs, into " + dir);
            return Main.OK;
        } catch (IllegalArgumentException e) {
            System.err.println("hugesim merge: " + e.getMessage());
            return Main.BAD_INPUT;
        } catch (IOException e) {
            System.err.println("hugesim merge: " + e.getMessage());
            return Main.BAD_INPUT;
        }
    }

    /** The shard folders named, or found one or two levels under the folders named. */
    private List<Path> shardDirs() throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path d : dirs) {
            if (!Files.isDirectory(d)) throw new IllegalArgumentException(d + " is not a folder");
            if (Files.exists(d.resolve(SweepFiles.SPEC))) {
                out.add(d);
                continue;
            }
            try (Stream<Path> s = Files.find(d, 2, (p, a) -> a.isDirectory() && p.getFileName().toString().startsWith("sweep-shard-")
                    && Files.exists(p.resolve(SweepFiles.SPEC)))) {
                List<Path> found = s.sorted().toList();
                if (found.isEmpty()) throw new IllegalArgumentException(d + " holds no sweep shard (sweep-shard-I-of-N with a sweep.json)");
                out.addAll(found);
            }
        }
        return out;
    }
}
