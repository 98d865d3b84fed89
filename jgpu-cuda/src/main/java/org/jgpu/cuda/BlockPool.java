package org.jgpu.cuda;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A cache of device memory freed in stream order, kept for reuse by later allocations.
 *
 * <p>CUDA's default memory pool gives freed memory back to the system at every synchronize
 * (its release threshold is 0, and JCuda 12.6 cannot raise it), so without this cache a loop
 * that allocates and frees maps memory again each time. This is the host backend's reuse pool
 * (sizes kept per class, a byte bound, emptied when memory is short and on close) with what a
 * device needs on top: a block freed on a stream keeps an event recorded at the free, and is
 * reused only where that costs no wait: on the stream it was freed on (stream order covers
 * it), or once its event has completed. A block whose free another stream has not reached yet
 * stays cached and the request gets a new block, as CUDA's own pool does: reusing it would
 * chain the new owner behind the old stream's work, which may be long or wait on the host
 * (and a host thread waiting for it could be the one that would let that work finish).
 *
 * <p>The driver work is behind {@link Ops}, so the pool's logic runs without a device.
 * Thread-safe; no driver call is made under the pool's lock except recording the free event
 * and the non-blocking queries of free events.
 *
 * @param <B> a block of device memory
 * @param <S> a stream
 * @param <E> an event
 */
final class BlockPool<B, S, E> {

    /** The driver operations the pool is built on. */
    interface Ops<B, S, E> {
        /**
         * @param bytes size
         * @param stream the stream that orders the allocation, or null for memory usable on
         *        every stream when this returns
         * @return a new block
         * @throws RuntimeException if it cannot be allocated ({@link #isOutOfMemory} says whether for lack of memory)
         */
        B allocate(long bytes, S stream);

        /**
         * @param e a failure of {@link #allocate}
         * @return true if it failed for lack of memory
         */
        boolean isOutOfMemory(RuntimeException e);

        /**
         * Really frees a block: in {@code stream}'s order if one is given, else after {@code after}
         * completes if given, else now (the block is idle).
         *
         * @param block the block
         * @param stream the stream that orders the free, or null
         * @param after the event the free waits for, or null
         */
        void free(B block, S stream, E after);

        /** @return a new event for marking a free */
        E newEvent();

        /**
         * @param event the event
         * @param stream records it at the current end of this stream
         */
        void record(E event, S stream);

        /**
         * Asks without waiting whether the work before an event is done.
         *
         * @param event an event recorded at a free
         * @return true if it completed
         * @throws RuntimeException if the driver reports an error
         */
        boolean isComplete(E event);

        /** @param event an event the pool no longer needs */
        void destroy(E event);

        /** Waits until the frees made so far have given their memory back. */
        void settle();
    }

    /** A cached block: the stream it was freed on (null: freed idle) and the event at the free. */
    private record Entry<B, S, E>(B block, S freedOn, E event) {
    }

    /** Spare events kept for later frees, at most this many. */
    private static final int SPARE_EVENTS = 64;
    /** Cached blocks of a size class looked at per request, the latest freed first. */
    private static final int SCAN = 16;

    private final Ops<B, S, E> ops;
    private final long maxBytes;
    private final Map<Long, ArrayDeque<Entry<B, S, E>>> free = new HashMap<>();
    private final ArrayDeque<E> spareEvents = new ArrayDeque<>();
    private long cachedBytes;
    private boolean closed;

    /**
     * @param ops the driver operations
     * @param maxBytes the most bytes kept cached
     */
    BlockPool(Ops<B, S, E> ops, long maxBytes) {
        this.ops = ops;
        this.maxBytes = maxBytes;
    }

    /**
     * The size a request is served with: requests within 1/8 of each other share a class, so a
     * freed block serves the next request of about the same size (at most 1/8 more memory).
     *
     * @param bytes a requested size, at least 1
     * @return its class's size, at least {@code bytes}
     */
    static long sizeClass(long bytes) {
        long step = bytes <= 4096 ? 256 : Long.highestOneBit(bytes - 1) / 8;
        return (bytes + step - 1) / step * step;
    }

