package org.jgpu;

/** What {@link Context#defaultStream()} is, as CUDA's two kinds of default stream. */
public enum DefaultStreamMode {
    /**
     * One stream for the whole context that waits for all earlier work on blocking streams, and
     * that they wait for ({@code CU_STREAM_LEGACY}). The default.
     */
    LEGACY,
    /**
     * One stream per calling thread, each an ordinary blocking stream: threads that use "the"
     * default stream do not serialize each other, as with CUDA's {@code CU_STREAM_PER_THREAD}.
     * jgpu makes these streams itself (on CUDA it does not pass that handle, which means the
     * stream of whichever thread passes it), so each may be waited on, recorded on and called
     * back from any thread; raw driver work on {@code CU_STREAM_PER_THREAD} is not ordered with
     * them.
     */
    PER_THREAD
}
