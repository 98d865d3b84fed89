package org.jgpu.pipeline;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jgpu.Context;
import org.jgpu.DeviceBuffer;
import org.jgpu.Event;
import org.jgpu.EventOption;
import org.jgpu.HostBuffer;
import org.jgpu.Stream;
import org.jgpu.StreamOptions;
import org.jgpu.trace.Span;
import org.jgpu.trace.Timeline;

/**
 * prepare → upload → compute → download → consume over rotating pinned slots: the CPU fills
 * batch i+1 while the device works on batch i, and (with a stream per stage) batch i+1 uploads
 * while batch i computes and batch i-1 downloads.
 *
 * <pre>{@code
 * PipelineReport r = BufferedPipeline.builder(ctx)
 *         .depth(3)                                        // triple buffering
 *         .inputBytes(inBytes).outputBytes(outBytes)
 *         .prepare((batch, in) -> loader.fill(batch, in))  // false: no more data
 *         .compute((stream, in, out, batch) -> stream.launch(kernel, cfg, in, out, n))
 *         .consume((batch, out) -> results.take(batch, out))
 *         .build()
 *         .run(1000);
 * }</pre>
 *
 * <p>{@code depth} slots bound the batches in flight: a slot is refilled only after its last
 * batch was consumed, and events order every reuse. Depth 1 runs everything in sequence; by
 * default depth 2 uses one device stream (CPU/GPU overlap: the double buffering of the classic
 * write-ups) and depth 3 or more a stream per device stage ({@link Layout}). Prepare and consume
 * run on the calling thread; a failure in any stage ends the run with a
 * {@link PipelineException} naming the stage and batch, after the batches in flight finished.
 */
public final class BufferedPipeline {

    /** How device stages map onto streams. */
    public enum Layout {
        /** upload, compute and download of every batch on one stream: device stages in series */
        SINGLE_STREAM,
        /** one stream per device stage, ordered by events: stages of different batches overlap */
        STREAM_PER_STAGE,
        /** one stream per slot doing all three stages: batches overlap across streams */
        STREAM_PER_SLOT
    }

    /** Fills a batch's input on the CPU. */
    @FunctionalInterface
    public interface Prepare {
        /**
         * @param batch the batch index, from 0
         * @param in the slot's pinned input buffer
         * @return false when there is no more data (in is then ignored)
         * @throws Exception ends the run as a {@link PipelineException}
         */
        boolean fill(long batch, HostBuffer in) throws Exception;
    }

    /** Enqueues a batch's device work. */
    @FunctionalInterface
    public interface Compute {
        /**
         * @param stream the stream to enqueue on (it already waits for the upload)
         * @param in the uploaded input
         * @param out where the download takes the output from
         * @param batch the batch index
         */
        void enqueue(Stream stream, DeviceBuffer in, DeviceBuffer out, long batch);
    }

    /** Takes a batch's output on the CPU. */
    @FunctionalInterface
    public interface Consume {
        /**
         * @param batch the batch index
         * @param out the slot's pinned output buffer, downloaded
         * @throws Exception ends the run as a {@link PipelineException}
         */
        void accept(long batch, HostBuffer out) throws Exception;
    }

    private final Context ctx;
    private final String name;
    private final int depth;
    private final Layout layout;
    private final long inputBytes;
    private final long outputBytes;
    private final Prepare prepare;
    private final Compute compute;
    private final Consume consume;

    private BufferedPipeline(Builder b) {
        this.ctx = b.ctx;
        this.name = b.name;
        this.depth = b.depth;
        this.layout = b.layout != null ? b.layout : b.depth >= 3 ? Layout.STREAM_PER_STAGE : Layout.SINGLE_STREAM;
        this.inputBytes = b.inputBytes;
        this.outputBytes = b.outputBytes;
        this.prepare = b.prepare;
        this.compute = b.compute;
        this.consume = b.consume;
    }

    /**
     * @param ctx the context
     * @return a builder
     */
    public static Builder builder(Context ctx) {
        return new Builder(ctx);
    }

    /** @return the number of slots */
    public int depth() {
        return depth;
    }

    /** @return how device stages map onto streams */
    public Layout layout() {
        return layout;
    }

    /** One rotating set of buffers and the events that time and order its batch. */
    private static final class Slot {
        final int index;
        final HostBuffer in;
        final HostBuffer out;
        final DeviceBuffer din;
        final DeviceBuffer dout;
        final Event[] marks = new Event[6];
        long batch;
        long prepStart;
        long prepEnd;

        Slot(Context ctx, int index, long inBytes, long outBytes) {
            this.index = index;
            in = ctx.allocHost(inBytes, "slot" + index + "-in");
            out = ctx.allocHost(outBytes, "slot" + index + "-out");
            din = ctx.allocDevice(inBytes, "slot" + index + "-din");
            dout = ctx.allocDevice(outBytes, "slot" + index + "-dout");
            for (int i = 0; i < marks.length; i++) {
                marks[i] = ctx.createEvent(EnumSet.of(EventOption.TIMING));
            }
        }

