package org.jgpu.pipeline;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jgpu.Context;
import org.jgpu.Event;
import org.jgpu.EventOption;
import org.jgpu.Stream;
import org.jgpu.StreamOptions;
import org.jgpu.pipeline.DeviceLoader.DeviceBatch;
import org.jgpu.trace.Engine;
import org.jgpu.trace.Span;
import org.jgpu.trace.Timeline;

/**
 * One {@link DeviceLoader#run} : the loader's batches computed on one stream, their outputs
 * downloaded on another and consumed in order on a thread of the run's own.
 *
 * <p>The calling thread drives: for batch i it takes output slot {@code i % slots} once the
 * consume of that slot's previous batch has returned, makes the compute stream wait for the
 * upload and for the slot's previous download, enqueues the compute, then the download on the
 * download stream after it, and hands the slot to the consume thread. That thread waits for the
 * download, measures the batch's device spans and calls consume. So batch i downloads while
 * batch i+1 computes and batch i+2 uploads, and the hazard checker sees every reuse ordered.
 */
final class LoaderRun {
    private static final Object END = new Object();

    private final Context ctx;
    private final LoaderProducer producer;
    private final Iterator<DeviceBatch> batches;
    private final int workers;
    private final Stream compute;
    private final boolean ownsCompute;
    private final Stream download;
    private final List<LoaderOutput> slots = new ArrayList<>();
    private final BufferedPipeline.Compute step;
    private final BufferedPipeline.Consume consume;
    private final BlockingQueue<Object> handed = new LinkedBlockingQueue<>();
    /** The first failure of the consume thread (device work or consume); the driver stops at it. */
    private final AtomicReference<PipelineException> consumeFailure = new AtomicReference<>();
    /** Written by the consume thread only, read by the driver after joining it. */
    private final List<Span> spans = new ArrayList<>();
    private final long[] sums = new long[4];
    private final long[] counts = new long[4];
    private Event origin;
    private long t0;

    /**
     * Makes the run's streams and output slots.
     *
     * @param given the compute stream the caller gave, or null for one of the run's own
     * @throws org.jgpu.GpuException if an allocation fails (what was made is freed)
     */
    LoaderRun(Context ctx, LoaderProducer producer, Iterator<DeviceBatch> batches, int workers, int slotCount,
            Stream given, long outputBytes, BufferedPipeline.Compute step, BufferedPipeline.Consume consume) {
        this.ctx = ctx;
        this.producer = producer;
        this.batches = batches;
        this.workers = workers;
        this.step = step;
        this.consume = consume;
        this.ownsCompute = given == null;
        Stream c = null;
        Stream d = null;
        try {
            c = given != null ? given : ctx.createStream(StreamOptions.builder().name("loader-compute").build());
            d = ctx.createStream(StreamOptions.builder().name("loader-download").build());
            for (int i = 0; i < slotCount; i++) {
                slots.add(new LoaderOutput(ctx, i, outputBytes));
            }
        } catch (RuntimeException | Error e) {
            for (LoaderOutput s : slots) {
                s.close();
            }
            if (d != null) {
                d.close();
            }
            if (c != null && ownsCompute) {
                c.close();
            }
            throw e;
        }
        this.compute = c;
        this.download = d;
    }

    /**
     * Runs every batch the loader still has, then frees the run's streams and slots.
     *
     * @return what the run measured
     * @throws PipelineException for the lowest batch that failed, after the batches before it
     *         were consumed
     */
    PipelineReport execute() {
        Throwable primary = null;
        try {
            return drive();
        } catch (RuntimeException | Error e) {
            primary = e;
            throw e;
        } finally {
            release(primary);
        }
    }

    private PipelineReport drive() {
        producer.timed = true;
        origin = ctx.createEvent(EnumSet.of(EventOption.TIMING));
        compute.record(origin);
        t0 = System.nanoTime();
        Thread consumer = new Thread(this::consumeAll, "jgpu-loader-consume");
        consumer.setDaemon(true);
        consumer.start();
        PipelineException failure = null;
        try {
            while (consumeFailure.get() == null && batches.hasNext()) {
                DeviceBatch b = batches.next();
                LoaderOutput slot = slots.get((int) (b.index() % slots.size()));
                try (b) {
                    if (!acquire(slot)) {
                        break;   // the consume thread failed: its failure ends the run
                    }
                    try {
                        enqueue(b, slot);
                    } catch (RuntimeException e) {
                        slot.free.release();
                        throw new PipelineException("compute", b.index(), e);
                    }
                }
                handed.add(slot);
            }
        } catch (PipelineException e) {
            failure = e;   // the batches before it still get consumed
        } finally {
            handed.add(END);
            join(consumer);
        }
        long wall = System.nanoTime() - t0;
        PipelineException late = consumeFailure.get();
        if (late != null && failure != null) {
            PipelineException first = late.batch() <= failure.batch() ? late : failure;
            first.addSuppressed(first == late ? failure : late);
            throw first;
        }
        if (late != null || failure != null) {
            throw late != null ? late : failure;
        }
        return report(wall);
    }

