package org.jgpu.trace;

/**
 * One operation on a timeline.
 *
 * @param lane where it ran: a stream's name, or a CPU stage such as {@code cpu:prepare}
 * @param engine what did the work: {@code copy H2D}, {@code copy D2H}, {@code compute} or {@code cpu}
 * @param op what it was, e.g. {@code launch saxpy}
 * @param startNanos start, from the timeline's origin
 * @param endNanos end, from the timeline's origin
 */
public record Span(String lane, String engine, String op, long startNanos, long endNanos) {
    /** The engine name of host-side work. */
    public static final String CPU = "cpu";

    /** @return the duration in nanoseconds */
    public long nanos() {
        return endNanos - startNanos;
    }
}
