package org.jgpu.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jgpu.BackendStatus;
import org.jgpu.BackendUnavailableException;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.DeviceInfo;
import org.jgpu.examples.bench.Bench;
import org.jgpu.pipeline.PipelineReport;
import org.jgpu.trace.ChromeTrace;

/**
 * The examples CLI: {@code java -jar jgpu-examples.jar <command> [--backend host|cuda] [options]}.
 */
public final class Main {
    private Main() {
    }

    /**
     * @param args the command and its options
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs a command.
     *
     * @param args the command and its options
     * @param out where results go
     * @param err where usage and errors go
     * @return the exit status
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println(usage());
            return 2;
        }
        try {
            return dispatch(o, out, err);
        } catch (BackendUnavailableException | IllegalArgumentException e) {
            // a backend that cannot be used here, or an argument the command found wrong
            err.println("error: " + e.getMessage());
            return 2;
        }
    }

    private static int dispatch(Options o, PrintStream out, PrintStream err) {
        return switch (o.command) {
            case "list" -> list(out);
            case "compare" -> compare(o, out, Compare.ALL);
            case "sequential", "double-buffer", "triple-buffer", "multi-stream" ->
                    compare(o, out, List.of(Compare.mode(o.command.replace("-buffer", ""))));
            case "stream-query" -> example(o, out, StreamQueryExample::run);
            case "prefetch" -> example(o, out, PrefetchExample::run);
            case "training-loop" -> example(o, out, TrainingLoopExample::run);
            case "inference" -> example(o, out, InferenceExample::run);
            case "vector-search" -> example(o, out, VectorSearchExample::run);
            case "async-job" -> example(o, out, AsyncJobExample::run);
            case "bench" -> Bench.run(new Bench.Settings(o.backend, o.json, o.repeats, o.maxMegabytes << 20, o.nativeFile),
                    out, err);
            case "help" -> {
                out.println(usage());
                yield 0;
            }
            default -> {
                err.println("error: unknown command '" + o.command + "'");
                err.println(usage());
                yield 2;
            }
        };
    }

    static String usage() {
        return String.join("\n",
                "usage: java -jar jgpu-examples.jar <command> [--backend host|cuda] [--batches N] [--json] [--trace FILE]",
                "                                           [--profile resnet50|L,U,C,D] [--scale X]",
                "                                           [--workload profile|real [--mb N] [--iters K]]",
                "commands:",
                "  list           the backends and devices found here",
                "  compare        sequential, double, triple and multi-stream pipelines on one workload: a table",
                "                 (wall, batches/s, speedup, ideal, efficiency, device utilization) and the",
                "                 Gantt chart of the fastest",
                "  sequential, double-buffer, triple-buffer, multi-stream   one of those pipelines",
                "  stream-query   a long kernel while the host keeps working and polls stream.query()",
                "  prefetch       DeviceLoader workers decoding ahead of the device, vs one step after the other",
                "  training-loop  linear regression by SGD with BLAS on a stream, batches prefetched",
                "  inference      relu(X W + b) served through a triple-buffered pipeline, checked against the CPU",
                "  vector-search  batched k-NN (L2 distances, top-k) double-buffered, checked by brute force",
                "  async-job      a long kernel with a progress bar, cancelled by Ctrl-C or --cancel-after MS",
                "                 (--steps N, --step-ms MS)",
                "  bench          per-operation costs (launch, events, queries, synchronize, callbacks, stream-ordered",
                "                 alloc), launch and graph throughput, copy bandwidth 4 KiB..1 GiB (--max-mb N; 64 on",
                "                 the host backend unless given), hazard checking's cost; raw JCuda beside jgpu on CUDA;",
                "                 --native FILE adds kernels/bench/bench's output; --repeats N samples per row (31)",
                "  help           this text",
                "--profile takes stage times in ms per batch (load on the CPU, upload, compute, download);",
                "resnet50 is 50,10,100,5. --scale multiplies them. --workload real moves N MiB per batch and runs",
                "fma_loop with K iterations on it instead. --json prints one JSON object on stdout.");
    }

    private static int list(PrintStream out) {
        for (BackendStatus b : Context.backends()) {
            out.printf("%-5s %-8s %s%n", b.name(), b.usable() ? "usable" : "unusable", b.reason());
        }
        return 0;
    }

    /** An example program: runs on a context and reports into {@code report}. */
    @FunctionalInterface
    interface Example {
        void run(Context ctx, Options o, Report report);
    }

    private static int example(Options o, PrintStream out, Example e) {
        try (Context ctx = Context.create(ContextOptions.builder().backend(o.backend).build())) {
            DeviceInfo d = ctx.device();
            Report r = new Report(out, o.json);
            r.json.put("command", o.command).put("backend", d.backend()).put("device", d.name()).put("simulated", d.simulated());
            r.line("device: %s (%s backend%s)", d.name(), d.backend(),
                    d.simulated() ? "; simulated timings from its engine model, not a performance claim" : "");
            e.run(ctx, o, r);
            if (o.json) {
                out.println(r.json);
            }
        }
        return 0;
    }

