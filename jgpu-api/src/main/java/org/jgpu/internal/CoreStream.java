package org.jgpu.internal;

import java.lang.ref.Reference;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jgpu.Arg;
import org.jgpu.Buffer;
import org.jgpu.DeviceBuffer;
import org.jgpu.Event;
import org.jgpu.Graph;
import org.jgpu.Kernel;
import org.jgpu.KernelArgs;
import org.jgpu.LaunchConfig;
import org.jgpu.Stream;
import org.jgpu.StreamOptions;
import org.jgpu.internal.hazard.Touch;
import org.jgpu.spi.DevicePointer;
import org.jgpu.spi.ExtensibleStream;
import org.jgpu.spi.Extensions;
import org.jgpu.spi.NativeStream;
import org.jgpu.spi.OpKind;
import org.jgpu.trace.Engine;

/** The one implementation of {@link Stream}. */
final class CoreStream extends StreamLifetime implements ExtensibleStream {
    /** Indexed by (source is host ? 2 : 0) + (destination is host ? 1 : 0). */
    private static final OpKind[] COPY_KINDS = {OpKind.COPY_D2D, OpKind.COPY_D2H, OpKind.COPY_H2D, OpKind.COPY_H2H};

    private final Scope scope;
    private final StreamState state;

    /** Called under the context's lock. */
    CoreStream(Scope scope, NativeStream stream, StreamOptions options, Kind kind) {
        super(scope, stream, options, kind);
        this.scope = scope;
        this.state = state();
    }

    @Override
    public NativeStream nativeStream() {
        ensureOpen();
        return state.nativeStream();
    }

    @Override
    public void enqueue(String op, Engine engine, Arg[] buffers, Extensions.Work work) {
        DevicePointer[] pointers = new DevicePointer[buffers.length];
        Touch[] touches = new Touch[buffers.length];
        for (int i = 0; i < buffers.length; i++) {
            Checks.notNull(buffers[i], "buffers[" + i + "]");
            CoreBuffer b = scope.own(buffers[i].buffer(), op + " buffer " + i);
            b.ensureOpen();
            pointers[i] = b;
            touches[i] = b.touch(0, b.size(), buffers[i].access().reads(), buffers[i].access().writes());
        }
        scope.sequencer().enqueue(state, Op.of(op, engine, () -> work.enqueue(state.nativeStream(), pointers), touches));
    }

    /** Made while the stream is kept from closing. */
    @Override
    public <T extends AutoCloseable> T attachment(Class<T> type, Function<NativeStream, ? extends T> create) {
        enter();
        try {
            return state.attachment(type, create);
        } finally {
            state.gate().exit();
            // the stream must stay reachable while its attachment is made: else the cleaner could
            // take it for a leak and close the table being added to
            Reference.reachabilityFence(this);
        }
    }

    /** Also after the stream closed: then false. */
    @Override
    public boolean detach(Class<?> type, AutoCloseable attachment) {
        return state.detach(type, attachment);
    }

    @Override
    public long nativeHandle() {
        enter();
        try {
            return scope.backend().streamHandle(state.nativeStream());
        } finally {
            state.gate().exit();
        }
    }

    /** @return the frame that enqueues an operation, for its tag; null unless {@code CALLER_FRAMES} is on */
    StackTraceElement callerFrame() {
        return scope.diagnostics().callerFrame();
    }

    // ---- copies

    @Override
    public void copy(Buffer src, Buffer dst) {
        CoreBuffer s = scope.ownOrPeer(src, "src");
        CoreBuffer d = scope.ownOrPeer(dst, "dst");
        if (s.size() != d.size()) {
            throw new IllegalArgumentException("copy: src " + s.describe() + " has " + s.size() + " bytes but dst "
                    + d.describe() + " has " + d.size() + "; use copy(src, srcOffset, dst, dstOffset, bytes) for part of one");
        }
        copy(src, 0, dst, 0, s.size());
    }

    @Override
    public void copy(Buffer src, long srcOffset, Buffer dst, long dstOffset, long bytes) {
        CoreBuffer s = scope.ownOrPeer(src, "src");
        CoreBuffer d = scope.ownOrPeer(dst, "dst");
        s.ensureOpen();
        d.ensureOpen();
        Checks.range("src", s, srcOffset, bytes, s.size());
        Checks.range("dst", d, dstOffset, bytes, d.size());
        if (bytes == 0) {
            return;
        }
        if (s.scope() != d.scope()) {
            scope.sequencer().enqueue(state, new TaggedOp.Copy(name(), callerFrame(), PeerCopies.kind(scope, s, d),
                    s.memory(), s.touch(srcOffset, bytes, true, false), d.memory(), d.touch(dstOffset, bytes, false, true),
                    (s.scope() == scope ? d : s).scope().sequencer()));
            return;
        }
        OpKind copyKind = COPY_KINDS[(s.isHost() ? 2 : 0) + (d.isHost() ? 1 : 0)];
        scope.sequencer().enqueue(state, new TaggedOp.Copy(name(), callerFrame(), copyKind,
                s.memory(), s.touch(srcOffset, bytes, true, false), d.memory(), d.touch(dstOffset, bytes, false, true)));
    }