    /** Waits until the slot's last batch was consumed; false if the consume thread failed first. */
    private boolean acquire(LoaderOutput slot) {
        try {
            while (!slot.free.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                if (consumeFailure.get() != null) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for output slot " + slot.index + " of a DeviceLoader run", e);
        }
    }

    private void enqueue(DeviceBatch b, LoaderOutput slot) {
        b.waitOn(compute);                               // the upload, and the input recycled after this compute
        if (slot.used) {
            compute.waitFor(slot.downloadEnd);           // the slot's previous download has read its device output
        }
        compute.record(slot.computeStart);
        step.enqueue(compute, b.buffer(), slot.device, b.index());
        compute.record(slot.computeEnd);
        download.waitFor(slot.computeEnd);
        download.record(slot.downloadStart);
        download.copy(slot.device, slot.host);
        download.record(slot.downloadEnd);
        slot.batch = b.index();
        slot.uploadMarks = b.takeUploadMarks();
        slot.used = true;
    }

    private static void join(Thread t) {
        boolean interrupted = false;
        while (t.isAlive()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                interrupted = true;   // the consume thread ends at END: wait for it all the same
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The consume thread: each handed slot, in batch order, until END. */
    private void consumeAll() {
        for (;;) {
            Object h;
            try {
                h = handed.take();
            } catch (InterruptedException e) {
                consumeFailure.compareAndSet(null, new PipelineException("consume", -1, e));
                return;
            }
            if (h == END) {
                return;
            }
            LoaderOutput slot = (LoaderOutput) h;
            if (consumeFailure.get() == null) {
                finish(slot);
            }
            slot.closeUploadMarks();
            slot.free.release();
        }
    }

    /** Waits for the slot's download, measures the batch and hands its output to consume. */
    private void finish(LoaderOutput slot) {
        long i = slot.batch;
        try {
            slot.downloadEnd.synchronize();
            if (slot.uploadMarks != null) {
                // a batch uploaded before the run began counts from the run's start
                note(0, new Span(producer.copy.name(), Engine.COPY_H2D.label(), "upload " + i,
                        Math.max(0, since(slot.uploadMarks[0])), Math.max(0, since(slot.uploadMarks[1])), Map.of("batch", i)));
            }
            note(1, new Span(compute.name(), Engine.COMPUTE.label(), "compute " + i, since(slot.computeStart),
                    since(slot.computeEnd), Map.of("batch", i)));
            note(2, new Span(download.name(), Engine.COPY_D2H.label(), "download " + i, since(slot.downloadStart),
                    since(slot.downloadEnd), Map.of("batch", i)));
        } catch (RuntimeException e) {
            consumeFailure.compareAndSet(null, new PipelineException("device work", i, e));
            return;
        }
        long c0 = System.nanoTime();
        try {
            consume.accept(i, slot.host);
        } catch (Exception | Error e) {
            consumeFailure.compareAndSet(null, new PipelineException("consume", i, e));
            return;
        }
        note(3, new Span(Span.CPU, Engine.CPU.label(), "consume " + i, c0 - t0, System.nanoTime() - t0, Map.of("batch", i)));
    }

    private long since(Event mark) {
        return mark.elapsedSince(origin).toNanos();
    }

    private void note(int stage, Span span) {
        spans.add(span);
        sums[stage] += span.nanos();
        counts[stage]++;
    }

    private long mean(int stage) {
        return counts[stage] == 0 ? 0 : sums[stage] / counts[stage];
    }

    /** The one place a loader run's report is made. */
    private PipelineReport report(long wall) {
        long done = counts[3];
        Map<String, Long> stages = new LinkedHashMap<>();
        stages.put("prepare", producer.meanFillNanos());
        stages.put("upload", mean(0));
        stages.put("compute", mean(1));
        stages.put("download", mean(2));
        stages.put("consume", mean(3));
        // every stage runs on its own resource: workers share the filling, one engine per device stage
        long[] parallel = {stages.get("prepare") / workers, mean(0), mean(1), mean(2), mean(3)};
        long max = 0;
        long sum = 0;
        for (long v : parallel) {
            max = Math.max(max, v);
            sum += v;
        }
        long ideal = done == 0 ? 0 : sum - max + done * max;
        Timeline timeline = new Timeline(spans);
        double utilization = wall == 0 ? 0 : Math.min(1.0, (double) timeline.busyNanos(Engine.COMPUTE.label()) / wall);
        return PipelineReport.of(ctx, "loader", done, wall, stages, ideal, utilization, timeline);
    }

    /**
     * Closes the run's streams (waiting for their work) and frees the slots. A failure of work
     * not reported yet is added to {@code primary}, or thrown when there is none.
     */
    private void release(Throwable primary) {
        RuntimeException unreported = null;
        for (Stream s : ownsCompute ? new Stream[] {download, compute} : new Stream[] {download}) {
            try {
                s.close();
            } catch (RuntimeException e) {
                unreported = unreported == null ? e : unreported;
            }
        }
        if (!ownsCompute) {
            try {
                compute.synchronize();   // the caller's stream keeps running: the slots' buffers are freed after it
            } catch (RuntimeException e) {
                unreported = unreported == null ? e : unreported;
            }
        }
        for (LoaderOutput s : slots) {
            s.close();
        }
        if (origin != null) {
            origin.close();
        }
        if (unreported != null) {
            if (primary != null) {
                primary.addSuppressed(unreported);
            } else {
                throw new PipelineException("device work", -1, unreported);
            }
        }
    }
}