        void close() {
            for (Event e : marks) {
                e.close();
            }
            in.close();
            out.close();
            din.close();
            dout.close();
        }
    }

    private static final String[] DEVICE_STAGES = {"upload", "compute", "download"};
    /** The engine each device stage's spans are drawn on. */
    private static final String[] ENGINES = {"copy H2D", "compute", "copy D2H"};
    private static final String[] STAGES = {"prepare", "upload", "compute", "download", "consume"};

    /**
     * Runs batches until {@code maxBatches} went through or prepare says there is no more data.
     *
     * @param maxBatches the most batches to run, at least 1
     * @return what the run measured
     * @throws PipelineException if a stage failed (its batch and stage named)
     * @throws IllegalArgumentException if maxBatches is below 1
     */
    public PipelineReport run(long maxBatches) {
        if (maxBatches < 1) {
            throw new IllegalArgumentException("maxBatches must be at least 1, got " + maxBatches);
        }
        List<Slot> slots = new ArrayList<>(depth);
        List<Stream> streams = new ArrayList<>();
        try {
            for (int i = 0; i < depth; i++) {
                slots.add(new Slot(ctx, i, inputBytes, outputBytes));
            }
            int streamCount = layout == Layout.SINGLE_STREAM ? 1 : layout == Layout.STREAM_PER_STAGE ? 3 : depth;
            for (int i = 0; i < streamCount; i++) {
                streams.add(ctx.createStream(StreamOptions.builder().name(name + "-" + streamName(i)).build()));
            }
            return new Run(slots, streams).execute(maxBatches);
        } finally {
            for (Stream s : streams) {
                s.close();
            }
            for (Slot s : slots) {
                s.close();
            }
        }
    }

    private String streamName(int i) {
        switch (layout) {
            case SINGLE_STREAM: return "device";
            case STREAM_PER_STAGE: return DEVICE_STAGES[i];
            default: return "slot" + i;
        }
    }

    /** The state of one run. */
    private final class Run {
        private final List<Slot> slots;
        private final List<Stream> streams;
        private final ArrayDeque<Slot> inFlight = new ArrayDeque<>();
        private final List<Span> spans = new ArrayList<>();
        private final long[] stageSums = new long[5];
        private Event origin;
        private long t0;
        private long done;

        Run(List<Slot> slots, List<Stream> streams) {
            this.slots = slots;
            this.streams = streams;
        }

        private Stream stream(Slot slot, int stage) {
            switch (layout) {
                case SINGLE_STREAM: return streams.get(0);
                case STREAM_PER_STAGE: return streams.get(stage);
                default: return streams.get(slot.index);
            }
        }

