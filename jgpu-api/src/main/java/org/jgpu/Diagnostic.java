package org.jgpu;

/** Extra bookkeeping a context can do to explain failures, at a cost per operation. */
public enum Diagnostic {
    /**
     * Tag every enqueued operation with the caller's stack frame, so that an asynchronous error
     * says which line enqueued the operation that most likely failed. Costs a stack walk (about
     * a microsecond) per operation.
     */
    CALLER_FRAMES,
    /**
     * Record a timing event before and after every copy, fill and launch, so that
     * {@link org.jgpu.trace.Tracing#timeline(Context)} can say what ran where and when. Costs
     * two event records per operation.
     */
    TIMELINE
}
