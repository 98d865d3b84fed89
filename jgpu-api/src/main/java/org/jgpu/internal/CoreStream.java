package org.jgpu.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jgpu.Arg;
import org.jgpu.Buffer;
import org.jgpu.Context;
import org.jgpu.DeviceBuffer;
import org.jgpu.Event;
import org.jgpu.EventOption;
import org.jgpu.Kernel;
import org.jgpu.LaunchConfig;
import org.jgpu.Stream;
import org.jgpu.StreamOptions;
import org.jgpu.internal.hazard.Timeline;
import org.jgpu.internal.hazard.Touch;
import org.jgpu.internal.hazard.VectorClock;
import org.jgpu.trace.Engine;
import org.jgpu.spi.DevicePointer;
import org.jgpu.spi.ExtensibleStream;
import org.jgpu.spi.Extensions;
import org.jgpu.spi.NativeStream;
import org.jgpu.spi.OpKind;
import org.jgpu.spi.OpTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one implementation of {@link Stream}. */
final class CoreStream implements Stream, ExtensibleStream {
    private static final Logger LOG = LoggerFactory.getLogger(CoreStream.class);
    private static final AtomicBoolean HEAP_COPY_LOGGED = new AtomicBoolean();

    final CoreContext ctx;
    final NativeStream nat;
    final Timeline timeline;
    private final StreamOptions options;
    private final boolean isDefault;
    private final Kind kind;
    private final StreamSlot slot;
    private final Handle handle;
    /** What is being captured, or null; guarded by the context's lock. */
    private Capture capture;

    /** The accesses and the number of operations captured so far. */
    static final class Capture {
        final java.util.List<Touch> touches = new java.util.ArrayList<>();
        int operations;

        void add(Touch[] t) {
            touches.addAll(java.util.List.of(t));
            operations++;
        }
    }

    /** How a stream came to be: what it orders with, and who may close it. */
    enum Kind {
        /** created by the user: blocking or not as its options say; closable */
        CREATED,
        /** the legacy default stream: orders with every blocking stream; not closable */
        LEGACY_DEFAULT,
        /** a thread's per-thread default stream: blocking; not closable by the user */
        PER_THREAD_DEFAULT,
        /** made elsewhere and borrowed: blocking or not as its options say; closable; never destroyed */
        BORROWED
    }

    /** Called under the context's lock. */
    CoreStream(CoreContext ctx, NativeStream nat, StreamOptions options, Kind kind) {
        this.ctx = ctx;
        this.nat = nat;
        this.options = options;
        this.kind = kind;
        this.isDefault = kind == Kind.LEGACY_DEFAULT || kind == Kind.PER_THREAD_DEFAULT;
        this.timeline = ctx.tracker().register(options.name(), kind == Kind.LEGACY_DEFAULT,
                isDefault || !options.nonBlocking());
        this.slot = new StreamSlot(timeline, nat, new CallbackQueue(ctx::handOff));
        ctx.addStream(slot);
        StreamSlot s = slot;
        CoreContext c = ctx;
        // a borrowed stream is its owner's to destroy: jgpu only detaches from it
        boolean ownsNative = kind != Kind.LEGACY_DEFAULT && kind != Kind.BORROWED;
        // the legacy default stream is held by its context, so it is closed only with it
        this.handle = Handle.track(slot.gate(), this, Handle.Kind.STREAM, "stream '" + options.name() + "' of " + ctx.name(),
                () -> c.dropStream(s, ownsNative), ctx, isDefault ? Handle.OnLeak.RELEASE : Handle.OnLeak.WARN);
    }

    /** @return the capture in progress (call under the context's lock), or null */
    Capture capture() {
        return capture;
    }

    /** @throws IllegalStateException if the stream is capturing: {@code op} would break the capture */
    void ensureNotCapturing(String op) {
        boolean capturing;
        synchronized (ctx.lock) {
            capturing = capture != null;
        }
        if (capturing) {
            throw new IllegalStateException(op + " on stream '" + name() + "' while it captures a graph would break the"
                    + " capture; only copies, fills and launches can be captured: finish the capture first");
        }
    }

    void ensureOpen() {
        if (ctx.isClosed()) {
            throw new IllegalStateException("stream '" + name() + "' is closed (its context " + ctx.name() + " was closed)");
        }
        if (handle.isClosed()) {
            throw new IllegalStateException("stream '" + name() + "' of " + ctx.name() + " is closed");
        }
    }

