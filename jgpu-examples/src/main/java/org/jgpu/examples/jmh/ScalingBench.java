package org.jgpu.examples.jmh;

import static org.jgpu.examples.jmh.NullContexts.ALPHA;
import static org.jgpu.examples.jmh.NullContexts.BYTES;
import static org.jgpu.examples.jmh.NullContexts.CONFIG;
import static org.jgpu.examples.jmh.NullContexts.N;

import java.util.concurrent.TimeUnit;
import org.jgpu.Context;
import org.jgpu.HazardMode;
import org.jgpu.Kernel;
import org.jgpu.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * How launches scale with threads: each thread launches {@code saxpy} on its own stream and
 * buffers, either all in one shared context or each in a context of its own, with the null
 * backend's launch taking 0 or 2.5 us (about what {@code cuLaunchKernel} takes). Two threads
 * reach twice one thread's rate only if nothing they share serialises them.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ScalingBench {

    /** The parameters every variant shares. */
    @State(Scope.Benchmark)
    public static class Config {
        /** What each backend call costs (the null backend's modelled time). */
        @Param({"0", "2500"})
        public long launchNanos;

        /** The hazard mode measured. */
        @Param({"OFF", "CHECK"})
        public HazardMode mode;
    }

    /** One thread's launches: its stream, its buffers, {@code saxpy}'s arguments. */
    static final class Launcher {
        private final Stream stream;
        private final Kernel saxpy;
        private final Object[] args;

        Launcher(Context ctx) {
            stream = ctx.createStream();
            saxpy = NullContexts.saxpy(ctx);
            args = new Object[] {ALPHA, ctx.allocDevice(BYTES, "x"), ctx.allocDevice(BYTES, "y"), N};
        }

        void launch() {
            stream.launch(saxpy, CONFIG, args);
        }

        /** @return the backend calls made on the thread's stream so far */
        long calls() {
            return NullContexts.calls(stream);
        }
    }

    /** The context all threads share. */
    @State(Scope.Benchmark)
    public static class SharedContext {
        Context ctx;

        /** @param config the parameters */
        @Setup(Level.Trial)
        public void open(Config config) {
            ctx = NullContexts.open(config.mode, config.launchNanos);
        }

        /** Closes the context, and with it every thread's stream and buffers. */
        @TearDown(Level.Trial)
        public void close() {
            ctx.close();
        }
    }

    /** A thread's stream and buffers in the shared context. */
    @State(Scope.Thread)
    public static class InSharedContext {
        Launcher launcher;

        /** @param shared the context to make them in */
        @Setup(Level.Trial)
        public void open(SharedContext shared) {
            launcher = new Launcher(shared.ctx);
        }
    }

    /** A thread's own context, stream and buffers. */
    @State(Scope.Thread)
    public static class OwnContext {
        Context ctx;
        Launcher launcher;

        /** @param config the parameters */
        @Setup(Level.Trial)
        public void open(Config config) {
            ctx = NullContexts.open(config.mode, config.launchNanos);
            launcher = new Launcher(ctx);
        }

        /** Closes the thread's context. */
        @TearDown(Level.Trial)
        public void close() {
            ctx.close();
        }
    }

    /** @param t the thread's launcher, in the shared context */
    @Benchmark
    @Threads(1)
    public void sharedContext1Thread(InSharedContext t) {
        t.launcher.launch();
    }

    /** @param t the thread's launcher, in the shared context */
    @Benchmark
    @Threads(2)
    public void sharedContext2Threads(InSharedContext t) {
        t.launcher.launch();
    }

    /** @param t the thread's launcher, in its own context */
    @Benchmark
    @Threads(1)
    public void ownContext1Thread(OwnContext t) {
        t.launcher.launch();
    }

    /** @param t the thread's launcher, in its own context */
    @Benchmark
    @Threads(2)
    public void ownContext2Threads(OwnContext t) {
        t.launcher.launch();
    }
}
