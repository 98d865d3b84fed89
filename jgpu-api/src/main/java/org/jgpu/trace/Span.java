package org.jgpu.trace;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One operation on a timeline.
 *
 * @param lane where it ran: a stream's name, or a CPU lane such as {@code cpu}
 * @param engine what did the work: {@code copy H2D}, {@code copy D2H}, {@code compute} or {@code cpu}
 * @param op what it was, e.g. {@code launch saxpy}
 * @param startNanos start, from the timeline's origin
 * @param endNanos end, from the timeline's origin
 * @param args details shown with the span (a Chrome trace's {@code args}), e.g. {@code batch=3}:
 *        numbers, strings or booleans, in the order given; empty when there are none
 */
public record Span(String lane, String engine, String op, long startNanos, long endNanos, Map<String, Object> args) {
    /** The engine name of host-side work. */
    public static final String CPU = "cpu";

    /**
     * Checks the components.
     *
     * @param lane where it ran: a stream's name, or a CPU lane such as {@code cpu}
     * @param engine what did the work: {@code copy H2D}, {@code copy D2H}, {@code compute} or {@code cpu}
     * @param op what it was, e.g. {@code launch saxpy}
     * @param startNanos start, from the timeline's origin
     * @param endNanos end, from the timeline's origin
     * @param args details shown with the span (a Chrome trace's {@code args}), e.g. {@code batch=3}:
     *         numbers, strings or booleans, in the order given; empty when there are none
     * @throws IllegalArgumentException naming the argument whose value is not a number, string or boolean
     */
    public Span {
        if (args == null || args.isEmpty()) {
            args = Map.of();
        } else {
            for (Map.Entry<String, Object> a : args.entrySet()) {
                Object v = a.getValue();
                if (a.getKey() == null || !(v instanceof Number || v instanceof String || v instanceof Boolean)) {
                    throw new IllegalArgumentException("span '" + op + "' argument '" + a.getKey() + "' is " + v
                            + ": give a named number, string or boolean");
                }
            }
            args = Collections.unmodifiableMap(new LinkedHashMap<>(args));
        }
    }

    /**
     * A span without arguments.
     *
     * @param lane where it ran
     * @param engine what did the work
     * @param op what it was
     * @param startNanos start, from the timeline's origin
     * @param endNanos end, from the timeline's origin
     */
    public Span(String lane, String engine, String op, long startNanos, long endNanos) {
        this(lane, engine, op, startNanos, endNanos, Map.of());
    }

    /** @return the duration in nanoseconds */
    public long nanos() {
        return endNanos - startNanos;
    }

    /**
     * @param nanos how far to move it (negative: earlier)
     * @return the same span, {@code nanos} later
     */
    public Span shifted(long nanos) {
        return new Span(lane, engine, op, startNanos + nanos, endNanos + nanos, args);
    }
}
