package org.jgpu.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jgpu.Context;
import org.jgpu.DeviceBuffer;
import org.jgpu.Event;
import org.jgpu.HostBuffer;
import org.jgpu.HostBufferPool;
import org.jgpu.Stream;
import org.jgpu.StreamOptions;

/**
 * DataLoader-style prefetch to the device: worker threads fill pinned buffers from a dataset,
 * an upload thread copies them on a copy stream, and up to {@code prefetchDepth} batches wait
 * ready on the device while you compute on the previous one.
 *
 * <pre>{@code
 * try (DeviceLoader loader = DeviceLoader.builder(ctx).dataset(n, bytes, (i, slot) -> read(i, slot))
 *         .workers(2).prefetchDepth(2).build()) {
 *     for (DeviceBatch batch : loader) {
 *         try (batch) {
 *             batch.waitOn(compute);                     // compute waits for the upload
 *             compute.launch(step, cfg, batch.buffer(), n);
 *         }                                              // recycled once compute is done with it
 *     }
 * }
 * }</pre>
 *
 * <p>Batches come in index order. The end of the data ends the iteration. When filling (or
 * uploading) batch k fails, the iteration still hands out every batch before k, then
 * {@code hasNext()} and {@code next()} throw a {@link PipelineException} for batch k, the lowest
 * batch that failed whichever failed first in time (as PyTorch's DataLoader raises at the
 * failing batch). Closing the loader early stops the workers, waits for the uploads in flight
 * and frees everything.
 */
public final class DeviceLoader implements Iterable<DeviceLoader.DeviceBatch>, AutoCloseable {

    /** Fills one batch into a pinned buffer. Called from worker threads, several at once. */
    @FunctionalInterface
    public interface Dataset {
        /**
         * @param index the batch index, from 0
         * @param slot the pinned buffer to fill (its whole size is the batch size)
         * @throws Exception ends the iteration as a {@link PipelineException}
         */
        void fill(long index, HostBuffer slot) throws Exception;
    }

    /** A batch on the device: close it when done, after telling it which stream used it. */
    public final class DeviceBatch implements AutoCloseable {
        private final long index;
        private final DeviceBuffer buffer;
        private final Event ready;
        private Stream consumer;
        private boolean closed;

        private DeviceBatch(long index, DeviceBuffer buffer, Event ready) {
            this.index = index;
            this.buffer = buffer;
            this.ready = ready;
        }

        /** @return the batch index */
        public long index() {
            return index;
        }

        /** @return the device buffer holding the batch (valid until close) */
        public DeviceBuffer buffer() {
            if (closed) {
                throw new IllegalStateException("batch " + index + " was closed and its buffer recycled");
            }
            return buffer;
        }

        /** @return the event that completes when the upload is done */
        public Event ready() {
            return ready;
        }

        /**
         * Makes {@code stream} wait for the upload, and remembers it: closing the batch then
         * recycles the buffer only after the work enqueued on it so far.
         *
         * @param stream the stream that reads the batch
         */
        public void waitOn(Stream stream) {
            stream.waitFor(ready);
            consumer = stream;
        }

        /** Gives the buffer back for a later batch, ordered after the consumer's work. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            buffers.recycle(buffer, consumer == null ? null : consumer.record());
        }
    }

    private final Context ctx;
    private final long size;
    private final long batchBytes;
    private final Dataset dataset;
    private final int prefetchDepth;
    private final Stream copy;
    private final HostBufferPool pinned;
    private final BlockingQueue<Handoff> ready;
    private final Map<Long, HostBufferPool.Lease> filled = new ConcurrentHashMap<>();
    private final LoaderBuffers buffers;
    private final AtomicLong nextIndex = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopping;
    /** Set by close(): nobody will take the batches still queued. */
    private volatile boolean closing;
    /** The failure of the lowest batch so far: the batches before it are still handed out. */
    private final AtomicReference<PipelineException> failure = new AtomicReference<>();
    private boolean iterated;

