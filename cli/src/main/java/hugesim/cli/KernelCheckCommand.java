package hugesim.cli;

import hugesim.cli.kcheck.CheckFailure;
import hugesim.cli.kcheck.Comparison;
import hugesim.cli.kcheck.Guest;
import hugesim.cli.kcheck.GuestTrace;
import hugesim.cli.kcheck.KernelImage;
import hugesim.cli.kcheck.Report;
import hugesim.dsl.ScenarioException;
import hugesim.dsl.ScenarioFile;
import hugesim.dsl.ScenarioLoader;
import hugesim.kernel.MachineConfig;
import hugesim.kernel.Trace;
import hugesim.policy.Policy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code hugesim kernel-check FILE}: the scenario in the model and on a real kernel under QEMU, compared. */
@Command(name = "kernel-check", mixinStandardHelpOptions = true,
        description = {"Compares a scenario in the model with a real kernel under QEMU.",
                "The scenario runs in the model and on a Linux kernel booted under QEMU (TCG), which replays the "
                        + "process bodies' calls in the model's order; every result and, at every view read, every "
                        + "counter both have are compared. Writes DIR/<scenario>/<policy>/kernel-check.json; prints a table.",
                "Exit 0 when everything agrees within the declared tolerances, 1 when not, 2 on bad input or a "
                        + "guest that did not boot or finish (with the tail of its console)."})
final class KernelCheckCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "the scenario script (*.groovy)")
    Path file;

    @Option(names = "--policy", paramLabel = "EXPR", description = "the policy to check under (default: the script's first)")
    String policy;

    @Option(names = "--kernel", paramLabel = "PATH", description = "a bzImage/vmlinuz (default: the newest /boot/vmlinuz-*)")
    Path kernel;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out", description = "where the report goes (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300", description = "how long the guest may run (default: ${DEFAULT-VALUE})")
    long timeout;

    @Override
    public Integer call() {
        PrintStream err = System.err;
        ScenarioFile scenario;
        Policy p;
        Trace trace = new Trace();
        try {
            scenario = ScenarioLoader.load(file);
            p = policy != null ? ScenarioLoader.policy(policy) : scenario.getScenario().policies().get(0);
            scenario.run(p, trace);
        } catch (ScenarioException e) {
            err.println(e.getMessage());
            return e.getAssertion() ? Main.ASSERT_FAILED : Main.BAD_INPUT;
        }
        String name = scenario.getScenario().name();
        try {
            if (timeout <= 0) throw new CheckFailure("--timeout must be positive, got " + timeout);
            if (p instanceof hugesim.policy.SharedPoolPolicy) {
                throw new CheckFailure(p.label() + ": kernel-check cannot check sharedPool (a design of docs/model.md 7.2 that no kernel has: reserved THPs served from HugeTLB's pool)");
            }
            if (p instanceof hugesim.policy.ZoneNosplitPolicy) {
                throw new CheckFailure(p.label() + ": kernel-check cannot check zoneNosplit (a design of docs/model.md 7.3 that no kernel has: ZONE_NOSPLIT, memory set aside for THPs that are never split)");
            }
            if (p instanceof hugesim.policy.MemPoolPolicy) {
                throw new CheckFailure(p.label() + ": kernel-check cannot check memPool (a design of docs/model.md 9 that no kernel has: pool files reserving per node, charged to memory.pool.max)");
            }
            Path k = kernel != null ? kernel : KernelImage.defaultPath();
            if (k == null) throw new CheckFailure("no kernel: /boot has no vmlinuz-* (apt-get install linux-image-amd64) and no --kernel was given");
            KernelImage image = KernelImage.open(k);
            MachineConfig machine = scenario.getScenario().machine().withCmdline(p.cmdline(scenario.getScenario().machine().geometry()));
            Guest.check(machine);
            Guest.check(machine, image.release());
            String scriptFile = file.getFileName().toString();
            GuestTrace g = GuestTrace.of(trace, machine.cmdline(), scriptFile, scenario.getPath());
            Guest.Output o = Guest.run(image, machine, g, timeout);
            Comparison c = Comparison.of(g, o, scriptFile, scenario.getPath());
            Path dir = Files.createDirectories(out.resolve(name).resolve(p.key()));
            Report.writeJson(c, name, p.label(), o.seconds(), dir.resolve("kernel-check.json"));
            System.out.print(Report.table(c, name, p.label(), o.seconds()));
            System.out.println("report: " + dir.resolve("kernel-check.json"));
            return c.agrees() ? Main.OK : Main.ASSERT_FAILED;
        } catch (CheckFailure e) {
            err.println("hugesim kernel-check: " + e.getMessage());
            if (e.consoleTail != null) err.println("guest console (last lines):\n" + e.consoleTail);
            return Main.BAD_INPUT;
        } catch (IOException e) {
            err.println("hugesim kernel-check: cannot write the report under " + out + ": " + e.getMessage());
            return Main.BAD_INPUT;
        }
    }
}
