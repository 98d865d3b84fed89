package org.jgpu.cuda;

import java.util.ArrayList;
import java.util.List;

/**
 * A device's pinned staging chunks for heap copies: a heap copy takes one and gives it back when
 * done, so that no copy pins or unpins memory once the pool holds a chunk as large as it needs.
 * At most {@value #KEPT} chunks are kept (one per heap copy running at once beyond that is
 * allocated and freed by that copy); the kept ones are freed at {@link #close}, which the device
 * calls outside any lock of the core ({@code cuMemFreeHost} may synchronize the device).
 *
 * <p>The driver work is behind {@link Ops}, so the pool's logic runs without a device.
 * Thread-safe; no driver call is made under the pool's lock.
 *
 * @param <C> a pinned chunk
 */
final class StagingPool<C> {
    /** The most chunks kept between heap copies. */
    static final int KEPT = 2;
    /** The largest chunk: large enough to keep the copy engine busy, small enough to pin. */
    static final int CHUNK = 8 << 20;
    private static final int SMALLEST = 64 << 10;

    /** The driver operations the pool is built on. */
    interface Ops<C> {
        /**
         * @param bytes size
         * @return a new pinned chunk
         * @throws RuntimeException if it cannot be pinned
         */
        C allocate(int bytes);

        /** @return the chunk's size */
        int capacity(C chunk);

        /** @param chunk a chunk no copy uses, to unpin */
        void free(C chunk);
    }

    private final Ops<C> ops;
    private final List<C> kept = new ArrayList<>();
    private boolean closed;

    StagingPool(Ops<C> ops) {
        this.ops = ops;
    }

    /**
     * @param bytes the bytes a heap copy moves, at least 1
     * @return the size of chunk it stages through: a power of two from 64 KiB to {@value #CHUNK}
     */
    static int chunkSize(long bytes) {
        int capped = (int) Math.min(bytes, CHUNK);
        return Math.max(SMALLEST, capped <= 1 ? 1 : Integer.highestOneBit(capped - 1) << 1);
    }

    /**
     * @param bytes the bytes a heap copy moves
     * @return a kept chunk at least chunkSize(bytes) large, else a new one of that size
     * @throws IllegalStateException if the pool is closed
     * @throws RuntimeException what {@link Ops#allocate} throws
     */
    C take(long bytes) {
        int want = chunkSize(bytes);
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the device's staging memory is freed: its context was closed");
            }
            for (int i = 0; i < kept.size(); i++) {
                if (ops.capacity(kept.get(i)) >= want) {
                    return kept.remove(i);
                }
            }
        }
        return ops.allocate(want);
    }

    /**
     * Gives a chunk back: kept if there is room (a larger one displaces the smallest kept), else
     * freed.
     *
     * @param chunk a chunk from {@link #take}, no longer used
     * @throws RuntimeException what {@link Ops#free} throws
     */
    void give(C chunk) {
        C drop = chunk;
        synchronized (this) {
            if (!closed) {
                if (kept.size() < KEPT) {
                    kept.add(chunk);
                    drop = null;
                } else {
                    int smallest = 0;
                    for (int i = 1; i < kept.size(); i++) {
                        if (ops.capacity(kept.get(i)) < ops.capacity(kept.get(smallest))) {
                            smallest = i;
                        }
                    }
                    if (ops.capacity(kept.get(smallest)) < ops.capacity(chunk)) {
                        drop = kept.set(smallest, chunk);
                    }
                }
            }
        }
        if (drop != null) {
            ops.free(drop);
        }
    }

    /**
     * Frees the kept chunks; chunks given back later are freed at once.
     *
     * @throws RuntimeException the first failure of {@link Ops#free}
     */
    void close() {
        List<C> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(kept);
            kept.clear();
        }
        RuntimeException failure = null;
        for (C c : all) {
            try {
                ops.free(c);
            } catch (RuntimeException x) {
                if (failure == null) {
                    failure = x;
                } else {
                    failure.addSuppressed(x);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