    /**
     * Starts a call that uses the backend stream outside the context's lock (a wait, a poll, a
     * synchronous copy): close waits for it to end before it destroys the stream.
     *
     * @throws IllegalStateException naming the stream if it or its context is closed
     */
    private void enter() {
        if (!slot.gate().enter()) {
            ensureOpen();
            throw new IllegalStateException("stream '" + name() + "' of " + ctx.name() + " is closed");
        }
        try {
            ensureOpen();
        } catch (RuntimeException e) {
            slot.gate().exit();
            throw e;
        }
    }

    @Override
    public String name() {
        return options.name();
    }

    @Override
    public Context context() {
        return ctx;
    }

    @Override
    public StreamOptions options() {
        return options;
    }

    @Override
    public int priority() {
        return nat.priority();
    }

    @Override
    public NativeStream nativeStream() {
        ensureOpen();
        return nat;
    }

    @Override
    public void enqueue(String op, Engine engine, Arg[] buffers, Extensions.Work work) {
        DevicePointer[] pointers = new DevicePointer[buffers.length];
        Touch[] touches = new Touch[buffers.length];
        for (int i = 0; i < buffers.length; i++) {
            Checks.notNull(buffers[i], "buffers[" + i + "]");
            CoreBuffer b = ctx.own(buffers[i].buffer(), op + " buffer " + i);
            b.ensureOpen();
            pointers[i] = new DevicePointer(b.memory(), b.base(), b.size());
            touches[i] = b.touch(0, b.size(), buffers[i].access().reads(), buffers[i].access().writes());
        }
        ctx.enqueue(this, op, engine, () -> work.enqueue(nat, pointers), touches);
    }

    /** Made while the stream is kept from closing. */
    @Override
    public <T extends AutoCloseable> T attachment(Class<T> type, java.util.function.Function<NativeStream, ? extends T> create) {
        enter();
        try {
            return slot.attachment(type, create);
        } finally {
            slot.gate().exit();
        }
    }

    /** Also after the stream closed: then false. */
    @Override
    public boolean detach(Class<?> type, AutoCloseable attachment) {
        return slot.detach(type, attachment);
    }

    @Override
    public long nativeHandle() {
        enter();
        try {
            return ctx.backend().streamHandle(nat);
        } finally {
            slot.gate().exit();
        }
    }

    @Override
    public org.jgpu.StreamOwnership ownership() {
        return kind == Kind.BORROWED ? org.jgpu.StreamOwnership.BORROWED
                : isDefault ? org.jgpu.StreamOwnership.DEFAULT : org.jgpu.StreamOwnership.OWNED;
    }

    private OpTag tag(OpKind kind, String detail, long bytes, List<?> buffers) {
        return new OpTag(kind, detail, bytes, options.name(), buffers, ctx.callerFrame());
    }

    // ---- copies

    @Override
    public void copy(Buffer src, Buffer dst) {
        CoreBuffer s = ctx.own(src, "src");
        CoreBuffer d = ctx.own(dst, "dst");
        if (s.size() != d.size()) {
            throw new IllegalArgumentException("copy: src " + s.describe() + " has " + s.size() + " bytes but dst "
                    + d.describe() + " has " + d.size() + "; use copy(src, srcOffset, dst, dstOffset, bytes) for part of one");
        }
        copy(src, 0, dst, 0, s.size());
    }

    @Override
    public void copy(Buffer src, long srcOffset, Buffer dst, long dstOffset, long bytes) {
        CoreBuffer s = ctx.own(src, "src");
        CoreBuffer d = ctx.own(dst, "dst");
        s.ensureOpen();
        d.ensureOpen();
        Checks.range("src " + s.describe(), srcOffset, bytes, s.size());
        Checks.range("dst " + d.describe(), dstOffset, bytes, d.size());
        if (bytes == 0) {
            return;
        }
        OpKind kind = COPY_KINDS[(s.isHost() ? 2 : 0) + (d.isHost() ? 1 : 0)];
        OpTag tag = tag(kind, "", bytes, List.of(s.label(), d.label()));
        ctx.enqueue(this, kind, kind.engine(), () -> nat.copy(s.memory(), s.base() + srcOffset, d.memory(), d.base() + dstOffset, bytes, tag),
                s.touch(srcOffset, bytes, true, false), d.touch(dstOffset, bytes, false, true));
    }

