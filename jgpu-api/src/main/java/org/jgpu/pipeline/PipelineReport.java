package org.jgpu.pipeline;

import java.util.Map;
import org.jgpu.Context;
import org.jgpu.trace.Timeline;

/**
 * What a pipeline run measured, and how close it came to the bound its stages allow.
 *
 * <p>The ideal bound is {@code fill + N * max(stage)}: after the first batch has passed every
 * stage ({@code fill}), a perfect pipeline finishes one batch per slowest stage. Stages that
 * cannot overlap count as one (sequential runs: every stage; double buffering: the device
 * stages). A CPU stage's time in the bound is its mean span; a device stage's is the time its
 * engine was busy divided by the batches, overlapping spans counted once, because with a stream
 * per slot a span measured by events also holds the wait for an engine another slot keeps busy.
 * Efficiency is ideal / measured.
 *
 * <p>On the host backend ({@link #simulated()}) the device is simulated: a device stage takes
 * its engine model's time, or its Java code's where that is slower, so the figures show the
 * shape of the pipeline, not a GPU's speed; {@link #toString()} says so.
 *
 * @param mode e.g. {@code triple}
 * @param batches batches that went through
 * @param wallNanos wall time of the run
 * @param stageNanos mean time per batch of each stage, by stage name, in pipeline order
 * @param idealNanos the bound the stage times allow
 * @param deviceUtilization fraction of the wall time the compute stage was busy (overlapping
 *        spans counted once)
 * @param timeline the run's spans (CPU stages by wall clock, device stages by timing events,
 *        placed on the same clock)
 * @param simulated true when the run's device was simulated (the host backend)
 */
public record PipelineReport(String mode, long batches, long wallNanos, Map<String, Long> stageNanos, long idealNanos,
        double deviceUtilization, Timeline timeline, boolean simulated) {

    /**
     * The report of a run on {@code ctx}'s device: the one way pipelines build their reports,
     * so that each says whether its device was simulated.
     *
     * @param ctx the context the run used; its device says whether it is simulated
     * @param mode e.g. {@code triple}
     * @param batches batches that went through
     * @param wallNanos wall time of the run
     * @param stageNanos mean time per batch of each stage, in pipeline order
     * @param idealNanos the bound the stage times allow
     * @param deviceUtilization fraction of the wall time the compute stage was busy
     * @param timeline the run's spans
     * @return the report
     * @throws IllegalArgumentException if ctx is null
     */
    public static PipelineReport of(Context ctx, String mode, long batches, long wallNanos, Map<String, Long> stageNanos,
            long idealNanos, double deviceUtilization, Timeline timeline) {
        if (ctx == null) {
            throw new IllegalArgumentException("ctx must not be null: pass the context the pipeline ran on");
        }
        return new PipelineReport(mode, batches, wallNanos, stageNanos, idealNanos, deviceUtilization, timeline,
                ctx.device().simulated());
    }

    /** @return batches per second of wall time */
    public double batchesPerSecond() {
        return wallNanos == 0 ? 0 : batches * 1e9 / wallNanos;
    }

    /** @return ideal / measured, at most about 1 */
    public double efficiency() {
        return wallNanos == 0 ? 0 : (double) idealNanos / wallNanos;
    }

    /**
     * @param baseline another run of the same work
     * @return how many times faster this run was
     */
    public double speedupOver(PipelineReport baseline) {
        return (double) baseline.wallNanos / wallNanos;
    }

    /** @return the figures in one line, ending with a note when the device was simulated */
    @Override
    public String toString() {
        return String.format("%s: %d batches in %.2f ms (%.1f batches/s), ideal %.2f ms, efficiency %.3f, device %.0f%%%s",
                mode, batches, wallNanos / 1e6, batchesPerSecond(), idealNanos / 1e6, efficiency(), 100 * deviceUtilization,
                simulated ? " (simulated device: host backend)" : "");
    }
}