    @Override
    public void copy(float[] src, Buffer dst) {
        HeapCopies.fromHeap(this, HeapCopies.of(src), dst);
    }

    @Override
    public void copy(Buffer src, float[] dst) {
        HeapCopies.toHeap(this, src, dst);
    }

    @Override
    public void copy(int[] src, Buffer dst) {
        HeapCopies.fromHeap(this, HeapCopies.of(src), dst);
    }

    @Override
    public void copy(Buffer src, int[] dst) {
        HeapCopies.toHeap(this, src, dst);
    }

    @Override
    public void copy(byte[] src, Buffer dst) {
        HeapCopies.fromHeap(this, HeapCopies.of(src), dst);
    }

    @Override
    public void copy(Buffer src, byte[] dst) {
        HeapCopies.toHeap(this, src, dst);
    }

    // ---- uploads and downloads of Java arrays, staged through pinned memory

    @Override
    public void upload(float[] src, int offset, int length, DeviceBuffer dst) {
        ArrayTransfers.upload(this, ArrayType.FLOAT, src, offset, length, dst);
    }

    @Override
    public CompletableFuture<float[]> download(DeviceBuffer src, float[] dst, int offset, int length) {
        return ArrayTransfers.download(this, ArrayType.FLOAT, src, dst, offset, length);
    }

    @Override
    public void upload(int[] src, int offset, int length, DeviceBuffer dst) {
        ArrayTransfers.upload(this, ArrayType.INT, src, offset, length, dst);
    }

    @Override
    public CompletableFuture<int[]> download(DeviceBuffer src, int[] dst, int offset, int length) {
        return ArrayTransfers.download(this, ArrayType.INT, src, dst, offset, length);
    }

    @Override
    public void upload(long[] src, int offset, int length, DeviceBuffer dst) {
        ArrayTransfers.upload(this, ArrayType.LONG, src, offset, length, dst);
    }

    @Override
    public CompletableFuture<long[]> download(DeviceBuffer src, long[] dst, int offset, int length) {
        return ArrayTransfers.download(this, ArrayType.LONG, src, dst, offset, length);
    }

    @Override
    public void upload(double[] src, int offset, int length, DeviceBuffer dst) {
        ArrayTransfers.upload(this, ArrayType.DOUBLE, src, offset, length, dst);
    }

    @Override
    public CompletableFuture<double[]> download(DeviceBuffer src, double[] dst, int offset, int length) {
        return ArrayTransfers.download(this, ArrayType.DOUBLE, src, dst, offset, length);
    }

    @Override
    public void upload(byte[] src, int offset, int length, DeviceBuffer dst) {
        ArrayTransfers.upload(this, ArrayType.BYTE, src, offset, length, dst);
    }

    @Override
    public CompletableFuture<byte[]> download(DeviceBuffer src, byte[] dst, int offset, int length) {
        return ArrayTransfers.download(this, ArrayType.BYTE, src, dst, offset, length);
    }

    // ---- fill and launch

    @Override
    public void fill(DeviceBuffer dst, byte value) {
        fill(dst, value & 0xff, 1);
    }

    @Override
    public void fill(DeviceBuffer dst, int value) {
        fill(dst, value, 4);
    }

    @Override
    public void fill(DeviceBuffer dst, float value) {
        fill(dst, Float.floatToRawIntBits(value), 4);
    }

    private void fill(DeviceBuffer dst, int pattern, int patternBytes) {
        CoreBuffer d = scope.own(dst, "dst");
        d.ensureOpen();
        if (d.size() % patternBytes != 0) {
            throw new IllegalArgumentException("fill: " + d.describe() + " has " + d.size()
                    + " bytes, not a multiple of the " + patternBytes + "-byte value");
        }
        // a 4-byte fill writes whole aligned words (cuMemsetD32 refuses any other start), so
        // every backend refuses a slice that does not start on one
        if (d.base() % patternBytes != 0) {
            throw new IllegalArgumentException("fill: " + d.describe() + " starts at byte " + d.base()
                    + " of its allocation, not a multiple of the " + patternBytes + "-byte value: fill a slice that"
                    + " starts at a multiple of " + patternBytes + " bytes, or fill bytes with fill(buffer, (byte) v)");
        }
        scope.sequencer().enqueue(state, new TaggedOp.Fill(name(), callerFrame(), d.memory(), d.touch(false, true),
                pattern, patternBytes));
    }

