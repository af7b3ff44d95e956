package hugesim.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@code hugesim} command. Exit codes: 0 success, 1 a scenario's own assert or expectation failed (or a plan found no value
 * meeting its goal), 2 bad input.
 */
@Command(name = "hugesim", mixinStandardHelpOptions = true, version = "hugesim 0.1.0",
        description = "Simulates how HugeTLB, hugetlb_cma, THP and Reserved THP back huge memory, "
                + "and what it costs, before anyone writes kernel code.")
public final class Main implements Runnable {
    public static final int OK = 0, ASSERT_FAILED = 1, BAD_INPUT = 2;

    /** What to do when the JVM's heap is too small for a run. */
    public static final String OUT_OF_MEMORY_HINT = "give Java more heap, e.g. HUGESIM_JAVA_OPTS=-Xmx8g, or sample less often (a coarser run(sample:))";

    /** "hugesim 0.1.0", as {@code --version} prints it. */
    static String version() {
        return Main.class.getAnnotation(Command.class).version()[0];
    }

    /**
     * The subcommands, in the order help lists them. picocli reads a command's annotations when it is added,
     * so a run of one command adds that one alone; help and anything unknown get them all.
     */
    private static final Map<String, Subcommand> COMMANDS = new LinkedHashMap<>();

    private record Subcommand(Class<?> type, Supplier<Object> make) {}

    private static void add(Class<?> type, Supplier<Object> make) {
        COMMANDS.put(type.getAnnotation(Command.class).name(), new Subcommand(type, make));
    }

    static {
        add(RunCommand.class, RunCommand::new);
        add(ReplayCommand.class, ReplayCommand::new);
        add(SweepCommand.class, SweepCommand::new);
        add(PlanCommand.class, PlanCommand::new);
        add(MergeCommand.class, MergeCommand::new);
        add(KernelCheckCommand.class, KernelCheckCommand::new);
        add(BenchCommand.class, BenchCommand::new);
        add(DaemonCommand.class, DaemonCommand::new);
        add(CommandLine.HelpCommand.class, CommandLine.HelpCommand::new);
    }

    @Override
    public void run() {
        summary().usage(System.out);
    }

    /** The command line with subcommand {@code first} alone when it names one, else with every subcommand. */
    static CommandLine commandLine(String first) {
        // the commands are Java classes: picocli need not look for Groovy's closures (which starts Groovy's runtime)
        System.setProperty("picocli.disable.closures", "true");
        CommandLine cl = new CommandLine(new Main());
        if (first != null && !first.equals("help") && COMMANDS.containsKey(first)) {
            cl.addSubcommand(COMMANDS.get(first).make().get());
        } else {
            for (Subcommand c : COMMANDS.values()) cl.addSubcommand(c.make().get());
        }
        return cl;
    }

    /**
     * The command line as the top-level help and version need it: each subcommand by its name, header and
     * description alone. Reading every option of every command was a third of {@code hugesim --help}'s time;
     * the help it prints is the same.
     */
    static CommandLine summary() {
        System.setProperty("picocli.disable.closures", "true");
        CommandLine cl = new CommandLine(new Main());
        for (Subcommand c : COMMANDS.values()) {
            Command a = c.type().getAnnotation(Command.class);
            CommandLine.Model.CommandSpec spec = CommandLine.Model.CommandSpec.create().name(a.name());
            spec.usageMessage().header(a.header()).description(a.description());
            cl.addSubcommand(a.name(), new CommandLine(spec));
        }
        return cl;
    }

    /** Whether {@code args} ask for the top-level help or the version and nothing else. */
    private static boolean topLevelOnly(String... args) {
        return args.length == 0 || (args.length == 1 && java.util.Set.of("-h", "--help", "-V", "--version").contains(args[0]));
    }

    public static int execute(String... args) {
        CommandLine cl = topLevelOnly(args) ? summary() : commandLine(args.length > 0 ? args[0] : null);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("hugesim: " + describe(e));
            return BAD_INPUT;
        });
        cl.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("hugesim: " + e.getMessage());
            e.getCommandLine().usage(e.getCommandLine().getErr());
            return BAD_INPUT;
        });
        return cl.execute(args);
    }

    /** One line for a failure no command caught: never a stack trace. */
    static String describe(Throwable e) {
        if (e instanceof OutOfMemoryError) return "out of memory: " + OUT_OF_MEMORY_HINT;
        if (e instanceof StackOverflowError) return "stack overflow (a script recursing without end?)";
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }

    /** Always exits, with 0, 1 or 2: threads a script left behind are daemons and do not hold the JVM. */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        Phases.mark("jvm to main");
        boolean daemon = DaemonClient.serves(args);
        if (daemon) {
            Integer served = DaemonClient.tryRun(args);
            if (served != null) System.exit(served);
        }
        // the report draws each policy's chart too: only without both is the chart toolkit not needed
        if (args.length > 0 && args[0].equals("run")) {
            var a = java.util.Arrays.asList(args);
            WarmUp.start(!(a.contains("--no-charts") && a.contains("--no-report")));
        }
        int code;
        try {
            code = execute(args);
        } catch (Throwable e) {
            System.err.println("hugesim: " + describe(e));
            code = BAD_INPUT;
        }
        // no daemon served this run: one is started for the next
        if (daemon) DaemonClient.start();
        System.exit(code);
    }
}
