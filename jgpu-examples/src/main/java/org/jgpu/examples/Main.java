package org.jgpu.examples;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jgpu.BackendUnavailableException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The examples CLI: {@code java -jar jgpu-examples.jar <command> [options]}; {@code --help}
 * lists the commands, {@code <command> --help} a command's options.
 *
 * <p>Exit status: 0 when the command ran and its results checked out; 1 when a result was wrong
 * or the command failed; 2 for a bad command, option or value, or a backend that cannot be used
 * here, always before any work.
 */
public final class Main {
    /** How long Ctrl-C waits for the running command to stop and print its report. */
    private static final Duration REPORT_GRACE = Duration.ofSeconds(2);

    private Main() {
    }

    /**
     * @param args the command and its options
     */
    public static void main(String[] args) {
        Interruption interruption = Interruption.onShutdown(System.err, REPORT_GRACE);
        int status;
        try {
            status = run(args, System.out, System.err, interruption);
        } finally {
            interruption.finished();
        }
        System.exit(status);
    }

    /**
     * Runs a command.
     *
     * @param args the command and its options
     * @param out where results go
     * @param err where usage, progress and errors go
     * @return the exit status
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, Interruption.none());
    }

    private static int run(String[] args, PrintStream out, PrintStream err, Interruption interruption) {
        CommandLine cli = commandLine(new Commands.Io(out, err, interruption));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setParameterExceptionHandler((e, given) -> usageError(e, err));
        cli.setExecutionExceptionHandler((e, command, parsed) -> failure(e, err));
        return cli.execute(args);
    }

    /** @return the command tree, each command writing to {@code io} */
    static CommandLine commandLine(Commands.Io io) {
        CommandLine cli = new CommandLine(new Root(io));
        cli.addSubcommand(new ListCommand(io));
        cli.addSubcommand(pipelines(io, "compare", Compare.ALL, "Sequential, double, triple and multi-stream pipelines "
                + "on one workload: a table (wall, batches/s, speedup, ideal, efficiency, device utilization) and the "
                + "Gantt chart of the fastest."));
        for (Compare.Mode m : Compare.ALL) {
            cli.addSubcommand(pipelines(io, m.command(), List.of(m), "The " + m.mode() + " pipeline of compare, alone: its "
                    + "report and Gantt chart."));
        }
        cli.addSubcommand(new Commands.StreamQuery(io));
        cli.addSubcommand(new Commands.Prefetch(io));
        cli.addSubcommand(new Commands.TrainingLoop(io));
        cli.addSubcommand(new Commands.Inference(io));
        cli.addSubcommand(new Commands.VectorSearch(io));
        cli.addSubcommand(new Commands.AsyncJobCommand(io));
        cli.addSubcommand(new DataParallelCommand(io));
        cli.addSubcommand(new Commands.BenchCommand(io));
        cli.addSubcommand(new CommandLine.HelpCommand());
        return cli;
    }

    private static CommandLine pipelines(Commands.Io io, String name, List<Compare.Mode> modes, String description) {
        CommandLine c = new CommandLine(new Commands.Pipelines(io, modes));
        c.getCommandSpec().name(name).usageMessage().description(description);
        return c;
    }

    /** A bad command, option or value: one line that says which, and where help is. */
    private static int usageError(ParameterException e, PrintStream err) {
        CommandLine at = e.getCommandLine();
        String message = e.getMessage();
        if (e instanceof UnmatchedArgumentException u && at.getParent() == null && !u.getUnmatched().isEmpty()
                && !u.getUnmatched().get(0).startsWith("-")) {
            message = "unknown command '" + u.getUnmatched().get(0) + "'";
        }
        err.println("error: " + lowerFirst(message));
        err.println("try: " + at.getCommandSpec().qualifiedName() + " --help");
        return 2;
    }

    /**
     * A command that failed: options wrong together, a backend that cannot be used, or a value
     * the command found wrong are usage errors (2); a wrong result or a file it could not write
     * is one line too (1); anything else is a bug, shown with its stack trace (1).
     */
    private static int failure(Exception e, PrintStream err) {
        if (e instanceof ParameterException p) {
            return usageError(p, err);
        }
        if (e instanceof BackendUnavailableException || e instanceof IllegalArgumentException) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        if (e instanceof IllegalStateException || e instanceof UncheckedIOException) {
            err.println("error: " + e.getMessage());
            return 1;
        }
        e.printStackTrace(err);
        return 1;
    }

    private static String lowerFirst(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
    }

    /** The top command: with no command given, its help. */
    @Command(name = "java -jar jgpu-examples.jar", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Example programs for jgpu: pipelines, prefetch, training, inference, search, long jobs, "
                    + "data parallelism on many devices, benchmarks. Every command checks its results and exits 1 if "
                    + "they are wrong.",
            footer = {"", "Every command takes --help and --json (one JSON object on stdout, nothing else there); the ones "
                    + "that run streams take --backend and --trace FILE (a Chrome trace). Exit status: 0 ok, 1 wrong "
                    + "results or a failure, 2 a bad command, option or value."})
    static final class Root implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        private final Commands.Io io;

        Root(Commands.Io io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            spec.commandLine().usage(io.out());
            return 0;
        }
    }

    /** The jar's version, from its manifest. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"jgpu-examples " + (v == null ? "(version unknown: not run from its jar)" : v)};
        }
    }
}