    @Override
    public void launch(Kernel kernel, LaunchConfig config, Object... args) {
        Checks.notNull(kernel, "kernel");
        Checks.notNull(config, "config");
        if (!(kernel instanceof CoreKernel k) || k.module.scope() != scope) {
            throw new IllegalArgumentException("kernel '" + kernel.name() + "' was not loaded in " + scope.name());
        }
        k.module.ensureOpen();
        KernelArguments.checkConfig(k.name(), config, scope.backend().info());
        scope.sequencer().enqueue(state, KernelArguments.launch(scope, k, config, args, name(), callerFrame()));
    }

    @Override
    public void launch(Kernel kernel, LaunchConfig config, KernelArgs args) {
        Checks.notNull(kernel, "kernel");
        Checks.notNull(args, "args");
        if (!(args instanceof CoreKernelArgs a) || a.kernel() != kernel) {
            throw new IllegalArgumentException("launch: " + args + " were made for another kernel than '"
                    + kernel.name() + "'; make them with kernel.args()");
        }
        launch(kernel, config, a.values());
    }

    // ---- events and ordering

    /** The event is one record of a pooled native event ({@link RecordedEvent}). */
    @Override
    public Event record() {
        RecordedEvent e = new RecordedEvent(scope);
        scope.sequencer().record(state, e, "record");
        return e;
    }

    @Override
    public Event record(Event event) {
        EventRecords e = scope.own(event, "event");
        e.beginUse();      // so that closing the event waits for this record
        try {
            scope.sequencer().record(state, e, "record");
        } finally {
            e.endUse();
        }
        return event;
    }

    @Override
    public void waitFor(Event event) {
        EventRecords e = scope.ownOrPeer(event, "event");
        e.beginUse();      // so that closing the event waits for this wait to be enqueued
        try {
            scope.sequencer().waitFor(state, e);
        } finally {
            e.endUse();
        }
    }

    @Override
    public void join(Stream other) {
        CoreStream o = scope.ownOrPeer(other, "other");
        if (o == this) {
            return;
        }
        Event e = o.record();
        waitFor(e);
    }

    @Override
    public boolean query() {
        enter();
        try {
            ensureNotCapturing("query");
            return scope.sequencer().observe(state, state, s -> s.clock().vector(), s -> s.nativeStream().query());
        } finally {
            state.gate().exit();
            Reference.reachabilityFence(this);   // the cleaner must not take a stream in use
        }
    }

    @Override
    public void synchronize() {
        enter();
        try {
            ensureNotCapturing("synchronize");
            scope.sequencer().awaitObserved(state, () -> state.clock().vector(), state.nativeStream()::synchronize);
        } finally {
            state.gate().exit();
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public CompletableFuture<Void> onComplete() {
        ensureOpen();
        ensureNotCapturing("onComplete");
        return scope.registry().completion(state, null, null);
    }

    @Override
    public CompletableFuture<Void> callback(Runnable action) {
        Checks.notNull(action, "action");
        ensureOpen();
        ensureNotCapturing("callback");
        return scope.registry().completion(state, action, name());
    }

    @Override
    public Graph capture(Runnable body) {
        Checks.notNull(body, "body");
        if (isLegacyDefault()) {
            // CUDA refuses it (the legacy stream orders with every blocking stream); refused on
            // every backend so that code tried on one runs on the others
            throw new IllegalStateException("capture: stream '" + name() + "' of " + scope.name() + " is the legacy default"
                    + " stream, which cannot be captured; capture on a stream of your own (ctx.createStream())");
        }
        return GraphCapture.run(this, body);
    }

    @Override
    public void launch(Graph graph) {
        Checks.notNull(graph, "graph");
        if (!(graph instanceof CoreGraph g) || g.scope() != scope) {
            throw new IllegalArgumentException("graph '" + graph.name() + "' was not captured in " + scope.name());
        }
        // one span on the compute engine, as a kernel launch has: the graph's own launches are not traced
        scope.sequencer().enqueue(state, Op.of(g.launchName, Engine.COMPUTE, () -> g.nativeGraph.launch(state.nativeStream()),
                g.touchesForLaunch()));
    }
}