    private static int compare(Options o, PrintStream out, List<Compare.Mode> modes) {
        Profile profile = o.profile.scaled(o.scale);
        try (Context ctx = Context.create(ContextOptions.builder().backend(o.backend).build())) {
            DeviceInfo d = ctx.device();
            Workload w = o.workload.equals("real") ? new RealWorkload(ctx, o.megabytes, o.iters)
                    : new ProfileWorkload(ctx, profile);
            List<PipelineReport> reports = Compare.runAll(ctx, w, modes, o.batches);
            PipelineReport best = Compare.best(reports);
            if (o.trace != null) {
                try {
                    Files.writeString(o.trace, ChromeTrace.json(best.timeline()));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write " + o.trace, e);
                }
            }
            if (o.json) {
                out.println(new Json().put("command", o.command).put("backend", d.backend()).put("device", d.name())
                        .put("simulated", d.simulated()).put("batches", o.batches).put("profile", w.json())
                        .put("results", Compare.resultsJson(reports)));
                return 0;
            }
            out.printf("device: %s (%s backend%s)%n", d.name(), d.backend(),
                    d.simulated() ? "; simulated timings from its engine model, not a performance claim" : "");
            out.printf("workload: %s; %d batches%n", w.describe(), o.batches);
            Compare.printTable(out, reports);
            out.println();
            out.println("timeline of " + best.mode() + ":");
            out.print(Compare.gantt(best, 100));
            if (o.trace != null) {
                out.println("Chrome trace of " + best.mode() + " written to " + o.trace + " (open it in Perfetto)");
            }
        }
        return 0;
    }

    /** Parsed command-line options. */
    static final class Options {
        String command = "help";
        String backend;
        int batches = 32;
        boolean json;
        Path trace;
        Profile profile = Profile.RESNET50;
        double scale = 0.05;
        long steps = 200;
        double stepMs = 5;
        long cancelAfterMs = -1;
        String workload = "profile";
        double megabytes = 1;
        int iters = 8;
        int repeats = 31;
        long maxMegabytes;
        Path nativeFile;

        static Options parse(String[] args) {
            Options o = new Options();
            List<String> rest = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--backend" -> o.backend = value(args, ++i, a);
                    case "--batches" -> {
                        try {
                            o.batches = Integer.parseInt(value(args, ++i, a));
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("--batches needs a whole number, got '" + args[i] + "'");
                        }
                        if (o.batches < 1) {
                            throw new IllegalArgumentException("--batches must be at least 1, got " + o.batches);
                        }
                    }
                    case "--json" -> o.json = true;
                    case "--trace" -> o.trace = Path.of(value(args, ++i, a));
                    case "--profile" -> o.profile = Profile.parse(value(args, ++i, a));
                    case "--workload" -> {
                        o.workload = value(args, ++i, a);
                        if (!o.workload.equals("profile") && !o.workload.equals("real")) {
                            throw new IllegalArgumentException("--workload is profile or real, got '" + o.workload + "'");
                        }
                    }
                    case "--mb" -> o.megabytes = positiveLong(value(args, ++i, a), a);
                    case "--iters" -> o.iters = (int) Math.min(Integer.MAX_VALUE, positiveLong(value(args, ++i, a), a));
                    case "--repeats" -> o.repeats = (int) atMost(positiveLong(value(args, ++i, a), a), 10_000, a);
                    case "--max-mb" -> o.maxMegabytes = atMost(positiveLong(value(args, ++i, a), a), 1L << 20, a);
                    case "--native" -> o.nativeFile = Path.of(value(args, ++i, a));
                    case "--steps" -> o.steps = positiveLong(value(args, ++i, a), a);
                    case "--step-ms" -> o.stepMs = positiveLong(value(args, ++i, a), a);
                    case "--cancel-after" -> o.cancelAfterMs = positiveLong(value(args, ++i, a), a);
                    case "--scale" -> {
                        try {
                            o.scale = Double.parseDouble(value(args, ++i, a));
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("--scale needs a number, got '" + args[i] + "'");
                        }
                        if (!(o.scale > 0)) {
                            throw new IllegalArgumentException("--scale must be above 0, got " + o.scale);
                        }
                    }
                    default -> {
                        if (a.startsWith("--")) {
                            throw new IllegalArgumentException("unknown option " + a);
                        }
                        rest.add(a);
                    }
                }
            }
            if (rest.size() > 1) {
                throw new IllegalArgumentException("one command at a time, got " + rest);
            }
            if (!rest.isEmpty()) {
                o.command = rest.get(0);
            }
            return o;
        }

        private static long atMost(long n, long limit, String option) {
            if (n > limit) {
                throw new IllegalArgumentException(option + " must be at most " + limit + ", got " + n);
            }
            return n;
        }

        private static long positiveLong(String v, String option) {
            try {
                long n = Long.parseLong(v);
                if (n < 1) {
                    throw new IllegalArgumentException(option + " must be at least 1, got " + n);
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " needs a whole number, got '" + v + "'");
            }
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }
    }
}
