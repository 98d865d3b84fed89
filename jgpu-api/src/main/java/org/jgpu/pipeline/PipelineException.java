package org.jgpu.pipeline;

import org.jgpu.GpuException;

/**
 * A stage of a pipeline failed: says which stage, for which batch, and why.
 *
 * <p>Stages: {@code prepare}, {@code enqueue}, {@code device work} and {@code consume} of a
 * {@link BufferedPipeline}; {@code worker fill} and {@code upload} of a {@link DeviceLoader}, and
 * {@code compute}, {@code device work} and {@code consume} of its
 * {@link DeviceLoader#run(long, BufferedPipeline.Compute, BufferedPipeline.Consume) run}.
 * The cause is the original exception (for device work, the backend's
 * {@link org.jgpu.AsyncOperationException}).
 */
public class PipelineException extends GpuException {
    private static final long serialVersionUID = 1L;
    /** The batch that failed. */
    private final long batch;
    /** The stage that failed. */
    private final String stage;

    /**
     * @param stage the stage that failed, e.g. {@code prepare}
     * @param batch the batch index
     * @param cause the failure
     */
    public PipelineException(String stage, long batch, Throwable cause) {
        super(stage + " of batch " + batch + " failed: " + cause, cause);
        this.batch = batch;
        this.stage = stage;
    }

    /** @return the batch index */
    public long batch() {
        return batch;
    }

    /** @return the stage that failed */
    public String stage() {
        return stage;
    }
}
