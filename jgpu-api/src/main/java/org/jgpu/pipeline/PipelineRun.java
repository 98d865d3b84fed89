package org.jgpu.pipeline;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jgpu.Context;
import org.jgpu.Event;
import org.jgpu.EventOption;
import org.jgpu.Stream;
import org.jgpu.pipeline.BufferedPipeline.Layout;
import org.jgpu.pipeline.PipelineSlot.DeviceStage;
import org.jgpu.pipeline.PipelineSlot.StageMarks;
import org.jgpu.trace.Engine;
import org.jgpu.trace.Span;
import org.jgpu.trace.Timeline;

/**
 * One run of a {@link BufferedPipeline}: enqueues batches over the slots, checks and consumes
 * them in order, and measures the stages.
 *
 * <p>Every slot has its own stream; the layout is kept by making each batch's stages wait for
 * the previous batch's: the whole previous batch ({@link Layout#SINGLE_STREAM}), the same stage
 * of it ({@link Layout#STREAM_PER_STAGE}), or nothing ({@link Layout#STREAM_PER_SLOT}). A slot's
 * next batch is enqueued only after its last one was checked, so a failure its stream reports
 * belongs to the one batch it holds, even when later batches already ran on other streams.
 *
 * <p>CPU stages are timed by {@link System#nanoTime()}, device stages by timing events, whose
 * clock is the device's: the two are put on one base by the tightest lower bound on the offset
 * between them. No device work starts before it was enqueued: the origin event was recorded
 * after the run's start, and each batch's upload after its prepare ended; so the device spans
 * are placed as late as those facts require and no later.
 */
final class PipelineRun {
    private static final String[] STAGES = {"prepare", "upload", "compute", "download", "consume"};

    private final BufferedPipeline pipeline;
    private final Context ctx;
    private final List<PipelineSlot> slots;
    private final int depth;
    private final ArrayDeque<PipelineSlot> inFlight = new ArrayDeque<>();
    private final List<Span> cpuSpans = new ArrayList<>();
    /** Device spans from the origin event, on the device's clock; placed on the host's by {@link #deviceOffset}. */
    private final List<Span> deviceSpans = new ArrayList<>();
    /**
     * Nanoseconds from {@link #t0} to the origin event: the least the facts allow (it was
     * recorded after t0; a batch's upload started after its prepare ended).
     */
    private long deviceOffset;
    private final long[] stageSums = new long[5];
    private PipelineSlot previous;
    private long t0;
    private long done;

    PipelineRun(BufferedPipeline pipeline, Context ctx, List<PipelineSlot> slots) {
        this.pipeline = pipeline;
        this.ctx = ctx;
        this.slots = slots;
        this.depth = slots.size();
    }

    /**
     * Runs batches until {@code maxBatches} went through or prepare says there is no more data.
     *
     * @throws PipelineException for the lowest batch that failed, after the batches before it
     *         were consumed and the later ones in flight finished on the device (not consumed)
     */
    PipelineReport execute(long maxBatches) {
        start();
        PipelineException failure = null;
        try {
            for (long batch = 0; batch < maxBatches; batch++) {
                PipelineSlot slot = slots.get((int) (batch % depth));
                if (inFlight.size() == depth) {
                    finishOldest();
                }
                slot.batch = batch;
                slot.prepStart = System.nanoTime();
                boolean more;
                try {
                    more = pipeline.prepareStage().fill(batch, slot.in);
                } catch (Exception e) {
                    throw new PipelineException("prepare", batch, e);
                }
                slot.prepEnd = System.nanoTime();
                if (!more) {
                    break;
                }
                enqueue(slot);
                if (depth == 1) {
                    finishOldest();
                }
            }
        } catch (PipelineException e) {
            failure = e;
        }
        while (!inFlight.isEmpty()) {
            if (failure == null || inFlight.peek().batch < failure.batch()) {
                try {
                    finishOldest();
                } catch (PipelineException e) {
                    // a batch before the failed one failed too: it is the one to report
                    if (failure != null) {
                        e.addSuppressed(failure);
                    }
                    failure = e;
                }
            } else {
                drainOldest(failure);
            }
        }
        long wall = System.nanoTime() - t0;
        if (failure != null) {
            throw failure;
        }
        return report(wall);
    }

    /** Records each slot's time base, all measured from one origin. */
    private void start() {
        ctx.synchronize();
        try (Event origin = ctx.createEvent(EnumSet.of(EventOption.TIMING))) {
            Stream first = slots.get(0).stream;
            t0 = System.nanoTime();
            first.record(origin);
            for (PipelineSlot s : slots) {
                if (s.stream != first) {
                    s.stream.waitFor(origin);
                }
                s.stream.record(s.base);
            }
            for (PipelineSlot s : slots) {
                s.baseOffset = s.base.elapsedSince(origin).toNanos();
            }
        }
    }