    /** Indexed by (source is host ? 2 : 0) + (destination is host ? 1 : 0). */
    private static final OpKind[] COPY_KINDS = {OpKind.COPY_D2D, OpKind.COPY_D2H, OpKind.COPY_H2D, OpKind.COPY_H2H};
    /** Indexed by (to the buffer ? 2 : 0) + (the buffer is host memory ? 1 : 0). */
    private static final OpKind[] HEAP_COPY_KINDS = {OpKind.COPY_D2HEAP, OpKind.COPY_H2HEAP, OpKind.COPY_HEAP2D,
        OpKind.COPY_HEAP2H};

    @Override
    public void copy(float[] src, Buffer dst) {
        Checks.notNull(src, "src");
        ByteBuffer heap = ByteBuffer.allocate(src.length * 4).order(ByteOrder.nativeOrder());
        heap.asFloatBuffer().put(src);
        copyFromHeap(heap, dst);
    }

    @Override
    public void copy(Buffer src, float[] dst) {
        Checks.notNull(dst, "dst");
        ByteBuffer heap = ByteBuffer.allocate(dst.length * 4).order(ByteOrder.nativeOrder());
        copyToHeap(src, heap);
        heap.asFloatBuffer().get(dst);
    }

    @Override
    public void copy(int[] src, Buffer dst) {
        Checks.notNull(src, "src");
        ByteBuffer heap = ByteBuffer.allocate(src.length * 4).order(ByteOrder.nativeOrder());
        heap.asIntBuffer().put(src);
        copyFromHeap(heap, dst);
    }

    @Override
    public void copy(Buffer src, int[] dst) {
        Checks.notNull(dst, "dst");
        ByteBuffer heap = ByteBuffer.allocate(dst.length * 4).order(ByteOrder.nativeOrder());
        copyToHeap(src, heap);
        heap.asIntBuffer().get(dst);
    }

    @Override
    public void copy(byte[] src, Buffer dst) {
        Checks.notNull(src, "src");
        copyFromHeap(ByteBuffer.wrap(src), dst);
    }

    @Override
    public void copy(Buffer src, byte[] dst) {
        Checks.notNull(dst, "dst");
        copyToHeap(src, ByteBuffer.wrap(dst));
    }

    private void copyFromHeap(ByteBuffer heap, Buffer dst) {
        CoreBuffer d = ctx.own(dst, "dst");
        d.ensureOpen();
        Checks.range("dst " + d.describe(), 0, heap.remaining(), d.size());
        heapCopy(heap, d, true);
    }

    private void copyToHeap(Buffer src, ByteBuffer heap) {
        CoreBuffer s = ctx.own(src, "src");
        s.ensureOpen();
        Checks.range("src " + s.describe(), 0, heap.remaining(), s.size());
        heapCopy(heap, s, false);
    }

    /**
     * A synchronous copy between the Java heap and a buffer: recorded like any operation, then
     * done by the backend after the stream's earlier work; the host then knows the stream is done.
     */
    private void heapCopy(ByteBuffer heap, CoreBuffer b, boolean toBuffer) {
        ensureNotCapturing("a copy to or from a Java array (synchronous)");
        if (!heap.hasRemaining()) {
            return;
        }
        if (HEAP_COPY_LOGGED.compareAndSet(false, true)) {
            LOG.info("copies between Java arrays and buffers are synchronous (the array may move, as with pageable "
                    + "memory in CUDA); for asynchronous copies use a HostBuffer from Context.allocHost and reuse it");
        }
        OpKind kind = HEAP_COPY_KINDS[(toBuffer ? 2 : 0) + (b.isHost() ? 1 : 0)];
        OpTag tag = tag(kind, "", heap.remaining(), List.of(b.label()));
        Gate bufferGate = b.gate();
        // accepted under the lock together with entering both gates, so that closing the stream or
        // the buffer waits for this copy instead of destroying or freeing under it
        // the backend's beginHeapCopy holds back other threads' enqueues on this stream until
        // copyHeap ends, and they wait holding the context's lock: so the clock the host learns
        // is taken at the commit, under that lock, not by taking the lock again later
        boolean[] begun = new boolean[1];
        VectorClock seen;
        try {
            seen = ctx.enqueueSeen(this, kind, kind.engine(), () -> {
                enterBoth(bufferGate, b);
                nat.beginHeapCopy();
                begun[0] = true;
            }, b.touch(0, heap.remaining(), !toBuffer, toBuffer));
        } catch (RuntimeException | Error e) {
            if (begun[0]) {
                try {
                    nat.endHeapCopy();
                } finally {
                    bufferGate.exit();
                    slot.gate().exit();
                }
            }
            throw e;
        }
        try {
            nat.copyHeap(heap, b.memory(), b.base(), toBuffer, tag);
            ctx.observed(seen);
        } finally {
            bufferGate.exit();
            slot.gate().exit();
            java.lang.ref.Reference.reachabilityFence(this);
            java.lang.ref.Reference.reachabilityFence(b);
        }
    }

