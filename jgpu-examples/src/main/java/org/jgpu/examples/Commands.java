package org.jgpu.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.DeviceInfo;
import org.jgpu.Diagnostic;
import org.jgpu.examples.bench.Bench;
import org.jgpu.pipeline.PipelineReport;
import org.jgpu.trace.ChromeTrace;
import org.jgpu.trace.Timeline;
import org.jgpu.trace.Tracing;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** The CLI's commands, each with only its own options. */
final class Commands {
    private Commands() {
    }

    /**
     * Where a command writes, and how Ctrl-C reaches it.
     *
     * @param out results
     * @param err progress and errors
     * @param interruption Ctrl-C
     */
    record Io(PrintStream out, PrintStream err, Interruption interruption) {
    }

    /** The base of the commands that run streams on a context: {@code --backend}, {@code --json}, {@code --trace}. */
    abstract static class OnContext implements Callable<Integer> {
        @Mixin
        Options.Backend backend;
        @Mixin
        Options.Json json;
        @Mixin
        Options.Trace trace;
        @Spec
        CommandSpec spec;
        final Io io;

        OnContext(Io io) {
            this.io = io;
        }

        /** Runs the example on the context, reporting into {@code r}. */
        abstract void run(Context ctx, Report r);

        /**
         * Checks options that are wrong together, before any work.
         *
         * @throws ParameterException if some are
         */
        void validate() {
        }

        /** @return what {@code --trace} writes: by default every op the context traced */
        Timeline timeline(Context ctx) {
            return Tracing.timeline(ctx);
        }

        /** @return whether {@link #timeline} needs the context to trace its ops */
        boolean tracesContext() {
            return true;
        }

        @Override
        public Integer call() {
            validate();
            ContextOptions.Builder options = ContextOptions.builder().backend(backend.name);
            if (trace.file != null && tracesContext()) {
                options.diagnostics(EnumSet.of(Diagnostic.TIMELINE));
            }
            try (Context ctx = Context.create(options.build())) {
                DeviceInfo d = ctx.device();
                Report r = new Report(io.out(), json.enabled);
                r.json.put("command", spec.name()).put("backend", d.backend()).put("device", d.name())
                        .put("simulated", d.simulated());
                r.line("device: %s (%s backend%s)", d.name(), d.backend(),
                        d.simulated() ? "; simulated: timings from its engine model and the kernels' Java twins, not a performance claim" : "");
                run(ctx, r);
                if (trace.file != null) {
                    write(trace.file, ChromeTrace.json(timeline(ctx)));
                    r.line("timeline written to %s as a Chrome trace (open it in Perfetto)", trace.file);
                    r.json.put("trace", trace.file.toString());
                }
                r.finish();
            }
            return 0;
        }

        private static void write(Path file, String text) {
            try {
                Files.writeString(file, text);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the trace to " + file + ": " + e.getMessage(), e);
            }
        }
    }

    /** {@code compare} and the single-pipeline commands. */
    @Command(name = "compare", mixinStandardHelpOptions = true)
    static final class Pipelines extends OnContext {
        @Mixin
        Options.Batches batches;
        @Mixin
        Options.Stages stages;
        @Option(names = "--workload", paramLabel = "profile|real", defaultValue = "profile", converter = WorkloadKind.class,
                description = "profile: stages that take the profile's times; real: copies of --mb MiB and fma_loop "
                + "kernels of --iters iterations, their results checked (default: ${DEFAULT-VALUE})")
        String workload;
        @Option(names = "--mb", paramLabel = "MIB", converter = Options.PositiveDouble.class,
                description = "MiB a real batch moves each way, e.g. 0.5 (default: 1)")
        Double megabytes;
        @Option(names = "--iters", paramLabel = "K", converter = Options.PositiveInt.class,
                description = "fma_loop iterations per element of a real batch (default: 8)")
        Integer iters;
        private final List<Compare.Mode> modes;
        private PipelineReport best;

        Pipelines(Io io, List<Compare.Mode> modes) {
            super(io);
            this.modes = modes;
        }

        @Override
        void validate() {
            boolean real = workload.equals("real");
            for (String option : real ? List.of("--profile", "--scale") : List.of("--mb", "--iters")) {
                if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                    throw new ParameterException(spec.commandLine(), option + " applies to --workload "
                            + (real ? "profile" : "real") + ", not " + workload);
                }
            }
        }

        @Override
        void run(Context ctx, Report r) {
            Workload w = workload.equals("real")
                    ? new RealWorkload(ctx, megabytes == null ? 1 : megabytes, iters == null ? 8 : iters)
                    : new ProfileWorkload(ctx, stages.scaled());
            List<PipelineReport> reports = Compare.runAll(ctx, w, modes, batches.batches);
            best = Compare.best(reports);
            r.json.put("batches", batches.batches).set("profile", w.json());
            r.json.set("results", Compare.resultsJson(reports));
            r.line("workload: %s; %d batches", w.describe(), batches.batches);
            if (!r.json()) {
                Compare.printTable(io.out(), reports);
                io.out().println();
                io.out().println("timeline of " + best.mode() + ":");
                io.out().print(Compare.gantt(best, 100));
            }
        }

        /** The fastest mode's timeline, with its CPU stages: the one the Gantt chart shows. */
        @Override
        Timeline timeline(Context ctx) {
            return best.timeline();
        }

