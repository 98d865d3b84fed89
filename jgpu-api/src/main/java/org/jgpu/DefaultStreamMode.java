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
     * default stream do not serialize each other ({@code CU_STREAM_PER_THREAD}). Use each
     * thread's default stream from that thread.
     */
    PER_THREAD
}
