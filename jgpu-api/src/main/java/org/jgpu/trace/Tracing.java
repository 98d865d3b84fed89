package org.jgpu.trace;

import org.jgpu.Context;

/**
 * Timelines of device work, for contexts created with {@link org.jgpu.Diagnostic#TIMELINE}.
 *
 * <pre>{@code
 * Context ctx = Context.create(ContextOptions.builder()
 *         .diagnostics(EnumSet.of(Diagnostic.TIMELINE)).build());
 * ... enqueue work ...
 * Timeline t = Tracing.timeline(ctx);          // waits for the traced work
 * System.out.print(Gantt.render(t, 80));
 * Files.writeString(Path.of("trace.json"), ChromeTrace.json(t));   // open in Perfetto
 * }</pre>
 */
public final class Tracing {
    private Tracing() {
    }

    /**
     * The spans of every copy, fill and launch traced since the context was created or since
     * the last call, one lane per stream. Times are from the first traced operation, as the
     * device's timing events measure them (the host backend's are simulated).
     *
     * @param ctx a context with {@link org.jgpu.Diagnostic#TIMELINE}
     * @return the timeline; later calls return only later work
     * @throws IllegalStateException if the context was created without TIMELINE, or is closed
     * @throws IllegalArgumentException if the context is null or was not created by jgpu
     */
    public static Timeline timeline(Context ctx) {
        if (ctx == null) {
            throw new IllegalArgumentException("ctx must not be null");
        }
        if (!(ctx instanceof TracedContext traced)) {
            throw new IllegalArgumentException(ctx.name() + " was not created by jgpu");
        }
        return traced.takeTimeline();
    }
}
