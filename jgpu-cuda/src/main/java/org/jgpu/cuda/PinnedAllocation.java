package org.jgpu.cuda;

import java.nio.ByteBuffer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongFunction;
import org.jgpu.GpuOutOfMemoryException;

/**
 * The driver-free part of pinning host memory: the size limit and the zeroing that the API
 * promises ({@code cuMemAllocHost}/{@code cuMemHostAlloc} return memory with old contents).
 */
final class PinnedAllocation {
    /**
     * The largest pinned buffer: JCuda 12.6 wraps every pinned allocation in a direct
     * {@code ByteBuffer}, whose capacity is an {@code int}; above this the JVM truncates or
     * refuses it inside JCuda, after the memory is pinned, and the memory leaks.
     */
    static final long MAX_BYTES = Integer.MAX_VALUE;

    /** Zeros written per bulk put: large enough for memcpy speed, small enough to keep. */
    private static final byte[] ZEROS = new byte[64 * 1024];

    private PinnedAllocation() {
    }

    /**
     * Pins {@code bytes} of host memory and zeroes it.
     *
     * @param <M> the memory's type
     * @param bytes size, at least 1
     * @param where which device, for messages (e.g. {@code device 0})
     * @param pin pins the memory (the driver call)
     * @param view the pinned memory as a direct buffer (position 0, whole capacity)
     * @param unpin frees the memory if zeroing it fails
     * @return zeroed pinned memory
     * @throws GpuOutOfMemoryException if {@code bytes} is over {@link #MAX_BYTES}, before anything is pinned
     */
    static <M> M pinZeroed(long bytes, String where, LongFunction<M> pin, Function<M, ByteBuffer> view, Consumer<M> unpin) {
        checkSize(bytes, where);
        M m = pin.apply(bytes);
        try {
            zero(view.apply(m));
        } catch (RuntimeException | Error e) {
            try {
                unpin.accept(m);
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return m;
    }

    /**
     * @param bytes a requested pinned size
     * @param where which device, for messages
     * @throws GpuOutOfMemoryException if it is over {@link #MAX_BYTES}
     */
    static void checkSize(long bytes, String where) {
        if (bytes > MAX_BYTES) {
            throw new GpuOutOfMemoryException("pinned host memory of " + where + ", whose pinned buffers hold at most "
                    + MAX_BYTES + " bytes (2 GiB - 1) each on the CUDA backend (split the data over several pinned"
                    + " buffers, or keep it in device memory)", bytes, -1);
        }
    }

    /**
     * Writes zeros over the whole buffer, in bulk puts.
     *
     * @param b the buffer; its position and limit are not changed
     */
    static void zero(ByteBuffer b) {
        ByteBuffer d = b.duplicate().clear();
        while (d.remaining() >= ZEROS.length) {
            d.put(ZEROS);
        }
        d.put(ZEROS, 0, d.remaining());
    }
}
