package org.jgpu;

/** Flags of a {@link Stream}. */
public enum StreamFlag {
    /**
     * The stream does not synchronize with the legacy default stream
     * ({@link Context#defaultStream()}). Without it, work on the default stream waits for all
     * earlier work on blocking streams and they wait for it, as in CUDA.
     */
    NON_BLOCKING
}