        @Override
        boolean tracesContext() {
            return false;
        }
    }

    /** {@code profile} or {@code real}. */
    static final class WorkloadKind implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (!value.equals("profile") && !value.equals("real")) {
                throw new TypeConversionException("'" + value + "' is not a workload; use profile or real");
            }
            return value;
        }
    }

    @Command(name = "stream-query", mixinStandardHelpOptions = true,
            description = "A long kernel runs while the host keeps working and polls stream.query().")
    static final class StreamQuery extends OnContext {
        @Option(names = "--kernel-ms", paramLabel = "MS", defaultValue = "100", converter = Options.PositiveDouble.class,
                description = "how long the kernel runs (default: ${DEFAULT-VALUE})")
        double kernelMs;

        StreamQuery(Io io) {
            super(io);
        }

        @Override
        void run(Context ctx, Report r) {
            StreamQueryExample.run(ctx, kernelMs, r);
        }
    }

    @Command(name = "prefetch", mixinStandardHelpOptions = true,
            description = "DeviceLoader workers decode batches ahead of the device, against one step after the other.")
    static final class Prefetch extends OnContext {
        @Mixin
        Options.Batches batches;
        @Mixin
        Options.Stages stages;
        @Mixin
        Options.Progress progress;

        Prefetch(Io io) {
            super(io);
        }

        @Override
        void run(Context ctx, Report r) {
            PrefetchExample.run(ctx, stages.scaled(), batches.batches, progress.bar(io.err(), "prefetch"), r);
        }
    }

    @Command(name = "training-loop", mixinStandardHelpOptions = true,
            description = "Linear regression by SGD with BLAS on a stream, through DeviceLoader.run (each step's loss downloaded).")
    static final class TrainingLoop extends OnContext {
        @Mixin
        Options.Batches batches;

        TrainingLoop(Io io) {
            super(io);
        }

        @Override
        void run(Context ctx, Report r) {
            TrainingLoopExample.run(ctx, batches, r);
        }
    }

    @Command(name = "inference", mixinStandardHelpOptions = true,
            description = "relu(X W + b) over batches prepared by workers, uploaded, computed and downloaded by DeviceLoader.run, checked against the CPU.")
    static final class Inference extends OnContext {
        @Mixin
        Options.Batches batches;

        Inference(Io io) {
            super(io);
        }

        @Override
        void run(Context ctx, Report r) {
            InferenceExample.run(ctx, batches, r);
        }
    }

    @Command(name = "vector-search", mixinStandardHelpOptions = true,
            description = "Batched k-NN (L2 distances, top-k), double-buffered, checked by brute force.")
    static final class VectorSearch extends OnContext {
        @Mixin
        Options.Batches batches;

        VectorSearch(Io io) {
            super(io);
        }

        @Override
        void run(Context ctx, Report r) {
            VectorSearchExample.run(ctx, batches, r);
        }
    }

    @Command(name = "async-job", mixinStandardHelpOptions = true,
            description = "A long kernel with a progress bar, cancelled by Ctrl-C or --cancel-after.")
    static final class AsyncJobCommand extends OnContext {
        @Option(names = "--steps", paramLabel = "N", defaultValue = "200", converter = Options.PositiveLong.class,
                description = "steps the kernel counts (default: ${DEFAULT-VALUE})")
        long steps;
        @Option(names = "--step-ms", paramLabel = "MS", defaultValue = "5", converter = Options.PositiveDouble.class,
                description = "time per step, e.g. 0.5 (default: ${DEFAULT-VALUE})")
        double stepMs;
        @Option(names = "--cancel-after", paramLabel = "MS", converter = Options.PositiveDouble.class,
                description = "cancel the job after this long (default: let it finish)")
        Double cancelAfterMs;
        @Mixin
        Options.Progress progress;

        AsyncJobCommand(Io io) {
            super(io);
        }

        @Override
        void run(Context ctx, Report r) {
            Duration cancelAfter = cancelAfterMs == null ? null : Duration.ofNanos((long) (cancelAfterMs * 1e6));
            AsyncJobExample.run(ctx, new AsyncJobExample.Settings(steps, stepMs, cancelAfter),
                    progress.bar(io.err(), "job"), io.interruption(), r);
        }
    }

    @Command(name = "bench", mixinStandardHelpOptions = true,
            description = {"Per-operation costs (launch, events, queries, synchronize, callbacks, stream-ordered alloc), "
                    + "launch and graph throughput, copy bandwidth 4 KiB..1 GiB, and what hazard checking costs; "
                    + "raw JCuda beside jgpu on CUDA."})
    static final class BenchCommand implements Callable<Integer> {
        @Mixin
        Options.Backend backend;
        @Mixin
        Options.Json json;
        @Option(names = "--repeats", paramLabel = "N", defaultValue = "31", converter = Repeats.class,
                description = "samples per row, 1 to 10000; the median is reported (default: ${DEFAULT-VALUE})")
        int repeats;
        @Option(names = "--max-mb", paramLabel = "N", converter = MaxMegabytes.class,
                description = "the largest copy in MiB (default: 64 on the host backend, else 1024)")
        Long maxMegabytes;
        @Option(names = "--native", paramLabel = "FILE", converter = Options.ReadableFile.class,
                description = "add the native baseline's rows: the output of kernels/bench/bench")
        Path nativeFile;
        private final Io io;

        BenchCommand(Io io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            long maxBytes = maxMegabytes == null ? 0 : maxMegabytes << 20;
            return Bench.run(new Bench.Settings(backend.name, json.enabled, repeats, maxBytes, nativeFile), io.out(), io.err());
        }
    }

    /** {@code --repeats}: 1 to 10000. */
    static final class Repeats implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return (int) Options.wholeNumber(value, 1, 10_000);
        }
    }

    /** {@code --max-mb}: 1 MiB to 1 TiB. */
    static final class MaxMegabytes implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return Options.wholeNumber(value, 1, 1L << 20);
        }
    }
}
