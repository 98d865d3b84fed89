package org.jgpu.examples;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.jgpu.BackendStatus;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.DeviceInfo;

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
        } catch (org.jgpu.BackendUnavailableException | IllegalArgumentException e) {
            // a backend that cannot be used here, or an argument the command found wrong
            err.println("error: " + e.getMessage());
            return 2;
        }
    }

    private static int dispatch(Options o, PrintStream out, PrintStream err) {
        switch (o.command) {
            case "list":
                return list(out);
            case "compare":
                return compare(o, out, Compare.ALL);
            case "sequential":
            case "double-buffer":
            case "triple-buffer":
            case "multi-stream":
                return compare(o, out, java.util.List.of(Compare.mode(o.command.replace("-buffer", ""))));
            case "stream-query":
                return example(o, out, StreamQueryExample::run);
            case "prefetch":
                return example(o, out, PrefetchExample::run);
            case "training-loop":
                return example(o, out, TrainingLoopExample::run);
            case "inference":
                return example(o, out, InferenceExample::run);
            case "vector-search":
                return example(o, out, VectorSearchExample::run);
            case "async-job":
                return example(o, out, AsyncJobExample::run);
            case "bench":
                return org.jgpu.examples.bench.Bench.run(new org.jgpu.examples.bench.Bench.Settings(o.backend, o.json,
                        o.repeats, o.maxMegabytes << 20, o.nativeFile), out, err);
            case "help":
                out.println(usage());
                return 0;
            default:
                err.println("error: unknown command '" + o.command + "'");
                err.println(usage());
                return 2;
        }
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

    private static int compare(Options o, PrintStream out, java.util.List<Compare.Mode> modes) {
        Profile profile = o.profile.scaled(o.scale);
        try (Context ctx = Context.create(ContextOptions.builder().backend(o.backend).build())) {
            DeviceInfo d = ctx.device();
            Workload w = o.workload.equals("real") ? new RealWorkload(ctx, o.megabytes, o.iters)
                    : new ProfileWorkload(ctx, profile);
            java.util.List<org.jgpu.pipeline.PipelineReport> reports = Compare.runAll(ctx, w, modes, o.batches);
            org.jgpu.pipeline.PipelineReport best = Compare.best(reports);
            if (o.trace != null) {
                try {
                    java.nio.file.Files.writeString(o.trace, org.jgpu.trace.ChromeTrace.json(best.timeline()));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException("cannot write " + o.trace, e);
                }
            }
            if (o.json) {
                out.println("{\"command\":" + org.jgpu.trace.ChromeTrace.quote(o.command) + ",\"backend\":"
                        + org.jgpu.trace.ChromeTrace.quote(d.backend()) + ",\"device\":"
                        + org.jgpu.trace.ChromeTrace.quote(d.name()) + ",\"simulated\":" + d.simulated()
                        + ",\"batches\":" + o.batches + ",\"profile\":" + w.json()
                        + ",\"results\":" + Compare.resultsJson(reports) + "}");
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
        java.nio.file.Path trace;
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
        java.nio.file.Path nativeFile;

        static Options parse(String[] args) {
            Options o = new Options();
            List<String> rest = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--backend":
                        o.backend = value(args, ++i, a);
                        break;
                    case "--batches":
                        try {
                            o.batches = Integer.parseInt(value(args, ++i, a));
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("--batches needs a whole number, got '" + args[i] + "'");
                        }
                        if (o.batches < 1) {
                            throw new IllegalArgumentException("--batches must be at least 1, got " + o.batches);
                        }
                        break;
                    case "--json":
                        o.json = true;
                        break;
                    case "--trace":
                        o.trace = java.nio.file.Path.of(value(args, ++i, a));
                        break;
                    case "--profile":
                        o.profile = Profile.parse(value(args, ++i, a));
                        break;
                    case "--workload":
                        o.workload = value(args, ++i, a);
                        if (!o.workload.equals("profile") && !o.workload.equals("real")) {
                            throw new IllegalArgumentException("--workload is profile or real, got '" + o.workload + "'");
                        }
                        break;
                    case "--mb":
                        o.megabytes = positiveLong(value(args, ++i, a), a);
                        break;
                    case "--iters":
                        o.iters = (int) Math.min(Integer.MAX_VALUE, positiveLong(value(args, ++i, a), a));
                        break;
                    case "--repeats":
                        o.repeats = (int) atMost(positiveLong(value(args, ++i, a), a), 10_000, a);
                        break;
                    case "--max-mb":
                        o.maxMegabytes = atMost(positiveLong(value(args, ++i, a), a), 1L << 20, a);
                        break;
                    case "--native":
                        o.nativeFile = java.nio.file.Path.of(value(args, ++i, a));
                        break;
                    case "--steps":
                        o.steps = positiveLong(value(args, ++i, a), a);
                        break;
                    case "--step-ms":
                        o.stepMs = positiveLong(value(args, ++i, a), a);
                        break;
                    case "--cancel-after":
                        o.cancelAfterMs = positiveLong(value(args, ++i, a), a);
                        break;
                    case "--scale":
                        try {
                            o.scale = Double.parseDouble(value(args, ++i, a));
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("--scale needs a number, got '" + args[i] + "'");
                        }
                        if (!(o.scale > 0)) {
                            throw new IllegalArgumentException("--scale must be above 0, got " + o.scale);
                        }
                        break;
                    default:
                        if (a.startsWith("--")) {
                            throw new IllegalArgumentException("unknown option " + a);
                        }
                        rest.add(a);
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