    /** Under the context's lock, where both are known open: counts a synchronous copy on both. */
    private void enterBoth(Gate bufferGate, CoreBuffer b) {
        enter();
        if (!bufferGate.enter()) {
            slot.gate().exit();
            b.ensureOpen();
            throw new IllegalStateException(b.describe() + " of " + ctx.name() + " is closed");
        }
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
        CoreBuffer d = ctx.own(dst, "dst");
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
        OpTag tag = tag(OpKind.FILL, "", d.size(), List.of(d.label()));
        ctx.enqueue(this, OpKind.FILL, OpKind.FILL.engine(), () -> nat.fill(d.memory(), d.base(), d.size(), pattern, patternBytes, tag),
                d.touch(0, d.size(), false, true));
    }

    @Override
    public void launch(Kernel kernel, LaunchConfig config, Object... args) {
        Checks.notNull(kernel, "kernel");
        Checks.notNull(config, "config");
        if (!(kernel instanceof CoreKernel) || ((CoreKernel) kernel).module.ctx != ctx) {
            throw new IllegalArgumentException("kernel '" + kernel.name() + "' was not loaded in " + ctx.name());
        }
        CoreKernel k = (CoreKernel) kernel;
        k.module.ensureOpen();
        KernelArguments.checkConfig(k.name(), config, ctx.device());
        KernelArguments.Prepared p = KernelArguments.prepare(ctx, k, args);
        OpTag tag = tag(OpKind.LAUNCH, k.name(), -1, p.buffers());
        ctx.enqueue(this, k.launchName, OpKind.LAUNCH.engine(), () -> nat.launch(k.function, config, p.args(), tag), p.touches());
    }

    // ---- events and ordering

    @Override
    public Event record() {
        CoreEvent e;
        ctx.enterCreate();
        try {
            e = new CoreEvent(ctx, ctx.backend().createEvent(EnumSet.noneOf(EventOption.class)),
                    ctx.nextName(name() + "-event"), EnumSet.noneOf(EventOption.class), Handle.OnLeak.RELEASE);
        } finally {
            ctx.exitCreate();
        }
        return record(e);
    }

    @Override
    public Event record(Event event) {
        CoreEvent e = ctx.own(event, "event");
        ensureNotCapturing("record");
        e.enter();      // so that closing the event waits for this record
        try {
            synchronized (ctx.lock) {
                ctx.ensureOpen();
                ensureOpen();
                ctx.tracker().beforeEnqueue(timeline);
                nat.record(e.nat);
                e.recorded(timeline.clock().copy(), nat);
            }
        } finally {
            e.exit();
        }
        return e;
    }

    @Override
    public void waitFor(Event event) {
        CoreEvent e = ctx.own(event, "event");
        ensureNotCapturing("waitFor");
        e.enter();      // so that closing the event waits for this wait to be enqueued
        try {
            synchronized (ctx.lock) {
                ctx.ensureOpen();
                ensureOpen();
                e.ensureRecorded("waitFor");
                nat.waitEvent(e.nat);
                timeline.clock().join(e.clock());
            }
        } finally {
            e.exit();
        }
    }