    private void enqueue(PipelineSlot slot) {
        Stream s = slot.stream;
        // the previous batch's events still hold its records: its slot is refilled only after this batch
        PipelineSlot prev = previous == null || previous.stream == s ? null : previous;
        Layout layout = pipeline.layout();
        try {
            if (prev != null && layout != Layout.STREAM_PER_SLOT) {
                s.waitFor(layout == Layout.SINGLE_STREAM ? prev.download.end() : prev.upload.end());
            }
            s.record(slot.upload.start());
            s.copy(slot.in, slot.din);
            s.record(slot.upload.end());
            if (prev != null && layout == Layout.STREAM_PER_STAGE) {
                s.waitFor(prev.compute.end());
            }
            s.record(slot.compute.start());
            pipeline.computeStage().enqueue(s, slot.din, slot.dout, slot.batch);
            s.record(slot.compute.end());
            if (prev != null && layout == Layout.STREAM_PER_STAGE) {
                s.waitFor(prev.download.end());
            }
            s.record(slot.download.start());
            s.copy(slot.dout, slot.out);
            s.record(slot.download.end());
        } catch (RuntimeException e) {
            throw new PipelineException("enqueue", slot.batch, e);
        }
        inFlight.add(slot);
        previous = slot;
    }

    /** Checks the oldest batch's device work, measures it and hands its output to consume. */
    private void finishOldest() {
        PipelineSlot slot = inFlight.poll();
        List<Span> device = new ArrayList<>(DeviceStage.values().length);
        try {
            // the stream holds only this batch's work since its slot's last check: a failure is this batch's
            slot.stream.synchronize();
            for (DeviceStage stage : DeviceStage.values()) {
                StageMarks m = slot.marks(stage);
                device.add(new Span(stage.label, stage.engine.label(), stage.label + " " + slot.batch,
                        sinceOrigin(slot, m.start()), sinceOrigin(slot, m.end()), Map.of("batch", slot.batch)));
            }
        } catch (RuntimeException e) {
            throw new PipelineException("device work", slot.batch, e);
        }
        note(0, slot.prepEnd - slot.prepStart);
        cpuSpans.add(cpuSpan("prepare", slot.batch, slot.prepStart, slot.prepEnd));
        for (int stage = 0; stage < device.size(); stage++) {
            note(1 + stage, device.get(stage).nanos());   // stage sums: prepare, then the device stages in order
        }
        // the upload was enqueued after prepare ended: the origin is at least that far from t0
        deviceOffset = Math.max(deviceOffset, slot.prepEnd - t0 - device.get(0).startNanos());
        deviceSpans.addAll(device);
        long c0 = System.nanoTime();
        try {
            pipeline.consumeStage().accept(slot.batch, slot.out);
        } catch (Exception e) {
            throw new PipelineException("consume", slot.batch, e);
        }
        long c1 = System.nanoTime();
        note(4, c1 - c0);
        cpuSpans.add(cpuSpan("consume", slot.batch, c0, c1));
        done++;
    }

    /** Waits for a batch after the failed one without consuming it; its own failure is only noted. */
    private void drainOldest(PipelineException failure) {
        PipelineSlot slot = inFlight.poll();
        try {
            slot.stream.synchronize();
        } catch (RuntimeException e) {
            failure.addSuppressed(new PipelineException("device work", slot.batch, e));
        }
    }

    /** @return when {@code mark} was reached, in nanoseconds from the run's origin */
    private static long sinceOrigin(PipelineSlot slot, Event mark) {
        return slot.baseOffset + mark.elapsedSince(slot.base).toNanos();
    }

    /** A CPU stage's span of one batch, from {@link System#nanoTime()} readings. */
    private Span cpuSpan(String stage, long batch, long start, long end) {
        return new Span("cpu", Engine.CPU.label(), stage + " " + batch, start - t0, end - t0, Map.of("batch", batch));
    }

    private void note(int stage, long nanos) {
        stageSums[stage] += nanos;
    }

    private PipelineReport report(long wall) {
        List<Span> spans = new ArrayList<>(cpuSpans);
        for (Span d : deviceSpans) {
            spans.add(d.shifted(deviceOffset));
        }
        Timeline timeline = new Timeline(spans);
        Map<String, Long> stages = new LinkedHashMap<>();
        Map<String, Long> own = new LinkedHashMap<>();
        for (int i = 0; i < STAGES.length; i++) {
            stages.put(STAGES[i], done == 0 ? 0 : stageSums[i] / done);
            // a device stage's span can also hold a wait for an engine another stream keeps busy
            // (a stream per slot): its own work is the time its engine was busy, overlaps once
            long work = i == 0 || i == 4 ? stageSums[i] : timeline.busyNanos(DeviceStage.values()[i - 1].engine.label());
            own.put(STAGES[i], done == 0 ? 0 : work / done);
        }
        long ideal = done == 0 ? 0 : ideal(own);
        double utilization = wall == 0 ? 0 : Math.min(1.0, (double) timeline.busyNanos(Engine.COMPUTE.label()) / wall);
        return PipelineReport.of(ctx, pipeline.modeName(), done, wall, stages, ideal, utilization, timeline);
    }

    /** fill + N * max(stage), over the stages that can overlap in this layout. */
    private long ideal(Map<String, Long> s) {
        long cpu = s.get("prepare") + s.get("consume");
        long device = s.get("upload") + s.get("compute") + s.get("download");
        if (depth == 1) {
            return done * (cpu + device);
        }
        long[] parallel = pipeline.layout() == Layout.SINGLE_STREAM ? new long[] {cpu, device}
                : new long[] {cpu, s.get("upload"), s.get("compute"), s.get("download")};
        long max = 0;
        long sum = 0;
        for (long v : parallel) {
            max = Math.max(max, v);
            sum += v;
        }
        return sum - max + done * max;
    }
}
