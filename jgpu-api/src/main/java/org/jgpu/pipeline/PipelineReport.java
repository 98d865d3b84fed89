package org.jgpu.pipeline;

import java.util.Map;
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
 * @param mode e.g. {@code triple}
 * @param batches batches that went through
 * @param wallNanos wall time of the run
 * @param stageNanos mean time per batch of each stage, by stage name, in pipeline order
 * @param idealNanos the bound the stage times allow
 * @param deviceUtilization fraction of the wall time the compute stage was busy (overlapping
 *        spans counted once)
 * @param timeline the run's spans (CPU stages by wall clock, device stages by timing events)
 */
public record PipelineReport(String mode, long batches, long wallNanos, Map<String, Long> stageNanos, long idealNanos,
        double deviceUtilization, Timeline timeline) {

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

    @Override
    public String toString() {
        return String.format("%s: %d batches in %.2f ms (%.1f batches/s), ideal %.2f ms, efficiency %.3f, device %.0f%%",
                mode, batches, wallNanos / 1e6, batchesPerSecond(), idealNanos / 1e6, efficiency(), 100 * deviceUtilization);
    }
}