        PipelineReport execute(long maxBatches) {
            ctx.synchronize();
            origin = ctx.createEvent(EnumSet.of(EventOption.TIMING));
            t0 = System.nanoTime();
            streams.get(0).record(origin);
            RuntimeException failure = null;
            try {
                for (long batch = 0; batch < maxBatches; batch++) {
                    Slot slot = slots.get((int) (batch % depth));
                    if (inFlight.size() == depth) {
                        finishOldest();
                    }
                    slot.batch = batch;
                    slot.prepStart = System.nanoTime();
                    boolean more;
                    try {
                        more = prepare.fill(batch, slot.in);
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
            } catch (RuntimeException e) {
                failure = e;
            }
            while (!inFlight.isEmpty()) {
                try {
                    finishOldest();
                } catch (RuntimeException e) {
                    failure = failure == null ? e : failure;
                }
            }
            long wall = System.nanoTime() - t0;
            origin.close();
            if (failure != null) {
                throw failure;
            }
            return report(wall);
        }

        private void enqueue(Slot slot) {
            Event[] m = slot.marks;
            try {
                Stream up = stream(slot, 0);
                up.record(m[0]);
                up.copy(slot.in, slot.din);
                up.record(m[1]);
                Stream comp = stream(slot, 1);
                if (comp != up) {
                    comp.waitFor(m[1]);
                }
                comp.record(m[2]);
                compute.enqueue(comp, slot.din, slot.dout, slot.batch);
                comp.record(m[3]);
                Stream down = stream(slot, 2);
                if (down != comp) {
                    down.waitFor(m[3]);
                }
                down.record(m[4]);
                down.copy(slot.dout, slot.out);
                down.record(m[5]);
            } catch (RuntimeException e) {
                throw new PipelineException("enqueue", slot.batch, e);
            }
            inFlight.add(slot);
        }

        private void finishOldest() {
            Slot slot = inFlight.poll();
            try {
                slot.marks[5].synchronize();
            } catch (RuntimeException e) {
                throw new PipelineException("device work", slot.batch, e);
            }
            Event[] m = slot.marks;
            note(0, slot.prepEnd - slot.prepStart);
            spans.add(new Span("cpu", Span.CPU, "load", slot.prepStart - t0, slot.prepEnd - t0));
            for (int stage = 0; stage < 3; stage++) {
                long start = m[2 * stage].elapsedSince(origin).toNanos();
                long end = m[2 * stage + 1].elapsedSince(origin).toNanos();
                note(stage + 1, end - start);
                spans.add(new Span(DEVICE_STAGES[stage], ENGINES[stage], DEVICE_STAGES[stage] + " " + slot.batch, start, end));
            }
            long c0 = System.nanoTime();
            try {
                consume.accept(slot.batch, slot.out);
            } catch (Exception e) {
                throw new PipelineException("consume", slot.batch, e);
            }
            long c1 = System.nanoTime();
            note(4, c1 - c0);
            spans.add(new Span("cpu", Span.CPU, "take", c0 - t0, c1 - t0));
            done++;
        }

        private void note(int stage, long nanos) {
            stageSums[stage] += nanos;
        }

        private PipelineReport report(long wall) {
            Timeline timeline = new Timeline(spans);
            Map<String, Long> stages = new LinkedHashMap<>();
            Map<String, Long> own = new LinkedHashMap<>();
            for (int i = 0; i < STAGES.length; i++) {
                stages.put(STAGES[i], done == 0 ? 0 : stageSums[i] / done);
                // a device stage's span can also hold a wait for an engine another stream keeps busy
                // (a stream per slot): its own work is the time its engine was busy, overlaps once
                long work = i == 0 || i == 4 ? stageSums[i] : timeline.busyNanos(ENGINES[i - 1]);
                own.put(STAGES[i], done == 0 ? 0 : work / done);
            }
            long ideal = done == 0 ? 0 : ideal(own);
            double utilization = wall == 0 ? 0 : Math.min(1.0, (double) timeline.busyNanos(ENGINES[1]) / wall);
            return new PipelineReport(modeName(), done, wall, stages, ideal, utilization, timeline);
        }

        /** fill + N * max(stage), over the stages that can overlap in this layout. */
        private long ideal(Map<String, Long> s) {
            long cpu = s.get("prepare") + s.get("consume");
            long device = s.get("upload") + s.get("compute") + s.get("download");
            if (depth == 1) {
                return done * (cpu + device);
            }
            long[] parallel = layout == Layout.SINGLE_STREAM ? new long[] {cpu, device}
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

    private String modeName() {
        if (depth == 1) {
            return "sequential";
        }
        String base = depth == 2 ? "double" : depth == 3 ? "triple" : "depth-" + depth;
        if (layout == Layout.STREAM_PER_SLOT) {
            return "multi-stream";
        }
        return base;
    }

    /** Builds a {@link BufferedPipeline}. */
    public static final class Builder {
        private final Context ctx;
        private String name = "pipeline";
        private int depth = 3;
        private Layout layout;
        private long inputBytes;
        private long outputBytes;
        private Prepare prepare;
        private Compute compute;
        private Consume consume;

        private Builder(Context ctx) {
            if (ctx == null) {
                throw new IllegalArgumentException("ctx must not be null");
            }
            this.ctx = ctx;
        }

        /** @param v a name for streams and buffers @return this builder */
        public Builder name(String v) {
            name = v;
            return this;
        }

        /** @param v slots, the most batches in flight (1 sequential, 2 double, 3 triple) @return this builder */
        public Builder depth(int v) {
            depth = v;
            return this;
        }

        /** @param v how device stages map onto streams @return this builder */
        public Builder layout(Layout v) {
            layout = v;
            return this;
        }

        /** @param v bytes of each batch's input @return this builder */
        public Builder inputBytes(long v) {
            inputBytes = v;
            return this;
        }

        /** @param v bytes of each batch's output @return this builder */
        public Builder outputBytes(long v) {
            outputBytes = v;
            return this;
        }

        /** @param v fills a batch's input @return this builder */
        public Builder prepare(Prepare v) {
            prepare = v;
            return this;
        }

        /** @param v enqueues a batch's device work @return this builder */
        public Builder compute(Compute v) {
            compute = v;
            return this;
        }

        /** @param v takes a batch's output @return this builder */
        public Builder consume(Consume v) {
            consume = v;
            return this;
        }

        /**
         * @return the pipeline
         * @throws IllegalArgumentException naming what is missing or out of range
         */
        public BufferedPipeline build() {
            if (depth < 1) {
                throw new IllegalArgumentException("depth must be at least 1, got " + depth);
            }
            if (inputBytes < 1 || outputBytes < 1) {
                throw new IllegalArgumentException("inputBytes and outputBytes must be at least 1, got " + inputBytes
                        + " and " + outputBytes);
            }
            if (prepare == null || compute == null || consume == null) {
                throw new IllegalArgumentException("prepare, compute and consume must all be set");
            }
            if (depth == 1 && layout != null && layout != Layout.SINGLE_STREAM) {
                throw new IllegalArgumentException("depth 1 runs batches one at a time: layout " + layout
                        + " cannot overlap anything; use SINGLE_STREAM or a larger depth");
            }
            return new BufferedPipeline(this);
        }
    }
}
