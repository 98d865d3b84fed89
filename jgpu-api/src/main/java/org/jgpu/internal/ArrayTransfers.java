package org.jgpu.internal;

import java.lang.invoke.VarHandle;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.jgpu.DeviceBuffer;
import org.jgpu.HostBufferPool;
import org.jgpu.Stream;
import org.jgpu.internal.hazard.VectorClock;
import org.jgpu.spi.NativeStream;

/**
 * Uploads and downloads of Java arrays ({@link org.jgpu.ArrayCopies}) through pinned staging
 * memory: one {@link CoreHostPool} per power-of-two size, made on first use and kept with the
 * context. A staging buffer goes back to its pool from a completion after the copy that used
 * it, so the pool lends it again only once that copy is done: a reused array never overwrites
 * staging memory a pending copy still reads. The hazard tracker sees the device buffer's side
 * of each copy, not the staging side ({@link TaggedOp.Staged} says why).
 */
final class ArrayTransfers {
    /** The smallest staging buffer: 4 KiB. */
    private static final int MIN_SHIFT = 12;
    /** Staging buffers of one size: a transfer beyond them waits for one to come back. */
    static final int PER_SIZE = 4;
    /** Names the in-stream copy from staging into the array, in hazard messages. */
    private static final String TO_ARRAY = "copy of staged bytes into a Java array";

    /** Indexed by log2 of the buffer size; guarded by itself. */
    private final CoreHostPool[] pools = new CoreHostPool[Long.SIZE];

    /** @return a lease on a staging buffer of at least {@code bytes} (at least 1) */
    private HostBufferPool.Lease lease(Scope scope, long bytes) {
        int shift = Math.max(MIN_SHIFT, Long.SIZE - Long.numberOfLeadingZeros(bytes - 1));
        CoreHostPool pool;
        synchronized (pools) {
            pool = pools[shift];
            if (pool == null) {
                pool = new CoreHostPool(scope, 1L << shift, PER_SIZE, "staging");
                pools[shift] = pool;
            }
        }
        return pool.acquire();
    }

    /** @return staging buffers pinned so far, of every size (for tests of reuse) */
    int pinned() {
        synchronized (pools) {
            int n = 0;
            for (CoreHostPool p : pools) {
                n += p == null ? 0 : p.pinned();
            }
            return n;
        }
    }

    /**
     * Stages {@code src[offset, offset + length)} in pinned memory and enqueues its copy to the
     * start of {@code dst}.
     */
    static void upload(CoreStream s, ArrayType type, Object src, int offset, int length, DeviceBuffer dst) {
        Checks.notNull(src, "src");
        Checks.arrayRange("src", offset, length, Array.getLength(src));
        CoreBuffer d = prepare(s, "upload", "dst", dst, type, length);
        if (length == 0) {
            return;
        }
        long bytes = type.bytesOf(length);
        Scope scope = s.scope();
        HostBufferPool.Lease lease = scope.transfers().lease(scope, bytes);
        try {
            CoreHostBuffer staging = (CoreHostBuffer) lease.buffer();
            staging.stage(type, src, offset, length);
            scope.sequencer().enqueue(s.state(), new TaggedOp.Staged(s.name(), s.callerFrame(), true, staging.memory(),
                    d.memory(), d.touch(0, bytes, false, true)));
            // the host learns nothing from it: an upload is no synchronize
            giveBackAfter(s, lease, new VectorClock());
        } catch (RuntimeException | Error e) {
            // a copy enqueued before the failure may still read the buffer: the pool waits for the stream first
            lease.close();
            throw e;
        }
    }

