package org.jgpu.examples.jmh;

import static org.jgpu.examples.jmh.NullContexts.ALPHA;
import static org.jgpu.examples.jmh.NullContexts.BYTES;
import static org.jgpu.examples.jmh.NullContexts.CONFIG;
import static org.jgpu.examples.jmh.NullContexts.N;

import java.util.concurrent.TimeUnit;
import org.jgpu.Context;
import org.jgpu.DeviceBuffer;
import org.jgpu.Event;
import org.jgpu.HazardMode;
import org.jgpu.HostBuffer;
import org.jgpu.Kernel;
import org.jgpu.KernelArgs;
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
 * What one API call costs on the null backend, in each hazard mode: jgpu's own Java layer with
 * the device taken away. {@link FloorBench} makes the same backend calls directly.
 *
 * <p>Every operation here is race-free, so CHECK never throws and AUTO inserts nothing
 * (OpsBenchTest checks both): the difference between modes is the bookkeeping alone.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class OpsBench {
    /** The hazard mode measured. */
    @Param({"OFF", "CHECK", "AUTO"})
    public HazardMode mode;

    Context ctx;
    Kernel saxpy;
    Stream s;
    Stream a;
    Stream b;
    Stream c;
    DeviceBuffer x;
    DeviceBuffer y;
    HostBuffer hostIn;
    HostBuffer hostOut;
    /** saxpy's arguments, built once. */
    Object[] args;
    /** saxpy's arguments kept from launch to launch, set again before each. */
    KernelArgs kept;
    /** Recorded again and again on {@link #s}. */
    Event mine;
    /** Recorded once on {@link #a}; {@link #s} waits for it. */
    Event other;
    Event fromA;
    Event fromB;
    /** Not final and not static, so that the call site boxes them as a program would. */
    float alpha = ALPHA;
    int n = N;

    /** Opens the context, its streams, buffers and events; records {@link #other} once. */
    @Setup(Level.Trial)
    public void setUp() {
        ctx = NullContexts.open(mode, 0);
        saxpy = NullContexts.saxpy(ctx);
        s = ctx.createStream();
        a = ctx.createStream();
        b = ctx.createStream();
        c = ctx.createStream();
        x = ctx.allocDevice(BYTES, "x");
        y = ctx.allocDevice(BYTES, "y");
        hostIn = ctx.allocHost(BYTES, "hostIn");
        hostOut = ctx.allocHost(BYTES, "hostOut");
        args = new Object[] {ALPHA, x, y, N};
        kept = saxpy.args();
        mine = ctx.createEvent();
        other = ctx.createEvent();
        fromA = ctx.createEvent();
        fromB = ctx.createEvent();
        a.record(other);
    }

    /** Closes the context and everything in it. */
    @TearDown(Level.Trial)
    public void tearDown() {
        ctx.close();
    }

    /** {@code saxpy} with an argument array built once. */
    @Benchmark
    public void launch() {
        s.launch(saxpy, CONFIG, args);
    }

    /** {@code saxpy} as a program calls it: a varargs array and two boxed scalars per call. */
    @Benchmark
    public void launchBoxed() {
        s.launch(saxpy, CONFIG, alpha, x, y, n);
    }

    /** {@code saxpy} with {@link KernelArgs} set as a hot loop sets them: every value, none changed. */
    @Benchmark
    public void launchArgs() {
        s.launch(saxpy, CONFIG, kept.set(0, alpha).set(1, x).set(2, y).set(3, n));
    }

    /** A whole host buffer into a device buffer. */
    @Benchmark
    public void copyH2D() {
        s.copy(hostIn, x);
    }

    /**
     * A record into a new event, the form {@code a.waitFor(b.record())} uses.
     *
     * @return the event (JMH consumes it)
     */
    @Benchmark
    public Event recordNew() {
        return s.record();
    }

    /** @return the same event, recorded again */
    @Benchmark
    public Event recordExisting() {
        return s.record(mine);
    }

    /** A wait for another stream's event. */
    @Benchmark
    public void waitFor() {
        s.waitFor(other);
    }

    /** @return whether the stream is idle (always, on the null backend) */
    @Benchmark
    public boolean query() {
        return s.query();
    }

    /**
     * One pipeline iteration: upload on a, compute on b, download on c, then wait for c. The
     * synchronize orders the next upload into {@link #x} after this launch's read of it.
     */
    @Benchmark
    public void pipeline() {
        a.copy(hostIn, x);
        a.record(fromA);
        b.waitFor(fromA);
        b.launch(saxpy, CONFIG, args);
        b.record(fromB);
        c.waitFor(fromB);
        c.copy(y, hostOut);
        c.synchronize();
    }
}
