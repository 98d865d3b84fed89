package org.jgpu.internal;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.jgpu.EventOption;
import org.jgpu.spi.DeviceBackend;
import org.jgpu.spi.NativeEvent;
import org.jgpu.spi.NativeStream;
import org.jgpu.trace.Engine;
import org.jgpu.trace.Span;
import org.jgpu.trace.Timeline;

/**
 * Brackets each traced operation with timing events, and turns them into spans when asked.
 * Its methods hold its own lock: operations are handed to the backend under the context's lock
 * or after it, so a traced context makes its backend calls one at a time.
 */
final class TraceRecorder {
    private final DeviceBackend backend;
    private final List<Pending> pending = new ArrayList<>();
    private NativeEvent origin;

    private record Pending(String lane, Engine engine, Object op, NativeEvent start, NativeEvent end) {
    }

    TraceRecorder(DeviceBackend backend) {
        this.backend = backend;
    }

    private NativeEvent timing() {
        return backend.createEvent(EnumSet.of(EventOption.TIMING));
    }

    /**
     * Runs an operation's backend call between two timing events.
     *
     * @param lane the stream's name
     * @param op the operation, named by its {@code toString()} when the timeline is taken
     * @param engine the engine it occupies, or null if it has no device span (heap copies,
     *               timed by the caller's thread, and bookkeeping): then it is only run
     * @param stream the backend stream
     * @param action the backend call
     */
    synchronized void around(String lane, Object op, Engine engine, NativeStream stream, Runnable action) {
        if (engine == null) {
            action.run();
            return;
        }
        NativeEvent start = timing();
        stream.record(start);
        if (origin == null) {
            origin = start;
        }
        action.run();
        NativeEvent end = timing();
        stream.record(end);
        pending.add(new Pending(lane, engine, op, start, end));
    }

    /**
     * Hands over the traced work so far (under the context's lock); {@link Resolver#timeline()}
     * then waits for it without the lock.
     *
     * @return what to resolve
     */
    synchronized Resolver take() {
        List<Pending> taken = new ArrayList<>(pending);
        pending.clear();
        return new Resolver(taken, origin);
    }

    /** Traced work taken from the recorder, turned into spans outside the lock. */
    static final class Resolver {
        private final List<Pending> pending;
        private final NativeEvent origin;

        Resolver(List<Pending> pending, NativeEvent origin) {
            this.pending = pending;
            this.origin = origin;
        }

        /** Waits for the traced work, turns it into spans, and releases its events. */
        Timeline timeline() {
            List<Span> spans = new ArrayList<>(pending.size());
            for (Pending p : pending) {
                p.end().synchronize();
                spans.add(new Span(p.lane(), p.engine().label(), String.valueOf(p.op()), p.start().elapsedNanos(origin),
                        p.end().elapsedNanos(origin)));
            }
            for (Pending p : pending) {
                if (p.start() != origin) {
                    p.start().destroy();
                }
                p.end().destroy();
            }
            return new Timeline(spans);
        }
    }
}
