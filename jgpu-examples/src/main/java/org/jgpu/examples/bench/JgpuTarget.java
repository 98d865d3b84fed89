package org.jgpu.examples.bench;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import org.jgpu.BundledKernels;
import org.jgpu.Context;
import org.jgpu.ContextOptions;
import org.jgpu.DeviceBuffer;
import org.jgpu.Event;
import org.jgpu.EventOption;
import org.jgpu.Graph;
import org.jgpu.HostBuffer;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
import org.jgpu.KernelModule;
import org.jgpu.ModuleSource;
import org.jgpu.Stream;
import java.nio.ByteBuffer;
import java.util.Random;

/** The benchmark operations through jgpu's public API, on whichever backend the options pick. */
final class JgpuTarget implements Target {
    private static final LaunchConfig ONE = LaunchConfig.forElements(1);

    private final String name;
    private final Context ctx;
    private final Stream stream;
    private final Stream other;
    private final Kernel noop;
    private final Kernel scale;
    private final DeviceBuffer one;
    private final Event plain;
    private final Event timed;
    private final Event start;
    private final Event end;
    private final Event crossed;
    private final Map<Long, byte[]> heap = new HashMap<>();
    private HostBuffer hostIn;
    private HostBuffer hostOut;
    private DeviceBuffer devIn;
    private DeviceBuffer devOut;
    private Graph graph;
    private volatile boolean called;

    /**
     * @param name the column name
     * @param options the context to create (backend, hazard mode)
     */
    JgpuTarget(String name, ContextOptions options) {
        this.name = name;
        this.ctx = Context.create(options);
        this.stream = ctx.createStream();
        this.other = ctx.createStream();
        KernelModule m = ctx.loadModule(ModuleSource.bundled());
        this.noop = m.kernel(BundledKernels.NOOP);
        this.scale = m.kernel(BundledKernels.SCALE);
        this.one = ctx.allocDevice(4, "one");
        this.plain = ctx.createEvent();
        this.timed = ctx.createEvent(EnumSet.of(EventOption.TIMING));
        this.start = ctx.createEvent(EnumSet.of(EventOption.TIMING));
        this.end = ctx.createEvent(EnumSet.of(EventOption.TIMING));
        this.crossed = ctx.createEvent();
        stream.fill(one, 1f);
        stream.synchronize();
    }

    /** @return the context, for the device's description */
    Context context() {
        return ctx;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void launchNoop() {
        stream.launch(noop, ONE);
    }

    @Override
    public void launchScale() {
        stream.launch(scale, ONE, one, 1f, 1);
    }

    @Override
    public void recordEvent() {
        stream.record(plain);
    }

    @Override
    public void recordTimingEvent() {
        stream.record(timed);
    }

    @Override
    public boolean queryEvent() {
        return plain.query();
    }

    @Override
    public boolean queryStream() {
        return stream.query();
    }

    @Override
    public void synchronize() {
        stream.synchronize();
    }

    @Override
    public void callbackRoundTrip() {
        called = false;
        stream.callback(() -> called = true);
        while (!called) {
            Thread.onSpinWait();
        }
    }

    @Override
    public void allocFreeAsync(long bytes) {
        ctx.allocAsync(bytes, stream).close();
    }

    @Override
    public void prepareCopies(long bytes) {
        hostIn = ctx.allocHost(bytes, "pinned-in");
        hostOut = ctx.allocHost(bytes, "pinned-out");
        devIn = ctx.allocDevice(bytes, "device-in");
        devOut = ctx.allocDevice(bytes, "device-out");
        // never time all-zero data: some paths compress or skip it
        ByteBuffer b = hostIn.asByteBuffer();
        for (int i = 0; i + 8 <= b.capacity(); i += 4096) {
            b.putLong(i, i * 0x9E3779B97F4A7C15L);
        }
        stream.copy(hostIn, devOut);
        stream.synchronize();
    }

    @Override
    public long copyNanos(Copy kind, long bytes) {
        return switch (kind) {
            case H2D_HEAP, D2H_HEAP -> heapCopyNanos(kind, bytes);
            case H2D_PINNED, D2H_PINNED, BIDIR_PINNED -> pinnedCopyNanos(kind, bytes);
        };
    }

    private long heapCopyNanos(Copy kind, long bytes) {
        byte[] a = heap.computeIfAbsent(bytes, b -> filled((int) (long) b));
        long t0 = System.nanoTime();
        if (kind == Copy.H2D_HEAP) {
            stream.copy(a, devIn);
        } else {
            stream.copy(devOut, a);
        }
        return System.nanoTime() - t0;
    }

    private long pinnedCopyNanos(Copy kind, long bytes) {
        stream.record(start);
        if (kind == Copy.BIDIR_PINNED) {
            other.waitFor(start);
            stream.copy(hostIn, 0, devIn, 0, bytes);
            other.copy(devOut, 0, hostOut, 0, bytes);
            other.record(crossed);
            stream.waitFor(crossed);
        } else if (kind == Copy.H2D_PINNED) {
            stream.copy(hostIn, 0, devIn, 0, bytes);
        } else {
            stream.copy(devOut, 0, hostOut, 0, bytes);
        }
        stream.record(end);
        return end.elapsedSince(start).toNanos();
    }

    private static byte[] filled(int bytes) {
        byte[] a = new byte[bytes];
        new Random(42).nextBytes(a);
        return a;
    }

    @Override
    public void prepareGraph(int kernels) {
        graph = stream.capture(() -> {
            for (int i = 0; i < kernels; i++) {
                stream.launch(noop, ONE);
            }
        });
    }

    @Override
    public void launchGraph() {
        stream.launch(graph);
    }

    @Override
    public void close() {
        // the context closes what is left, after its pending work
        ctx.close();
    }
}
