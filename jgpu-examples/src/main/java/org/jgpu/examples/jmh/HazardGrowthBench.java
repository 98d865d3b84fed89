package org.jgpu.examples.jmh;

import static org.jgpu.examples.jmh.NullContexts.ALPHA;
import static org.jgpu.examples.jmh.NullContexts.BYTES;
import static org.jgpu.examples.jmh.NullContexts.CONFIG;
import static org.jgpu.examples.jmh.NullContexts.N;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.DeviceBuffer;
import org.jgpu.Event;
import org.jgpu.HazardMode;
import org.jgpu.HostBuffer;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
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

/**
 * Whether an operation's cost grows with what came before it: accesses remembered on a
 * buffer (written slices, unordered readers) and streams created and closed. Each history is
 * built once per trial; every measured operation is race-free, so CHECK never throws.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HazardGrowthBench {
    /** Bytes of each written slice. */
    static final int SLICE = 256;

    /** A context in one hazard mode; closed after the trial. */
    @State(Scope.Thread)
    public abstract static class History {
        /** The hazard mode measured. */
        @Param({"OFF", "CHECK", "AUTO"})
        public HazardMode mode;

        Context ctx;

        /** Opens the context and builds the history. */
        @Setup(Level.Trial)
        public void setUp() {
            ctx = NullContexts.open(mode, 0);
            build();
        }

        /** Builds the history on {@link #ctx}. */
        abstract void build();

        /** Closes the context and everything in it. */
        @TearDown(Level.Trial)
        public void tearDown() {
            ctx.close();
        }
    }

    /**
     * Stream {@code writer} wrote {@code slices} distinct 256 B slices of {@code z}; stream
     * {@code copier} waited for that and copies into the first slice.
     */
    public static class Slices extends History {
        /** Slices of the buffer written before the measured copy. */
        @Param({"1", "1024", "16384"})
        public int slices;

        HostBuffer src;
        DeviceBuffer z;
        Stream writer;
        Stream copier;

        @Override
        void build() {
            src = ctx.allocHost(SLICE, "src");
            z = ctx.allocDevice((long) slices * SLICE, "z");
            writer = ctx.createStream();
            copier = ctx.createStream();
            for (int i = 0; i < slices; i++) {
                writer.copy(src, 0, z, (long) i * SLICE, SLICE);
            }
            copier.waitFor(writer.record());
        }
    }

    /**
     * {@code readers} streams each launched {@code saxpy} reading {@code x} once, none ordered
     * with another; stream {@code launcher} launches it reading {@code x} too.
     */
    public static class Readers extends History {
        /** Streams that read the buffer before the measured write. */
        @Param({"1", "512"})
        public int readers;

        Kernel saxpy;
        /** The other readers' streams and outputs, kept open (and reachable) until the context closes. */
        final List<Object> others = new ArrayList<>();
        Stream launcher;
        Object[] args;

        @Override
        void build() {
            saxpy = NullContexts.saxpy(ctx);
            DeviceBuffer x = ctx.allocDevice(BYTES, "x");
            for (int i = 0; i < readers; i++) {
                Stream s = ctx.createStream();
                DeviceBuffer y = ctx.allocDevice(BYTES, "y" + i);
                s.launch(saxpy, CONFIG, ALPHA, x, y, N);
                others.add(s);
                others.add(y);
            }
            launcher = ctx.createStream();
            args = new Object[] {ALPHA, x, ctx.allocDevice(BYTES, "y"), N};
        }
    }

    /**
     * Stream {@code live} recorded {@code event}; then {@code closed} streams were created,
     * each launched the empty kernel {@code noop} once and was closed.
     */
    public static class Churn extends History {
        /** Streams opened and closed before the measurement. */
        @Param({"0", "10000"})
        public int closed;

        Stream live;
        Event event;
        /** Kept, so that its module stays reachable until the context closes it. */
        Kernel noop;

        @Override
        void build() {
            live = ctx.createStream();
            event = live.record();
            noop = NullContexts.bundled(ctx, BundledKernels.NOOP);
            LaunchConfig one = LaunchConfig.forElements(1);
            for (int i = 0; i < closed; i++) {
                Stream s = ctx.createStream();
                s.launch(noop, one);
                s.close();
            }
        }
    }

    /**
     * A copy into one slice of a buffer with many written slices.
     *
     * @param h the history
     */
    @Benchmark
    public void copyAfterSlices(Slices h) {
        h.copier.copy(h.src, 0, h.z, 0, SLICE);
    }

    /**
     * A launch reading a buffer that many unordered streams read.
     *
     * @param h the history
     */
    @Benchmark
    public void launchAfterReaders(Readers h) {
        h.launcher.launch(h.saxpy, CONFIG, h.args);
    }

    /**
     * @param h the history
     * @return the live stream's event, recorded again after many streams came and went
     */
    @Benchmark
    public Event recordAfterChurn(Churn h) {
        return h.live.record(h.event);
    }

    /**
     * @param h the history
     * @return whether the live stream is idle, after many streams came and went
     */
    @Benchmark
    public boolean queryAfterChurn(Churn h) {
        return h.live.query();
    }
}
