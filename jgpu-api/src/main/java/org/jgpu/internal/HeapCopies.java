package org.jgpu.internal;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jgpu.Buffer;
import org.jgpu.internal.hazard.VectorClock;
import org.jgpu.spi.NativeStream;
import org.jgpu.spi.OpKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Synchronous copies between the Java heap and a buffer, for {@link CoreStream}: recorded like
 * any operation, then done by the backend after the stream's earlier work; the host then knows
 * the stream is done.
 */
final class HeapCopies {
    private static final Logger LOG = LoggerFactory.getLogger("org.jgpu");
    private static final AtomicBoolean LOGGED = new AtomicBoolean();
    /** Indexed by (to the buffer ? 2 : 0) + (the buffer is host memory ? 1 : 0). */
    private static final OpKind[] KINDS = {OpKind.COPY_D2HEAP, OpKind.COPY_H2HEAP, OpKind.COPY_HEAP2D, OpKind.COPY_HEAP2H};

    private HeapCopies() {
    }

    /** @return the array's bytes, in the device's byte order */
    static ByteBuffer of(float[] src) {
        Checks.notNull(src, "src");
        ByteBuffer heap = allocate(src.length * 4);
        heap.asFloatBuffer().put(src);
        return heap;
    }

    /** @return the array's bytes, in the device's byte order */
    static ByteBuffer of(int[] src) {
        Checks.notNull(src, "src");
        ByteBuffer heap = allocate(src.length * 4);
        heap.asIntBuffer().put(src);
        return heap;
    }

    /** @return a view of the array */
    static ByteBuffer of(byte[] src) {
        Checks.notNull(src, "src");
        return ByteBuffer.wrap(src);
    }

    static void toHeap(CoreStream s, Buffer src, float[] dst) {
        Checks.notNull(dst, "dst");
        ByteBuffer heap = allocate(dst.length * 4);
        toHeap(s, src, heap);
        heap.asFloatBuffer().get(dst);
    }

    static void toHeap(CoreStream s, Buffer src, int[] dst) {
        Checks.notNull(dst, "dst");
        ByteBuffer heap = allocate(dst.length * 4);
        toHeap(s, src, heap);
        heap.asIntBuffer().get(dst);
    }

    static void toHeap(CoreStream s, Buffer src, byte[] dst) {
        Checks.notNull(dst, "dst");
        toHeap(s, src, ByteBuffer.wrap(dst));
    }

    private static ByteBuffer allocate(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.nativeOrder());
    }

    /** A copy from the array's bytes into the buffer. */
    static void fromHeap(CoreStream s, ByteBuffer heap, Buffer dst) {
        CoreBuffer d = s.scope().own(dst, "dst");
        d.ensureOpen();
        Checks.range("dst", d, 0, heap.remaining(), d.size());
        copy(s, heap, d, true);
    }

    private static void toHeap(CoreStream s, Buffer src, ByteBuffer heap) {
        CoreBuffer b = s.scope().own(src, "src");
        b.ensureOpen();
        Checks.range("src", b, 0, heap.remaining(), b.size());
        copy(s, heap, b, false);
    }

    private static void copy(CoreStream s, ByteBuffer heap, CoreBuffer b, boolean toBuffer) {
        s.ensureNotCapturing("a copy to or from a Java array (synchronous)");
        if (!heap.hasRemaining()) {
            return;
        }
        if (LOGGED.compareAndSet(false, true)) {
            LOG.debug("copies between Java arrays and buffers are synchronous (the array may move, as with pageable "
                    + "memory in CUDA); for asynchronous ones use stream.upload(array, buffer) and stream.download(buffer, array)");
        }
        OpKind kind = KINDS[(toBuffer ? 2 : 0) + (b.isHost() ? 1 : 0)];
        StreamState state = s.state();
        NativeStream stream = state.nativeStream();
        Gate bufferGate = b.gate();
        // accepted under the lock together with entering both gates, so that closing the stream or
        // the buffer waits for this copy instead of destroying or freeing under it
        // the backend's beginHeapCopy holds back other threads' enqueues on this stream until
        // copyHeap ends, and they wait holding the context's lock: so the clock the host learns
        // is taken at the commit, under that lock, not by taking the lock again later
        boolean[] begun = new boolean[1];
        TaggedOp.Heap op = new TaggedOp.Heap(s.name(), s.callerFrame(), kind, b.touch(0, heap.remaining(), !toBuffer, toBuffer),
                () -> {
                    enterBoth(s, bufferGate, b);
                    stream.beginHeapCopy();
                    begun[0] = true;
                });
        VectorClock seen;
        try {
            seen = s.scope().sequencer().enqueueSeen(state, op);
        } catch (RuntimeException | Error e) {
            if (begun[0]) {
                try {
                    stream.endHeapCopy();
                } finally {
                    bufferGate.exit();
                    state.gate().exit();
                }
            }
            throw e;
        }
        try {
            op.copy(stream, heap, b.memory());
            s.scope().sequencer().observed(seen);
        } finally {
            bufferGate.exit();
            state.gate().exit();
            Reference.reachabilityFence(s);
            Reference.reachabilityFence(b);
        }
    }

    /** Under the context's lock, where both are known open: counts a synchronous copy on both. */
    private static void enterBoth(CoreStream s, Gate bufferGate, CoreBuffer b) {
        s.enter();
        if (!bufferGate.enter()) {
            s.state().gate().exit();
            b.ensureOpen();
            throw new IllegalStateException(b.describe() + " of " + s.scope().name() + " is closed");
        }
    }
}
