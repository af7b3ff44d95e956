package hugesim.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code hugesim} command. Exit codes: 0 success, 1 a scenario's own assert failed (or a plan found no value
 * meeting its goal), 2 bad input.
 */
@Command(name = "hugesim", mixinStandardHelpOptions = true, version = "hugesim 0.1.0",
        description = "Simulates how HugeTLB, hugetlb_cma, THP and Reserved THP back huge memory, "
                + "and what it costs, before anyone writes kernel code.",
        subcommands = {RunCommand.class, SweepCommand.class, PlanCommand.class, MergeCommand.class, KernelCheckCommand.class,
                BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    public static final int OK = 0, ASSERT_FAILED = 1, BAD_INPUT = 2;

    /** "hugesim 0.1.0", as {@code --version} prints it. */
    static String version() {
        return Main.class.getAnnotation(Command.class).version()[0];
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("hugesim: " + e.getMessage());
            return BAD_INPUT;
        });
        cl.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("hugesim: " + e.getMessage());
            e.getCommandLine().usage(e.getCommandLine().getErr());
            return BAD_INPUT;
        });
        return cl.execute(args);
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(execute(args));
    }
}
