package org.jgpu.pipeline;

import java.util.ArrayList;
import java.util.List;
import org.jgpu.Context;
import org.jgpu.DeviceBuffer;
import org.jgpu.HostBuffer;
import org.jgpu.Stream;

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
 * default depth 2 runs the device stages in series (CPU/GPU overlap: the double buffering of the
 * classic write-ups) and depth 3 or more overlaps them, each stage in batch order
 * ({@link Layout}). Each slot has a stream of its own, on which its batches' device work runs
 * and which {@link Compute} is given; the layout decides what that work waits for. Prepare and
 * consume run on the calling thread; a failure in any stage, device work included, ends the run
 * with a {@link PipelineException} naming the stage and batch ({@link #run(long)}).
 */
public final class BufferedPipeline {

    /** How the device stages of successive batches are ordered. */
    public enum Layout {
        /** upload, compute and download of every batch in series, as on one stream: no device stages overlap */
        SINGLE_STREAM,
        /** each device stage in batch order, as on a stream per stage: stages of different batches overlap */
        STREAM_PER_STAGE,
        /** a batch's stages in order, batches independent of each other: batches overlap across streams */
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
         * @param stream the batch's stream, to enqueue on (it already waits for the upload); work
         *        enqueued here is checked as the batch's device work before consume sees it
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

    /**
     * Runs batches until {@code maxBatches} went through or prepare says there is no more data.
     *
     * <p>Batches are consumed in order. When a stage of batch k fails, the batches before k still
     * finish and are consumed, the later ones in flight finish on the device but are not
     * consumed, and the run ends with a {@link PipelineException} for batch k. A failure of the
     * device work a batch enqueued on its stream (a kernel that faults, say) is stage
     * {@code "device work"} of that batch, with the backend's exception as the cause.
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
        List<PipelineSlot> slots = new ArrayList<>(depth);
        Throwable primary = null;
        try {
            for (int i = 0; i < depth; i++) {
                slots.add(new PipelineSlot(ctx, name, i, inputBytes, outputBytes));
            }
            return new PipelineRun(this, ctx, slots).execute(maxBatches);
        } catch (RuntimeException | Error e) {
            primary = e;
            throw e;
        } finally {
            // closing a stream reports work it did not report yet: after a failure that is work
            // of a batch after the failed one, noted on the failure rather than thrown over it;
            // after a clean run every batch was checked, so there is none
            RuntimeException unreported = null;
            for (PipelineSlot s : slots) {
                RuntimeException e = s.close(primary);
                unreported = unreported == null ? e : unreported;
            }
            if (unreported != null) {
                throw new PipelineException("device work", -1, unreported);
            }
        }
    }

    Prepare prepareStage() {
        return prepare;
    }

    Compute computeStage() {
        return compute;
    }

    Consume consumeStage() {
        return consume;
    }

    String modeName() {
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

        /**
         * @param v a name for streams and buffers
         * @return this builder
         */
        public Builder name(String v) {
            name = v;
            return this;
        }

        /**
         * @param v slots, the most batches in flight (1 sequential, 2 double, 3 triple)
         * @return this builder
         */
        public Builder depth(int v) {
            depth = v;
            return this;
        }

        /**
         * @param v how device stages map onto streams
         * @return this builder
         */
        public Builder layout(Layout v) {
            layout = v;
            return this;
        }

        /**
         * @param v bytes of each batch's input
         * @return this builder
         */
        public Builder inputBytes(long v) {
            inputBytes = v;
            return this;
        }

        /**
         * @param v bytes of each batch's output
         * @return this builder
         */
        public Builder outputBytes(long v) {
            outputBytes = v;
            return this;
        }

        /**
         * @param v fills a batch's input
         * @return this builder
         */
        public Builder prepare(Prepare v) {
            prepare = v;
            return this;
        }

        /**
         * @param v enqueues a batch's device work
         * @return this builder
         */
        public Builder compute(Compute v) {
            compute = v;
            return this;
        }

        /**
         * @param v takes a batch's output
         * @return this builder
         */
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
