package org.jgpu;

/** Who owns the native stream behind a {@link Stream}, and so what closing the Stream does to it. */
public enum StreamOwnership {
    /** made by {@link Context#createStream()}: closing the Stream waits for its work and destroys it */
    OWNED,
    /**
     * made elsewhere and taken in by {@link Context#borrowStream(long, String)}: closing the Stream
     * (or its context) waits for the work jgpu enqueued on it and detaches; the native stream is
     * never destroyed by jgpu, and stays its owner's to destroy
     */
    BORROWED,
    /** a default stream ({@link Context#defaultStream()}): the context's, closed only with it */
    DEFAULT
}
