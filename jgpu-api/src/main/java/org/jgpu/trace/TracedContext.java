package org.jgpu.trace;

/**
 * What a jgpu context offers to {@link Tracing}: jgpu's own contexts implement it, and
 * {@link Tracing} delegates to it. Applications call {@link Tracing}, never this type.
 */
public interface TracedContext {
    /**
     * @return the traced work since the last call
     * @throws IllegalStateException if the context was created without TIMELINE, or is closed
     */
    Timeline takeTimeline();
}