    /**
     * A block of at least {@code bytes}: a cached one of its size class that needs no wait (freed
     * idle, freed on {@code stream}, or its free completed), else a new one; when memory is
     * short, the cache is emptied and the allocation tried once more.
     *
     * @param bytes size, at least 1
     * @param stream the stream that will use the block first, or null for use on any stream
     * @return the block
     * @throws IllegalStateException if the pool is closed
     * @throws RuntimeException what {@link Ops#allocate} or {@link Ops#isComplete} throws
     */
    B allocate(long bytes, S stream) {
        long size = sizeClass(bytes);
        Entry<B, S, E> e;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the device's memory pool is closed: its context was closed");
            }
            e = take(size, stream);
        }
        if (e != null) {
            spare(e.event);
            return e.block;
        }
        try {
            return ops.allocate(size, stream);
        } catch (RuntimeException x) {
            if (!ops.isOutOfMemory(x)) {
                throw x;
            }
            try {
                if (trim() == 0) {
                    throw x;
                }
                ops.settle();
            } catch (RuntimeException t) {
                if (t != x) {
                    x.addSuppressed(t);
                }
                throw x;
            }
            return ops.allocate(size, stream);
        }
    }

    /**
     * Takes a block back: cached if it fits in the bound, else really freed.
     *
     * @param block the block
     * @param bytes the size it was requested with
     * @param stream the stream whose later work no longer uses it (its free is ordered there),
     *        or null if nothing uses it any more
     * @throws RuntimeException what the driver operations throw
     */
    void release(B block, long bytes, S stream) {
        long size = sizeClass(bytes);
        E event = null;
        synchronized (this) {
            if (!closed && cachedBytes + size <= maxBytes) {
                if (stream != null) {
                    try {
                        event = spareEvents.isEmpty() ? ops.newEvent() : spareEvents.pop();
                        ops.record(event, stream);   // under the lock: the entry is not visible before its event
                    } catch (RuntimeException x) {
                        failedRelease(block, stream, event, x);
                        throw x;
                    }
                }
                put(size, new Entry<>(block, stream, event));
                return;
            }
        }
        ops.free(block, stream, null);
    }

    /**
     * Really frees every cached block (each after its free event).
     *
     * @return the bytes let go
     */
    long trim() {
        List<Entry<B, S, E>> all = new ArrayList<>();
        long bytes;
        synchronized (this) {
            free.values().forEach(all::addAll);
            free.clear();
            bytes = cachedBytes;
            cachedBytes = 0;
        }
        RuntimeException failure = null;
        for (Entry<B, S, E> e : all) {
            try {
                ops.free(e.block, null, e.event);
            } catch (RuntimeException x) {
                failure = first(failure, x);
            }
            spare(e.event);
        }
        if (failure != null) {
            throw failure;
        }
        return bytes;
    }

    /**
     * Frees every cached block and event; blocks released later are freed at once.
     *
     * @throws RuntimeException the first failure of the driver operations
     */
    void close() {
        synchronized (this) {
            closed = true;
        }
        RuntimeException failure = null;
        try {
            trim();
        } catch (RuntimeException x) {
            failure = x;
        }
        List<E> events;
        synchronized (this) {
            events = new ArrayList<>(spareEvents);
            spareEvents.clear();
        }
        for (E ev : events) {
            try {
                ops.destroy(ev);
            } catch (RuntimeException x) {
                failure = first(failure, x);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** @return the bytes cached now */
    synchronized long cachedBytes() {
        return cachedBytes;
    }

    /** Under the lock: removes and returns a cached block of the class that needs no wait, or null. */
    private Entry<B, S, E> take(long size, S stream) {
        ArrayDeque<Entry<B, S, E>> q = free.get(size);
        if (q == null) {
            return null;
        }
        int looked = 0;
        for (Iterator<Entry<B, S, E>> it = q.iterator(); it.hasNext() && looked < SCAN; looked++) {
            Entry<B, S, E> e = it.next();   // the latest freed first: still warm
            boolean ready = e.event == null || (stream != null && stream.equals(e.freedOn)) || ops.isComplete(e.event);
            if (ready) {
                it.remove();
                if (q.isEmpty()) {
                    free.remove(size);
                }
                cachedBytes -= size;
                return e;
            }
        }
        return null;
    }

    private synchronized void put(long size, Entry<B, S, E> e) {
        free.computeIfAbsent(size, k -> new ArrayDeque<>()).push(e);
        cachedBytes += size;
    }

    /**
     * A free event could not be made or recorded: the event is destroyed (its state is unknown)
     * and the block freed in its stream's order, so that neither leaks. Runs under the lock, on
     * the failure path only; further failures are added to {@code x}.
     */
    private void failedRelease(B block, S stream, E event, RuntimeException x) {
        if (event != null) {
            try {
                ops.destroy(event);
            } catch (RuntimeException t) {
                x.addSuppressed(t);
            }
        }
        try {
            ops.free(block, stream, null);
        } catch (RuntimeException t) {
            x.addSuppressed(t);
        }
    }

    /** Keeps an event for a later free (a stream wait has read its state already), or destroys it. */
    private void spare(E event) {
        if (event == null) {
            return;
        }
        synchronized (this) {
            if (!closed && spareEvents.size() < SPARE_EVENTS) {
                spareEvents.push(event);
                return;
            }
        }
        ops.destroy(event);
    }

    private static RuntimeException first(RuntimeException first, RuntimeException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }
}
