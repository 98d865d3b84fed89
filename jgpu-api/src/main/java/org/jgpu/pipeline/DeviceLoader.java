package org.jgpu.pipeline;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.jgpu.Context;
import org.jgpu.DeviceBuffer;
import org.jgpu.Event;
import org.jgpu.HostBuffer;
import org.jgpu.Stream;

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
 *
 * <p>Or let the loader run the whole loop: compute on a stream, download each output on another
 * and consume it in batch order on a thread of its own, while later batches upload and compute
 * ({@link #run(Stream, long, BufferedPipeline.Compute, BufferedPipeline.Consume)}):
 *
 * <pre>{@code
 * PipelineReport r = loader.run(outBytes, (stream, x, y, i) -> model.forward(stream, x, y), (i, y) -> take(i, y));
 * }</pre>
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
    public static final class DeviceBatch implements AutoCloseable {
        private final long index;
        private final DeviceBuffer buffer;
        private final Event ready;
        private final LoaderBuffers buffers;
        /** Timing events around the upload, when a run reports stage times; null otherwise. */
        private Event[] uploadMarks;
        private Stream consumer;
        private boolean closed;

        DeviceBatch(long index, DeviceBuffer buffer, Event ready, LoaderBuffers buffers, Event[] uploadMarks) {
            this.index = index;
            this.buffer = buffer;
            this.ready = ready;
            this.buffers = buffers;
            this.uploadMarks = uploadMarks;
        }

        /** @return the batch index */
        public long index() {
            return index;
        }

        /**
         * @return the device buffer holding the batch (valid until close)
         * @throws IllegalStateException if the batch was closed
         */
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

        /** @return the upload's timing events (start, end), now the caller's to close; or null */
        Event[] takeUploadMarks() {
            Event[] m = uploadMarks;
            uploadMarks = null;
            return m;
        }

        /** Gives the buffer back for a later batch, ordered after the consumer's work. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            buffers.recycle(buffer, consumer == null ? null : consumer.record());
            Event[] m = takeUploadMarks();
            if (m != null) {
                m[0].close();
                m[1].close();
            }
        }
    }

    private final Context ctx;
    private final int workers;
    private final int prefetchDepth;
    private final LoaderProducer producer;
    private boolean iterated;

    private DeviceLoader(Builder b) {
        this.ctx = b.ctx;
        this.workers = b.workers;
        this.prefetchDepth = b.prefetchDepth;
        this.producer = new LoaderProducer(ctx, b.size, b.batchBytes, b.dataset, b.workers, b.prefetchDepth);
    }

    /**
     * @param ctx the context
     * @return a builder
     */
    public static Builder builder(Context ctx) {
        return new Builder(ctx);
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
            private LoaderProducer.Handoff next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    try {
                        next = producer.ready.take();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while waiting for a batch", e);
                    }
                }
                if (next == LoaderProducer.End.END) {
                    // the uploader ended at the failed batch, so every batch before it came first
                    PipelineException f = producer.failure();
                    if (f != null) {
                        throw f;
                    }
                    return false;
                }
                return true;
            }

            @Override
            public DeviceBatch next() {
                if (!hasNext() || !(next instanceof LoaderProducer.Ready r)) {
                    throw new NoSuchElementException("no more batches");
                }
                next = null;
                return r.batch();
            }
        };
    }

    /**
     * The whole loop over the batches: computes each on a stream of the run's own, downloads
     * its output on another and hands it to {@code consume}, in batch order, on a thread of the
     * run's own; see {@link #run(Stream, long, BufferedPipeline.Compute, BufferedPipeline.Consume)}.
     *
     * @param outputBytes bytes of each batch's output
     * @param compute enqueues a batch's work on the stream it is given
     * @param consume takes a batch's downloaded output
     * @return what the run measured
     * @throws PipelineException for the lowest batch that failed, after the batches before it
     *         were consumed
     * @throws IllegalArgumentException if outputBytes is below 1 or a stage is null
     * @throws IllegalStateException if the loader was already iterated or run
     */
    public PipelineReport run(long outputBytes, BufferedPipeline.Compute compute, BufferedPipeline.Consume consume) {
        return run(null, outputBytes, compute, consume);
    }

    /**
     * The whole loop over the batches, computed on {@code stream}: a training loop whose
     * weights live on that stream, say.
     *
     * <p>For each batch the run makes the stream wait for its upload, calls {@code compute}
     * with the batch's input and a device output buffer, downloads that buffer on a download
     * stream of its own into a pinned buffer, and calls {@code consume} with it on a consume
     * thread of its own, in batch order, once that download is done. Output buffers rotate
     * ({@code prefetchDepth + 1} of them, at least 2), so batch i downloads while batch i+1
     * computes; a pinned output is downloaded into again only after {@code consume} of its last
     * batch returned, so consume may read it freely but must copy what it keeps. Every reuse is
     * ordered by events, so the run is clean in {@link org.jgpu.HazardMode#CHECK}.
     *
     * <p>When a stage of batch k fails (the dataset's fill, the upload, {@code compute},
     * {@code consume}), the batches before k are still consumed, none from k on, and the run
     * ends with a {@link PipelineException} for batch k naming the stage ({@code worker fill},
     * {@code upload}, {@code compute}, {@code consume}). Device work that fails is stage
     * {@code device work} of the first batch whose completed download finds the failure: all
     * batches compute on one stream, so that is batch k or one before it still in flight, as an
     * asynchronous error surfaces at the next check (the cause names the operation). The run's
     * streams, buffers and thread are freed before it returns or throws; the loader is closed
     * by its owner as always.
     *
     * @param stream the stream to compute on, or null for one of the run's own (closed after)
     * @param outputBytes bytes of each batch's output
     * @param compute enqueues a batch's work on the stream it is given (which already waits for
     *        the upload); the batch index is its last argument
     * @param consume takes a batch's output, a pinned buffer, on the consume thread
     * @return what the run measured: wall time, mean time per batch of prepare (one worker's
     *         fill), upload, compute, download and consume, the ideal bound and the timeline
     * @throws PipelineException for the lowest batch that failed, after the batches before it
     *         were consumed
     * @throws IllegalArgumentException if outputBytes is below 1 or a stage is null
     * @throws IllegalStateException if the loader was already iterated or run
     */
    public PipelineReport run(Stream stream, long outputBytes, BufferedPipeline.Compute compute,
            BufferedPipeline.Consume consume) {
        if (outputBytes < 1 || compute == null || consume == null) {
            throw new IllegalArgumentException("run needs outputBytes >= 1 (got " + outputBytes
                    + "), a compute and a consume");
        }
        Iterator<DeviceBatch> batches = iterator();
        int slots = Math.max(2, prefetchDepth + 1);
        return new LoaderRun(ctx, producer, batches, workers, slots, stream, outputBytes, compute, consume).execute();
    }

    /**
     * Stops the workers, waits for the uploads in flight, and frees every buffer and thread.
     *
     * @throws IllegalStateException if closing the copy stream or the pinned pool failed (the
     *         rest is freed anyway)
     */
    @Override
    public void close() {
        producer.close();
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

        /**
         * @param n worker threads filling pinned buffers, at least 1
         * @return this builder
         */
        public Builder workers(int n) {
            workers = n;
            return this;
        }

        /**
         * @param n batches that may wait ready on the device, at least 1
         * @return this builder
         */
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
