package org.jgpu.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jgpu.Context;
import org.jgpu.DeviceBuffer;
import org.jgpu.Event;
import org.jgpu.EventOption;
import org.jgpu.HostBufferPool;
import org.jgpu.Stream;
import org.jgpu.StreamOptions;
import org.jgpu.pipeline.DeviceLoader.DeviceBatch;

/**
 * The producing side of a {@link DeviceLoader}: worker threads fill pinned buffers, an upload
 * thread copies them in index order to free device buffers and hands the batches over.
 */
final class LoaderProducer {

    /** What the uploader hands the consumer: a batch, then the end of the batches. */
    sealed interface Handoff {
    }

    /** An uploaded batch. */
    record Ready(DeviceBatch batch) implements Handoff {
    }

    /** No batch follows: the data ended, the loader closed, or a batch failed. */
    enum End implements Handoff {
        END
    }

    private final Context ctx;
    private final long size;
    private final DeviceLoader.Dataset dataset;
    final Stream copy;
    private final HostBufferPool pinned;
    final BlockingQueue<Handoff> ready;
    private final Map<Long, HostBufferPool.Lease> filled = new ConcurrentHashMap<>();
    final LoaderBuffers buffers;
    private final AtomicLong nextIndex = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopping;
    /** Set by close(): nobody will take the batches still queued. */
    private volatile boolean closing;
    /** Set by a run that reports stage times: uploads from then on are timed. */
    volatile boolean timed;
    /** The failure of the lowest batch so far: the batches before it are still handed out. */
    private final AtomicReference<PipelineException> failure = new AtomicReference<>();
    private final AtomicLong fillNanos = new AtomicLong();
    private final AtomicLong fills = new AtomicLong();

    /**
     * Makes the copy stream, the pinned pool and the device buffers, and starts the threads.
     *
     * @throws org.jgpu.GpuException if an allocation fails
     */
    LoaderProducer(Context ctx, long size, long batchBytes, DeviceLoader.Dataset dataset, int workers, int prefetchDepth) {
        this.ctx = ctx;
        this.size = size;
        this.dataset = dataset;
        this.copy = ctx.createStream(StreamOptions.builder().name("loader-copy").build());
        this.pinned = ctx.createHostPool(batchBytes, workers + prefetchDepth);
        this.ready = new ArrayBlockingQueue<>(prefetchDepth + 1);
        // one more device buffer than can wait ready: the one the consumer is using
        this.buffers = new LoaderBuffers(ctx, batchBytes, prefetchDepth + 1);
        for (int i = 0; i < workers; i++) {
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

    /** @return the failure of the lowest batch that failed so far, or null */
    PipelineException failure() {
        return failure.get();
    }

    /** @return the mean time a worker took to fill one batch so far, 0 before the first */
    long meanFillNanos() {
        long n = fills.get();
        return n == 0 ? 0 : fillNanos.get() / n;
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
            long t0 = System.nanoTime();
            try {
                dataset.fill(i, lease.buffer());
            } catch (Exception | Error e) {
                lease.close();
                fail(new PipelineException("worker fill", i, e));
                return;
            }
            fillNanos.addAndGet(System.nanoTime() - t0);
            fills.incrementAndGet();
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
                Event[] marks = timed ? new Event[] {timing(), timing()} : null;
                if (marks != null) {
                    copy.record(marks[0]);
                }
                copy.copy(lease.buffer(), d);
                if (marks != null) {
                    copy.record(marks[1]);
                }
                Event up = copy.record();
                lease.close();                        // re-lent only once this upload is done
                DeviceBatch batch = new DeviceBatch(i, d, up, buffers, marks);
                while (!ready.offer(new Ready(batch), 50, TimeUnit.MILLISECONDS)) {
                    if (stopping) {
                        batch.close();
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

    private Event timing() {
        return ctx.createEvent(EnumSet.of(EventOption.TIMING));
    }

    private void offerEnd() {
        try {
            while (!ready.offer(End.END, 50, TimeUnit.MILLISECONDS)) {
                if (closing) {
                    discard(ready.poll());   // nobody takes them any more: make room for the end marker
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void discard(Handoff h) {
        if (h instanceof Ready r) {
            r.batch().close();
        }
    }

    /**
     * Stops the threads, waits for the uploads in flight and frees every buffer.
     *
     * @throws IllegalStateException if closing the copy stream or the pool failed (the rest is
     *         freed anyway)
     */
    void close() {
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
        for (Handoff h; (h = ready.poll()) != null;) {
            discard(h);
        }
        ready.offer(End.END);   // an iteration after close ends at once
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
}
