package hugesim.cli;

import hugesim.experiment.SweepSpec;

import java.util.Map;

/**
 * {@code --shard I/N}, counted from 0. {@code auto} takes the index, and under Slurm the count, from the batch
 * scheduler: Kubernetes Indexed Jobs set JOB_COMPLETION_INDEX ({@code --shard auto/N}); Slurm job arrays
 * set SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_MIN and SLURM_ARRAY_TASK_COUNT ({@code --shard auto}).
 */
final class ShardOption {
    private ShardOption() {}

    static SweepSpec.Shard parse(String text, Map<String, String> env) {
        if (text == null) return null;
        String[] parts = text.split("/", -1);
        if (parts.length > 2) throw bad(text, "write I/N, e.g. 0/3");
        String index = parts[0].trim(), count = parts.length == 2 ? parts[1].trim() : "auto";
        if (!index.equals("auto") && parts.length == 1) throw bad(text, "write I/N, e.g. 0/3, or auto");
        int n;
        if (count.equals("auto")) {
            String c = env.get("SLURM_ARRAY_TASK_COUNT");
            if (c == null) throw bad(text, "the shard count is not in the environment (SLURM_ARRAY_TASK_COUNT); give it: --shard auto/N");
            n = number(text, c, "SLURM_ARRAY_TASK_COUNT");
        } else n = number(text, count, "the count");
        int i;
        if (index.equals("auto")) {
            if (env.containsKey("JOB_COMPLETION_INDEX")) i = number(text, env.get("JOB_COMPLETION_INDEX"), "JOB_COMPLETION_INDEX");
            else if (env.containsKey("SLURM_ARRAY_TASK_ID")) {
                i = number(text, env.get("SLURM_ARRAY_TASK_ID"), "SLURM_ARRAY_TASK_ID")
                        - number(text, env.getOrDefault("SLURM_ARRAY_TASK_MIN", "0"), "SLURM_ARRAY_TASK_MIN");
            } else throw bad(text, "no shard index in the environment (JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID)");
        } else i = number(text, index, "the index");
        try {
            return new SweepSpec.Shard(i, n);
        } catch (IllegalArgumentException e) {
            throw bad(text, e.getMessage());
        }
    }

    private static int number(String text, String v, String what) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw bad(text, what + " '" + v + "' is not a whole number");
        }
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("--shard " + text + ": " + why);
    }
}