    /**
     * Enqueues the copy of the start of {@code src} into pinned memory, then, in stream order, the
     * copy of the staged bytes into {@code dst[offset, offset + length)}.
     *
     * @return a future of dst, completed once it is filled
     */
    static <A> CompletableFuture<A> download(CoreStream s, ArrayType type, DeviceBuffer src, A dst, int offset, int length) {
        Checks.notNull(dst, "dst");
        Checks.arrayRange("dst", offset, length, Array.getLength(dst));
        CoreBuffer b = prepare(s, "download", "src", src, type, length);
        if (length == 0) {
            return CompletableFuture.completedFuture(dst);
        }
        long bytes = type.bytesOf(length);
        Scope scope = s.scope();
        HostBufferPool.Lease lease = scope.transfers().lease(scope, bytes);
        try {
            CoreHostBuffer staging = (CoreHostBuffer) lease.buffer();
            StreamState state = s.state();
            scope.sequencer().enqueue(state, new TaggedOp.Staged(s.name(), s.callerFrame(), false, staging.memory(),
                    b.memory(), b.touch(0, bytes, true, false)));
            NativeStream stream = state.nativeStream();
            // the staging buffer outlives the stream's work: a context frees it after waiting for all
            ByteBuffer staged = staging.staged(bytes);
            // a host function in the stream, so that the stream's synchronize returns with the
            // array filled (a completion on the executor could still be pending then); like the
            // driver's own staged pageable copy it only copies memory: no lock, no backend call
            Runnable fill = () -> {
                if (stream.peekError() == null) {
                    type.get(staged, dst, offset, length);
                    VarHandle.releaseFence();   // the array's contents are published with the stream's progress
                }
            };
            scope.sequencer().enqueue(state, Op.of(TO_ARRAY, null, () -> stream.hostCallback(fill)));
            // a future the caller waits on, as on onComplete(): the host learns the stream's clock
            return giveBackAfter(s, lease, null).thenApply(v -> dst);
        } catch (RuntimeException | Error e) {
            lease.close();
            throw e;
        }
    }

    /** {@code Context.allocUpload}: stream-ordered memory holding {@code data}. */
    static DeviceBuffer allocUpload(CoreContext ctx, ArrayType type, Object data, Stream stream) {
        Checks.notNull(data, "data");
        int n = Array.getLength(data);
        if (n == 0) {
            throw new IllegalArgumentException("allocUpload: data must not be empty");
        }
        CoreStream s = ctx.scope().own(stream, "stream");
        DeviceBuffer b = ctx.allocAsync(type.bytesOf(n), s);
        try {
            upload(s, type, data, 0, n, b);
        } catch (RuntimeException | Error e) {
            b.close();
            throw e;
        }
        return b;
    }

    /**
     * The checks every transfer makes before it takes staging memory.
     *
     * @return the buffer, open and large enough
     * @throws IllegalArgumentException naming the stream, the buffer and both sizes if it is too small
     * @throws IllegalStateException if the stream or buffer is closed, or the stream captures a graph
     */
    private static CoreBuffer prepare(CoreStream s, String op, String role, DeviceBuffer buffer, ArrayType type, int length) {
        CoreBuffer b = s.scope().own(buffer, role);
        s.ensureOpen();
        b.ensureOpen();
        if (type.bytesOf(length) > b.size()) {
            throw new IllegalArgumentException(op + " on stream '" + s.name() + "': " + role + " " + b.describe() + " has "
                    + b.size() + " bytes, fewer than the " + type.bytesOf(length) + " bytes of " + length + " "
                    + type.element + " elements; use a larger buffer or fewer elements");
        }
        if (s.scope().sequencer().capturing(s.state())) {
            throw new IllegalStateException(op + " of a Java array on stream '" + s.name() + "' cannot be captured into a"
                    + " graph: its pinned staging goes back to the pool once the copy is done, long before a replay;"
                    + " capture copy(hostBuffer, deviceBuffer) with a HostBuffer you keep instead");
        }
        return b;
    }

    /**
     * Gives the staging buffer back to its pool once the stream's work so far is done.
     *
     * @param seen the clock the host learns then; null for the stream's current one
     * @return a future completed then, on the callback executor, or exceptionally with the
     *         failure of the stream's work
     */
    private static CompletableFuture<Void> giveBackAfter(CoreStream s, HostBufferPool.Lease lease, VectorClock seen) {
        Scope scope = s.scope();
        StreamState state = s.state();
        CompletableFuture<Void> done = scope.sequencer().exclusive(() -> {
            s.ensureOpen();
            NativeStream stream = state.nativeStream();
            // not in the stream's callback queue: a user callback that uploads must not wait behind itself
            return scope.completions().after(stream, stream, seen != null ? seen : state.clock().vector().copy());
        });
        return done.whenComplete((v, e) -> lease.close());
    }
}