    @Override
    public void join(Stream other) {
        CoreStream o = ctx.own(other, "other");
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
            VectorClock seen = ctx.snapshot(timeline.clock());
            if (nat.query()) {
                ctx.observed(seen);
                return true;
            }
            return false;
        } finally {
            slot.gate().exit();
            java.lang.ref.Reference.reachabilityFence(this);   // the cleaner must not take a stream in use
        }
    }

    @Override
    public void synchronize() {
        enter();
        try {
            ensureNotCapturing("synchronize");
            VectorClock seen = ctx.snapshot(timeline.clock());
            nat.synchronize();
            ctx.observed(seen);
        } finally {
            slot.gate().exit();
            java.lang.ref.Reference.reachabilityFence(this);
        }
    }

    @Override
    public CompletableFuture<Void> onComplete() {
        ensureOpen();
        ensureNotCapturing("onComplete");
        return completion(ctx, slot, null, null);
    }

    /**
     * A future for the current end of a stream, completed on the callback executor: the
     * backend's callback thread only hands off.
     */
    /**
     * A future for the current end of a stream that first runs {@code action} (if not null), in
     * the stream's callback order.
     */
    private static CompletableFuture<Void> completion(CoreContext ctx, StreamSlot slot, Runnable action, String streamName) {
        synchronized (ctx.lock) {
            ctx.ensureOpen();
            if (!ctx.isLive(slot) || slot.gate().isClosed()) {
                throw new IllegalStateException("stream '" + slot.timeline().name() + "' of " + ctx.name() + " is closed");
            }
            return ctx.futureAfter(slot.nat(), slot.nat(), slot.timeline().clock().copy(), slot.callbacks(), action,
                    streamName);
        }
    }

    @Override
    public CompletableFuture<Void> callback(Runnable action) {
        Checks.notNull(action, "action");
        ensureOpen();
        ensureNotCapturing("callback");
        return completion(ctx, slot, action, name());
    }

    @Override
    public org.jgpu.Graph capture(Runnable body) {
        Checks.notNull(body, "body");
        if (kind == Kind.LEGACY_DEFAULT) {
            // CUDA refuses it (the legacy stream orders with every blocking stream); refused on
            // every backend so that code tried on one runs on the others
            throw new IllegalStateException("capture: stream '" + name() + "' of " + ctx.name() + " is the legacy default"
                    + " stream, which cannot be captured; capture on a stream of your own (ctx.createStream())");
        }
        synchronized (ctx.lock) {
            ctx.ensureOpen();
            ensureOpen();
            if (capture != null) {
                throw new IllegalStateException("stream '" + name() + "' is already capturing a graph");
            }
            nat.beginCapture();
            capture = new Capture();
            slot.capturing(true);
        }
        Capture captured;
        org.jgpu.spi.NativeGraph graph;
        try {
            body.run();
        } catch (RuntimeException | Error e) {
            synchronized (ctx.lock) {
                capture = null;
                slot.capturing(false);
                try {
                    nat.abortCapture();
                } catch (RuntimeException | Error x) {
                    // the body's failure is the news (it often invalidated the capture itself)
                    e.addSuppressed(x);
                }
            }
            throw e;
        }
        synchronized (ctx.lock) {
            captured = capture;
            capture = null;
            slot.capturing(false);
            graph = nat.endCapture();
        }
        return new CoreGraph(ctx, graph, ctx.nextName(name() + "-graph"), captured.touches.toArray(new Touch[0]),
                captured.operations);
    }

    @Override
    public void launch(org.jgpu.Graph graph) {
        Checks.notNull(graph, "graph");
        if (!(graph instanceof CoreGraph) || ((CoreGraph) graph).ctx != ctx) {
            throw new IllegalArgumentException("graph '" + graph.name() + "' was not captured in " + ctx.name());
        }
        CoreGraph g = (CoreGraph) graph;
        // one span on the compute engine, as a kernel launch has: the graph's own launches are not traced
        ctx.enqueue(this, g.launchName, Engine.COMPUTE, () -> g.nat.launch(nat), g.touchesForLaunch());
    }

    @Override
    public boolean isOpen() {
        return !ctx.isClosed() && !handle.isClosed();
    }

    /**
     * Closes the stream as one cut: marked closed under the context's lock (so no operation is
     * accepted after), then the calls in flight and the stream's work are waited for, then it is
     * destroyed. A second caller, or a caller while the context closes, waits for that to end.
     */
    @Override
    public void close() {
        if (isDefault) {
            throw new IllegalStateException("the default stream '" + name() + "' of " + ctx.name()
                    + " cannot be closed; close the context");
        }
        boolean contextClosing;
        boolean mine;
        synchronized (ctx.lock) {
            contextClosing = ctx.isClosed();
            mine = !contextClosing && handle.markClosed();
        }
        try {
            if (contextClosing) {
                ctx.awaitClosed();
                return;
            }
            if (!mine) {
                slot.gate().awaitReleased();
                return;
            }
            slot.gate().awaitCalls();
            RuntimeException failure = null;
            VectorClock seen = ctx.snapshot(timeline.clock());
            try {
                nat.synchronize();
            } catch (RuntimeException e) {
                failure = e;
            }
            ctx.observed(seen);
            handle.release();
            if (failure != null) {
                throw failure;
            }
        } finally {
            // while close() waits, the stream must stay reachable: else the cleaner would take
            // it for a leak (the JIT may drop 'this' after its last use)
            java.lang.ref.Reference.reachabilityFence(this);
        }
    }

    @Override
    public String toString() {
        return "stream '" + name() + "'";
    }
}
