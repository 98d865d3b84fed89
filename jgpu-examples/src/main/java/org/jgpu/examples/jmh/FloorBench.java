package org.jgpu.examples.jmh;

import static org.jgpu.examples.jmh.NullContexts.ALPHA;
import static org.jgpu.examples.jmh.NullContexts.BYTES;
import static org.jgpu.examples.jmh.NullContexts.CONFIG;
import static org.jgpu.examples.jmh.NullContexts.N;

import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jgpu.BundledKernels;
import org.jgpu.ContextOptions;
import org.jgpu.EventOption;
import org.jgpu.HostAllocOption;
import org.jgpu.ModuleSource;
import org.jgpu.StreamOptions;
import org.jgpu.spi.DeviceBackend;
import org.jgpu.spi.DevicePointer;
import org.jgpu.spi.NativeEvent;
import org.jgpu.spi.NativeFunction;
import org.jgpu.spi.NativeMemory;
import org.jgpu.spi.NativeStream;
import org.jgpu.spi.OpKind;
import org.jgpu.spi.OpTag;
import org.jgpu.spi.ResolvedKernel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The floor under {@link OpsBench}: the backend calls its operations end in, made directly on
 * the null backend's streams with every argument and tag built beforehand. What an API call
 * costs above this is jgpu's.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FloorBench {
    private static final Set<EventOption> NO_EVENT_OPTIONS = EnumSet.noneOf(EventOption.class);

    DeviceBackend device;
    NativeFunction saxpy;
    NativeStream s;
    NativeStream a;
    NativeStream b;
    NativeStream c;
    NativeMemory x;
    NativeMemory y;
    NativeMemory hostIn;
    NativeMemory hostOut;
    Object[] args;
    OpTag launchTag;
    OpTag h2dTag;
    OpTag d2hTag;
    NativeEvent mine;
    NativeEvent other;
    NativeEvent fromA;
    NativeEvent fromB;

    /** Opens the null device directly, without a context, and builds every argument. */
    @Setup(Level.Trial)
    public void setUp() {
        device = new NullBackendProvider().open(ContextOptions.builder().backend(NullBackendProvider.NAME).build());
        saxpy = device.loadModule(ModuleSource.bundled()).function(new ResolvedKernel(BundledKernels.SAXPY, null, null,
                BundledKernels.contract(BundledKernels.SAXPY)));
        s = device.createStream(StreamOptions.DEFAULT);
        a = device.createStream(StreamOptions.DEFAULT);
        b = device.createStream(StreamOptions.DEFAULT);
        c = device.createStream(StreamOptions.DEFAULT);
        x = device.allocDevice(BYTES);
        y = device.allocDevice(BYTES);
        hostIn = device.allocHost(BYTES, EnumSet.noneOf(HostAllocOption.class));
        hostOut = device.allocHost(BYTES, EnumSet.noneOf(HostAllocOption.class));
        args = new Object[] {ALPHA, DevicePointer.of(x, 0, BYTES), DevicePointer.of(y, 0, BYTES), N};
        launchTag = OpTag.of(OpKind.LAUNCH, "launch " + BundledKernels.SAXPY + " on stream 's'");
        h2dTag = OpTag.of(OpKind.COPY_H2D, "copy H2D of " + BYTES + " bytes on stream 's'");
        d2hTag = OpTag.of(OpKind.COPY_D2H, "copy D2H of " + BYTES + " bytes on stream 'c'");
        mine = device.createEvent(NO_EVENT_OPTIONS);
        other = device.createEvent(NO_EVENT_OPTIONS);
        fromA = device.createEvent(NO_EVENT_OPTIONS);
        fromB = device.createEvent(NO_EVENT_OPTIONS);
        a.record(other);
    }

    /** Closes the device. */
    @TearDown(Level.Trial)
    public void tearDown() {
        device.close();
    }

    /** The backend call under {@link OpsBench#launch()} and {@link OpsBench#launchBoxed()}. */
    @Benchmark
    public void launch() {
        s.launch(saxpy, CONFIG, args, launchTag);
    }

    /** The backend call under {@link OpsBench#copyH2D()}. */
    @Benchmark
    public void copyH2D() {
        s.copy(hostIn, 0, x, 0, BYTES, h2dTag);
    }

    /** @return a new event, recorded: the backend calls under {@link OpsBench#recordNew()} */
    @Benchmark
    public NativeEvent recordNew() {
        NativeEvent e = device.createEvent(NO_EVENT_OPTIONS);
        s.record(e);
        return e;
    }

    /** The backend call under {@link OpsBench#recordExisting()}. */
    @Benchmark
    public void recordExisting() {
        s.record(mine);
    }

    /** The backend call under {@link OpsBench#waitFor()}. */
    @Benchmark
    public void waitFor() {
        s.waitEvent(other);
    }

    /** @return the backend call under {@link OpsBench#query()} */
    @Benchmark
    public boolean query() {
        return s.query();
    }

    /** The 8 backend calls under {@link OpsBench#pipeline()}. */
    @Benchmark
    public void pipeline() {
        a.copy(hostIn, 0, x, 0, BYTES, h2dTag);
        a.record(fromA);
        b.waitEvent(fromA);
        b.launch(saxpy, CONFIG, args, launchTag);
        b.record(fromB);
        c.waitEvent(fromB);
        c.copy(y, 0, hostOut, 0, BYTES, d2hTag);
        c.synchronize();
    }
}