    /** What the uploader hands the iterator: a batch, then the end of the batches. */
    private sealed interface Handoff {
    }

    /** An uploaded batch. */
    private record Ready(DeviceBatch batch) implements Handoff {
    }

    /** No batch follows: the data ended, the loader closed, or a batch failed. */
    private enum End implements Handoff {
        END
    }

    private DeviceLoader(Builder b) {
        this.ctx = b.ctx;
        this.size = b.size;
        this.batchBytes = b.batchBytes;
        this.dataset = b.dataset;
        this.prefetchDepth = b.prefetchDepth;
        this.copy = ctx.createStream(StreamOptions.builder().name("loader-copy").build());
        this.pinned = ctx.createHostPool(batchBytes, b.workers + prefetchDepth);
        this.ready = new ArrayBlockingQueue<>(prefetchDepth + 1);
        // one more device buffer than can wait ready: the one the consumer is using
        this.buffers = new LoaderBuffers(ctx, batchBytes, prefetchDepth + 1);
        for (int i = 0; i < b.workers; i++) {
            threads.add(start("jgpu-loader-worker-" + i, this::work));
        }
        threads.add(start("jgpu-loader-upload", this::upload));
    }

    private static Thread start(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * @param ctx the context
     * @return a builder
     */
    public static Builder builder(Context ctx) {
        return new Builder(ctx);
    }

    private void fail(PipelineException e) {
        // workers fail in any order (with the data ending at k, the one on k+1 may fail first):
        // the lowest batch is the one to report
        failure.accumulateAndGet(e, (held, next) -> held == null || next.batch() < held.batch() ? next : held);
    }

    /** @return the lowest batch that failed so far, or Long.MAX_VALUE */
    private long failedBatch() {
        PipelineException f = failure.get();
        return f == null ? Long.MAX_VALUE : f.batch();
    }

    /**
     * Worker: takes a pinned buffer first, then claims the next index, so that every claimed
     * index holds a buffer and the uploader, which needs them in order, never waits for a batch
     * that cannot get one. Indices are claimed in order, so once batch f failed every index
     * claimed from then on is after f and useless: the worker stops, while those still filling
     * batches before f finish them.
     */
    private void work() {
        while (!stopping && failure.get() == null) {
            HostBufferPool.Lease lease = null;
            try {
                while (lease == null && !stopping && failure.get() == null) {
                    lease = pinned.acquire(Duration.ofMillis(50));
                }
            } catch (RuntimeException | Error e) {
                // e.g. the device was lost while the buffer's last upload was pending: the batch
                // this worker would have filled fails, or the iteration would wait for it forever
                long i = nextIndex.getAndIncrement();
                if (i < size) {
                    fail(new PipelineException("worker acquire of a pinned buffer", i, e));
                }
                return;
            }
            if (lease == null) {
                return;
            }
            long i = nextIndex.getAndIncrement();
            if (i >= size || i > failedBatch()) {
                lease.close();
                return;
            }
            try {
                dataset.fill(i, lease.buffer());
            } catch (Exception | Error e) {
                lease.close();
                fail(new PipelineException("worker fill", i, e));
                return;
            }
            filled.put(i, lease);
        }
    }

    /**
     * Uploader: takes filled batches in index order and copies them to free device buffers,
     * until the end of the data or the first batch that failed, which ends the iteration.
     */
    private void upload() {
        long i = 0;
        try {
            for (; i < size && !stopping; i++) {
                HostBufferPool.Lease lease;
                while ((lease = filled.remove(i)) == null) {
                    if (stopping || failedBatch() <= i) {
                        return;
                    }
                    Thread.sleep(0, 200_000);
                }
                LoaderBuffers.Free slot = buffers.take(() -> stopping);
                if (slot == null) {
                    lease.close();
                    return;
                }
                DeviceBuffer d = slot.buffer();
                if (slot.after() != null) {
                    copy.waitFor(slot.after());   // the consumer is done with this buffer
                }
                copy.copy(lease.buffer(), d);
                Event up = copy.record();
                lease.close();                        // re-lent only once this upload is done
                while (!ready.offer(new Ready(new DeviceBatch(i, d, up)), 50, TimeUnit.MILLISECONDS)) {
                    if (stopping) {
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            fail(new PipelineException("upload", i, e));
        } finally {
            offerEnd();
        }
    }

    private void offerEnd() {
        try {
            while (!ready.offer(End.END, 50, TimeUnit.MILLISECONDS)) {
                if (closing) {
                    ready.poll();   // nobody takes them any more: make room for the end marker
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The batches, in index order. Iterate once.
     *
     * @return the iterator
     * @throws IllegalStateException on a second call
     */
    @Override
    public synchronized Iterator<DeviceBatch> iterator() {
        if (iterated) {
            throw new IllegalStateException("a DeviceLoader is iterated once; build another for a second pass");
        }
        iterated = true;
        return new Iterator<>() {
            private Handoff next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    try {
                        next = ready.take();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while waiting for a batch", e);
                    }
                }
                if (next == End.END) {
                    // the uploader ended at the failed batch, so every batch before it came first
                    PipelineException f = failure.get();
                    if (f != null) {
                        throw f;
                    }
                    return false;
                }
                return true;
            }

            @Override
            public DeviceBatch next() {
                if (!hasNext() || !(next instanceof Ready r)) {
                    throw new NoSuchElementException("no more batches");
                }
                next = null;
                return r.batch();
            }
        };
    }

    /** Stops the workers, waits for the uploads in flight, and frees every buffer and thread. */
    @Override
    public void close() {
        closing = true;
        stopping = true;
        for (Thread t : threads) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (HostBufferPool.Lease l : filled.values()) {
            l.close();
        }
        filled.clear();
        RuntimeException first = null;
        for (AutoCloseable c : new AutoCloseable[] {copy, pinned}) {
            try {
                c.close();
            } catch (Exception e) {
                first = first == null ? new IllegalStateException(e) : first;
            }
        }
        buffers.close();
        if (first != null) {
            throw first;
        }
    }

    /** Builds a {@link DeviceLoader}. */
    public static final class Builder {
        private final Context ctx;
        private long size = -1;
        private long batchBytes;
        private Dataset dataset;
        private int workers = 2;
        private int prefetchDepth = 2;

        private Builder(Context ctx) {
            if (ctx == null) {
                throw new IllegalArgumentException("ctx must not be null");
            }
            this.ctx = ctx;
        }

        /**
         * @param batches how many batches the dataset has
         * @param bytesPerBatch bytes of each
         * @param fill fills one
         * @return this builder
         */
        public Builder dataset(long batches, long bytesPerBatch, Dataset fill) {
            this.size = batches;
            this.batchBytes = bytesPerBatch;
            this.dataset = fill;
            return this;
        }

        /** @param n worker threads filling pinned buffers, at least 1 @return this builder */
        public Builder workers(int n) {
            workers = n;
            return this;
        }

        /** @param n batches that may wait ready on the device, at least 1 @return this builder */
        public Builder prefetchDepth(int n) {
            prefetchDepth = n;
            return this;
        }

        /**
         * Starts the workers and the uploader.
         *
         * @return the loader
         * @throws IllegalArgumentException naming what is missing or out of range
         */
        public DeviceLoader build() {
            if (dataset == null || size < 0 || batchBytes < 1) {
                throw new IllegalArgumentException("dataset(batches >= 0, bytesPerBatch >= 1, fill) must be set");
            }
            if (workers < 1 || prefetchDepth < 1) {
                throw new IllegalArgumentException("workers and prefetchDepth must be at least 1, got " + workers + " and "
                        + prefetchDepth);
            }
            return new DeviceLoader(this);
        }
    }
}
